//! End-to-end tests: the `contracts` binary run on fixtures and real specs.

mod broken;
mod check;
mod code_breaks;
mod consumers;
mod diff;
mod dist;
mod gen_rust;
mod gen_ts;
mod init;
mod merge;
mod msw;
mod real_specs;
mod safety;
mod shell;
mod swagger2;
mod validate;
mod watch;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The project root (this file lives in `tests/cli/`).
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("project root exists")
}

/// Sets `path`'s modification time far in the past and returns it: a file
/// rewritten after this has another time on any file system, however
/// coarse its clock (a sleep proves nothing where times have 1 s steps).
pub fn backdate(path: &Path) -> std::time::SystemTime {
    let past = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|file| file.set_modified(past))
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    past
}

/// oasdiff's test specs (third-party material, never in the repository):
/// `data/` of the folder named by `CONTRACTS_OASDIFF_CORPUS`, else of
/// `../shared/corpus/oasdiff`. `None`, said in one line naming `test`, when
/// neither exists: the rest of the test runs on what the repository has.
pub fn oasdiff_data(test: &str) -> Option<PathBuf> {
    let corpus = std::env::var_os("CONTRACTS_OASDIFF_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| project_root().join("../shared/corpus/oasdiff"));
    let data = corpus.join("data");
    if data.is_dir() {
        Some(data)
    } else {
        eprintln!(
            "{test}: oasdiff's specs left out: {} is missing (set CONTRACTS_OASDIFF_CORPUS)",
            data.display()
        );
        None
    }
}

/// A finished `contracts` run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The `--format json` diagnostics printed on stdout.
    pub fn diagnostics(&self) -> Vec<serde_json::Value> {
        serde_json::from_str(&self.stdout).unwrap_or_else(|error| {
            panic!(
                "stdout is not JSON ({error}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

/// Runs `contracts` with `args` in `cwd` (the project root when `None`), feeding `stdin`.
pub fn contracts_in(cwd: Option<&Path>, args: &[&str], stdin: Option<&str>) -> Run {
    let root = project_root();
    // Every run gets its own temporary folder, which must be empty again
    // when the command ends: no command leaves anything behind.
    let temporary = tempfile::tempdir().expect("a temporary folder");
    let mut command = Command::new(env!("CARGO_BIN_EXE_contracts"));
    command
        .args(args)
        .current_dir(cwd.unwrap_or(&root))
        .env("NO_COLOR", "1")
        .env("TMPDIR", temporary.path())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the contracts binary runs");
    if let Some(input) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin is piped")
            .write_all(input.as_bytes())
            .expect("stdin accepts input");
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child
        .wait_with_output()
        .expect("the contracts binary finishes");
    let left: Vec<_> = std::fs::read_dir(temporary.path())
        .expect("the temporary folder is readable")
        .map(|entry| entry.expect("a folder entry").file_name())
        .collect();
    assert!(
        left.is_empty(),
        "`contracts {}` left {left:?} in its temporary folder",
        args.join(" ")
    );
    Run {
        code: status
            .code()
            .expect("the binary exits, not killed by a signal"),
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

/// The flags of every `tsc` run on generated code, shared with xtask.
/// `tsc --strict --noEmit` (the suite's flags) over `files`: whether it
/// passed, and its report.
pub fn tsc_no_emit(files: &[PathBuf]) -> (bool, String) {
    let root = project_root();
    let compiler = root.join("tests/node_modules/typescript/bin/tsc");
    assert!(
        compiler.exists(),
        "run `npm ci --prefix tests` (cargo xtask ci does)"
    );
    let output = Command::new("node")
        .arg(compiler)
        .args(tsc_flags())
        .arg("--noEmit")
        .args(files)
        .current_dir(root.join("tests"))
        .output()
        .expect("node runs");
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    (output.status.success(), report)
}

pub fn tsc_flags() -> Vec<String> {
    let text = std::fs::read_to_string(project_root().join("tests/tsc-flags")).unwrap();
    text.lines().map(str::to_owned).collect()
}

/// A scratch folder under `tests/`, so that Node and TypeScript find the
/// harness's `node_modules`; removed when dropped.
pub fn work_dir(prefix: &str) -> tempfile::TempDir {
    let parent = project_root().join("tests/.work");
    std::fs::create_dir_all(&parent).unwrap();
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in(parent)
        .unwrap()
}

/// Runs git in `dir` with a fixed identity, so commits work on any machine.
pub fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("git runs")
}

/// Makes `dir` a git repository on `main` with everything in it committed.
pub fn commit_all(dir: &Path, message: &str) {
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "."],
        &["commit", "-q", "-m", message],
    ] {
        let output = git(dir, args);
        assert!(output.status.success(), "git {args:?}: {output:?}");
    }
}

/// Merges the shop fixture into `dir/gateway.json` and returns its path.
pub fn merge_shop(dir: &Path) -> PathBuf {
    merge_fixture("shop", &dir.join("gateway.json"))
}

/// Merges the fixture project `fixtures/<name>` into `gateway`.
pub fn merge_fixture(name: &str, gateway: &Path) -> PathBuf {
    let config = format!("fixtures/{name}/contracts.toml");
    let run = contracts(&[
        "merge",
        "--config",
        &config,
        "-o",
        gateway.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    gateway.to_owned()
}

/// Runs `contracts` from the project root.
pub fn contracts(args: &[&str]) -> Run {
    contracts_in(None, args, None)
}

/// Copies a folder tree (a fixture project into a scratch folder).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
