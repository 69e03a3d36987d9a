//! Running a program under limits (time, memory) and judging its exit code
//! and panic text: the fuzzer's and the conformance run's children.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A run of the optimized binary longer than this is a hang.
const TIME_LIMIT: Duration = Duration::from_secs(20);
/// How much slower the debug build is, at most, on the same input.
const DEBUG_SLOWDOWN: u32 = 5;
/// A run whose resident memory passes this is unbounded.
const MEMORY_LIMIT_KB: u64 = 1024 * 1024;

/// How often a running child's memory is read.
const POLL: Duration = Duration::from_millis(5);

/// What a run did, as far as the limits judge it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Exit 0, 1 or 2 with no panic text.
    Exit(i32),
    /// Anything else: a failure of the kind named.
    Failure(Failure),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Failure {
    Panic,
    /// Killed by a signal (abort, stack overflow) or an exit code other than 0/1/2.
    Crash,
    Timeout,
    Memory,
    /// `diff X X` reported changes.
    SelfDiff,
    /// `merge` could not follow a `$ref` of a spec the model accepted: the
    /// builder and merge's bundling disagree about the graph.
    MergeRef,
}

impl Failure {
    pub fn name(self) -> &'static str {
        match self {
            Failure::Panic => "panic",
            Failure::Crash => "crash",
            Failure::Timeout => "timeout",
            Failure::Memory => "memory",
            Failure::SelfDiff => "self-diff",
            Failure::MergeRef => "merge-ref",
        }
    }
}

/// One finished (or stopped) run.
#[derive(Debug, Clone)]
pub struct Run {
    pub verdict: Verdict,
    pub elapsed: Duration,
    /// Peak resident memory seen, in KiB.
    pub peak_kb: u64,
    pub stdout: String,
    pub stderr: String,
}

/// The program under test (the `contracts` binary, or node for the
/// conformance run's compilers) and its limits.
pub struct Binary {
    pub path: PathBuf,
    pub time_limit: Duration,
    pub memory_limit_kb: u64,
}

impl Binary {
    /// The fuzzer's `contracts` build, under the fuzzer's limits.
    pub fn fuzzed(path: PathBuf, debug: bool) -> Binary {
        Binary::contracts(path, debug, TIME_LIMIT, MEMORY_LIMIT_KB)
    }

    /// A `contracts` build under `time_limit`, scaled by the debug build's
    /// slowdown when it is that build (what CI has at hand).
    pub fn contracts(
        path: PathBuf,
        debug: bool,
        time_limit: Duration,
        memory_limit_kb: u64,
    ) -> Binary {
        Binary {
            path,
            time_limit: if debug {
                time_limit * DEBUG_SLOWDOWN
            } else {
                time_limit
            },
            memory_limit_kb,
        }
    }
}

/// Runs `binary args` in `dir` and judges it. Output goes to files, so a
/// chatty child never blocks on a full pipe while it is watched.
pub fn run(binary: &Binary, args: &[String], dir: &Path) -> Run {
    let stdout_path = dir.join(".run-stdout");
    let stderr_path = dir.join(".run-stderr");
    let (Ok(stdout), Ok(stderr)) = (
        std::fs::File::create(&stdout_path),
        std::fs::File::create(&stderr_path),
    ) else {
        panic!("cannot create output files in {}", dir.display());
    };
    let started = Instant::now();
    let mut child = Command::new(&binary.path)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", binary.path.display()));
    let mut peak_kb = 0;
    let mut stopped = None;
    let status = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break Some(status);
        }
        peak_kb = peak_kb.max(resident_peak_kb(child.id(), &binary.path));
        if peak_kb > binary.memory_limit_kb {
            stopped = Some(Failure::Memory);
        } else if started.elapsed() > binary.time_limit {
            stopped = Some(Failure::Timeout);
        }
        if stopped.is_some() {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(POLL);
    };
    let elapsed = started.elapsed();
    let read = |path: &Path| {
        let bytes = std::fs::read(path).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    let (stdout, stderr) = (read(&stdout_path), read(&stderr_path));
    let _ = std::fs::remove_file(&stdout_path);
    let _ = std::fs::remove_file(&stderr_path);
    let verdict = match (stopped, status.and_then(|status| status.code())) {
        (Some(failure), _) => Verdict::Failure(failure),
        (None, _) if stderr.contains("panicked at") => Verdict::Failure(Failure::Panic),
        (None, Some(code @ 0..=2)) => Verdict::Exit(code),
        (None, _) => Verdict::Failure(Failure::Crash),
    };
    Run {
        verdict,
        elapsed,
        peak_kb,
        stdout,
        stderr,
    }
}

/// The peak resident set of a running process (`VmHWM`), 0 when unknown.
/// Until the child has exec'd it is a fork of this process, holding all the
/// fuzzer's seeds: only a process already named as `binary` is measured.
fn resident_peak_kb(pid: u32, binary: &Path) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field =
        |name: &str| (status.lines()).find_map(|line| line.strip_prefix(name).map(str::trim));
    // The kernel keeps the first 15 bytes of a program's name.
    let expected: String = (binary.file_name().unwrap_or_default().to_string_lossy())
        .chars()
        .take(15)
        .collect();
    if field("Name:") != Some(expected.as_str()) {
        return 0;
    }
    field("VmHWM:")
        .and_then(|value| value.trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
