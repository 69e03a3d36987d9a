//! `cargo xtask bench ts`: the GitHub REST spec through `contracts gen --ts`
//! and through openapi-typescript (pinned in tests/), in the same run: wall
//! time and peak memory of both, and the ratios.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::bench::millis;
use crate::project_root;

const ROUNDS: usize = 5;

/// What a benchmark against a peer on the GitHub spec runs on.
pub struct PeerBench {
    /// The optimized `contracts` binary.
    pub contracts: PathBuf,
    pub spec: PathBuf,
    /// The peer's entry script, run with `node`.
    pub peer: PathBuf,
    /// A folder for both tools' outputs.
    pub work: PathBuf,
}

impl PeerBench {
    /// Builds `contracts`, finds the spec and the peer (`peer`, under
    /// tests/node_modules) and makes `target/bench/<name>`.
    pub fn new(peer: &str, name: &str) -> Result<PeerBench, String> {
        let root = project_root();
        let contracts = crate::release_binary()?;
        let spec = root.join(crate::bench::GITHUB_SPEC);
        let peer = root.join("tests/node_modules").join(peer);
        if !spec.exists() || !peer.exists() {
            return Err("the npm harness is missing: run `npm ci --prefix tests` first".into());
        }
        let work = root.join("target/bench").join(name);
        std::fs::create_dir_all(&work).map_err(|error| error.to_string())?;
        Ok(PeerBench {
            contracts,
            spec,
            peer,
            work,
        })
    }
}

pub fn run() -> Result<(), String> {
    let PeerBench {
        contracts,
        spec,
        peer,
        work,
    } = PeerBench::new("openapi-typescript/bin/cli.js", "ts")?;
    let ours = measure(ROUNDS, || {
        let mut command = Command::new(&contracts);
        command
            .args(["gen", "--ts"])
            .arg(&spec)
            .arg("--output")
            .arg(work.join("contracts.ts"));
        command
    })?;
    let theirs = measure(ROUNDS, || {
        let mut command = Command::new("node");
        command
            .arg(&peer)
            .arg(&spec)
            .arg("--output")
            .arg(work.join("openapi-typescript.ts"));
        command
    })?;
    println!("GitHub REST spec -> TypeScript (median of {ROUNDS}):");
    print_comparison(
        ("contracts gen --ts", ours),
        ("openapi-typescript", theirs),
        Some(("at least 10x", "at most 0.33")),
    );
    Ok(())
}

/// A median wall time and the peak RSS (KB), when known.
pub type Measured = (Duration, Option<u64>);

/// Prints both runs and the time and memory ratios; `targets` (time,
/// memory) adds the goals to the ratio lines.
pub fn print_comparison(
    (our_label, ours): (&str, Measured),
    (their_label, theirs): (&str, Measured),
    targets: Option<(&str, &str)>,
) {
    let width = our_label
        .len()
        .max(their_label.len())
        .max("memory ratio".len());
    for (label, (time, peak)) in [(our_label, ours), (their_label, theirs)] {
        println!(
            "  {label:<width$}  {:>8.1} ms  {:>6} MB peak",
            millis(time),
            peak.map_or("?".into(), |kb| (kb >> 10).to_string())
        );
    }
    let (time_target, memory_target) = match targets {
        Some((time, memory)) => (format!("  (target: {time})"), format!("; target: {memory}")),
        None => (String::new(), String::new()),
    };
    println!(
        "  {:<width$}  {:>8.1}x{time_target}",
        "time ratio",
        theirs.0.as_secs_f64() / ours.0.as_secs_f64()
    );
    if let (Some(ours), Some(theirs)) = (ours.1, theirs.1) {
        println!(
            "  {:<width$}  {:>8.2}   (ours / theirs{memory_target})",
            "memory ratio",
            ours as f64 / theirs as f64
        );
    }
}

/// Median wall time and the largest peak RSS (KB) over `rounds` runs. Peak
/// memory comes from GNU time when the machine has it.
pub fn measure(rounds: usize, make: impl Fn() -> Command) -> Result<Measured, String> {
    let gnu_time = Path::new("/usr/bin/time");
    let report = std::env::temp_dir().join(format!("contracts-bench-{}.txt", std::process::id()));
    let mut times = Vec::new();
    let mut peak = None;
    for _ in 0..rounds {
        let template = make();
        let mut command = if gnu_time.exists() {
            let mut wrapped = Command::new(gnu_time);
            wrapped
                .args(["-f", "%M", "-o"])
                .arg(&report)
                .arg(template.get_program())
                .args(template.get_args());
            wrapped
        } else {
            template
        };
        let start = Instant::now();
        let output = command
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| e.to_string())?;
        times.push(start.elapsed());
        if !output.status.success() {
            return Err(format!(
                "{:?} failed: {}",
                command.get_program(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        if let Ok(text) = std::fs::read_to_string(&report) {
            let kb: Option<u64> = text
                .lines()
                .last()
                .and_then(|line| line.trim().parse().ok());
            peak = peak.max(kb);
        }
    }
    let _ = std::fs::remove_file(&report);
    times.sort();
    Ok((times[rounds / 2], peak))
}
