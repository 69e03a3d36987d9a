//! Project chores: `cargo xtask ci` (everything CI runs),
//! `cargo xtask bench` (measurements against a baseline in the same run),
//! `cargo xtask fuzz` (mutated specs through every command),
//! `cargo xtask parity` (gen --ts against openapi-typescript, by type) and
//! `cargo xtask conformance` (public specs through every command and the
//! compilers, counted against a committed snapshot) and `cargo xtask dist
//! npm` (the npm packages).

mod bench;
mod bench_merge;
mod bench_msw;
mod bench_rust;
mod bench_table;
mod bench_ts;
mod bench_tsc;
mod bench_watch;
mod codes;
mod conformance;
mod corpus;
mod dist;
mod fuzz;
mod limits;
mod parallel;
mod parity;
mod phases;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "usage: cargo xtask <ci | bench [load|diff|ts|tsc|rust|msw|merge|watch] | fuzz [--seconds N] [--seed S] [--debug] | parity [--contracts BIN | --debug] | conformance [--all] [--update] [--debug] | docs | dist npm [--binary PATH] [--out DIR]>";

/// The generated rule table; a test fails when it is stale.
const RULES_DOC: &str = "docs/rules.md";
const CONFIG_SCHEMA: &str = "docs/contracts.schema.json";
/// The generated table of diagnostic codes; a test fails when it is stale.
const CODES_DOC: &str = "docs/diagnostics.md";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("bench") => bench::run(&args[1..]),
        Some("docs") => write_docs(),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("parity") => parity::run(&args[1..]),
        Some("conformance") => conformance::run(&args[1..]),
        Some("dist") => dist::run(&args[1..]),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the project root")
        .to_owned()
}

/// Runs a command from the project root, failing on a non-zero exit.
pub fn run(program: &str, args: &[&str]) -> Result<(), String> {
    eprintln!("$ {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .current_dir(project_root())
        .status()
        .map_err(|error| format!("cannot run `{program}`: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

/// Writes the generated documents: docs/rules.md from the diff engine's
/// rule table, docs/diagnostics.md from the crates' diagnostic codes,
/// docs/contracts.schema.json from the config types.
fn write_docs() -> Result<(), String> {
    for (doc, text) in [
        (RULES_DOC, contracts_diff::rules::document()),
        (CODES_DOC, codes::document()),
        (CONFIG_SCHEMA, contracts_config::json_schema()),
    ] {
        let path = project_root().join(doc);
        std::fs::write(&path, text).map_err(|error| format!("{}: {error}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// Copies a folder tree. A symlink stays a link, to the same file as before
/// (a fuzz case may be about where a link leads).
pub fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|error| format!("{}: {error}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|error| format!("{}: {error}", from.display()))? {
        let path = entry.map_err(|error| error.to_string())?.path();
        let target = to.join(path.file_name().unwrap_or_default());
        let is_link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        #[cfg(unix)]
        if is_link && let Ok(linked) = std::fs::canonicalize(&path) {
            std::os::unix::fs::symlink(linked, &target)
                .map_err(|error| format!("{}: {error}", target.display()))?;
            continue;
        }
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            std::fs::copy(&path, &target)
                .map_err(|error| format!("{}: {error}", target.display()))?;
        }
    }
    Ok(())
}

/// The optimized `contracts` binary the benchmarks run.
pub fn release_binary() -> Result<PathBuf, String> {
    contracts_binary(false)
}

/// The `contracts` binary, optimized or (`debug`) the one `cargo test
/// --workspace` builds. CI runs parity, fuzz and conformance on the debug
/// build: an optimized build of every dependency would cost CI more time
/// than the slower runs do. The debug binary comes from the same command as
/// the tests' (a no-op after them): built alone, the CLI resolves its
/// dependencies' features otherwise, and they and the crates above them
/// would be built again.
pub fn contracts_binary(debug: bool) -> Result<PathBuf, String> {
    let args: &[&str] = if debug {
        &["test", "--quiet", "--workspace", "--no-run"]
    } else {
        &[
            "build",
            "--quiet",
            "--package",
            "contracts-cli",
            "--release",
        ]
    };
    run("cargo", args)?;
    let folder = if debug { "debug" } else { "release" };
    Ok(project_root().join("target").join(folder).join("contracts"))
}

/// Everything CI checks, in the order that fails fastest.
fn ci() -> Result<(), String> {
    let mut steps = phases::Phases::default();
    let result = ci_steps(&mut steps);
    eprintln!("ci steps: {}", steps.summary());
    result
}

fn ci_steps(steps: &mut phases::Phases) -> Result<(), String> {
    steps.time("fmt", || run("cargo", &["fmt", "--all", "--check"]))?;
    // The test harness's pinned npm packages (real specs) are read by the
    // tests. npm waits on the network and the disk, clippy on the cores:
    // they run side by side.
    steps.time("npm ci + clippy", || {
        std::thread::scope(|scope| {
            let npm = scope.spawn(|| {
                run(
                    "npm",
                    &["ci", "--prefix", "tests", "--no-audit", "--no-fund"],
                )
            });
            let clippy = run(
                "cargo",
                &[
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ],
            );
            let npm = npm.join().map_err(|_| "npm ci panicked".to_owned())?;
            npm.and(clippy)
        })
    })?;
    steps.time("cargo test", || run("cargo", &["test", "--workspace"]))?;
    if std::env::var_os("CONTRACTS_SLOW_TESTS").is_none() {
        println!(
            "slow tests: did not run (set CONTRACTS_SLOW_TESTS=1): compiling the GitHub spec's Rust module and round-tripping its examples"
        );
    }
    // The tests that read oasdiff's pairs say so only in captured output.
    let oasdiff = corpus::oasdiff();
    if !oasdiff.join("manifest.tsv").is_file() {
        println!(
            "oasdiff conformance and oasdiff's specs in the corpus tests: did not run: no pairs at {} (set CONTRACTS_OASDIFF_CORPUS)",
            oasdiff.display()
        );
    }
    // gen --ts against openapi-typescript, by type, on a fixed sample of public specs.
    steps.time("parity", || parity::run(&["--debug".to_owned()]))?;
    // Every regression case, then a short fuzz run.
    steps.time("fuzz", || {
        fuzz::run(&["--seconds", "30", "--debug"].map(String::from))
    })?;
    // The APIs.guru sample against its snapshot (the whole corpus: `--all`).
    steps.time("conformance", || conformance::run(&["--debug".to_owned()]))?;
    Ok(())
}

/// FNV-1a: a stable hash of a text (names of fuzz cases, conformance samples).
pub fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// Each package in the dependency tree with its features, as
    /// `name vX.Y.Z [feature,...]` lines.
    fn features(selection: &[&str], edges: &str) -> BTreeSet<String> {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let output = std::process::Command::new(cargo)
            .args([
                "tree",
                "--locked",
                "--prefix",
                "none",
                "-f",
                "{p} [{f}]",
                "-e",
            ])
            .arg(edges)
            .args(selection)
            .current_dir(super::project_root())
            .output()
            .expect("cargo runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(|line| line.trim_end_matches(" (*)").to_owned())
            .collect()
    }

    /// `cargo xtask ci` builds xtask first, and `tests/cli/dist.rs` installs
    /// the CLI alone; when either resolves a shared dependency's features as
    /// `cargo test --workspace` does, it reuses every crate the other built
    /// instead of building them all again.
    #[test]
    fn xtask_and_the_cli_build_their_dependencies_as_the_workspace_tests_do() {
        let workspace = features(&["--workspace"], "normal,build,dev");
        for (package, manifest) in [
            ("xtask", "xtask/Cargo.toml"),
            ("contracts-cli", "crates/contracts-cli/Cargo.toml"),
        ] {
            let differing: Vec<String> = features(&["--package", package], "normal,build")
                .into_iter()
                .filter(|feature| !workspace.contains(feature))
                .collect();
            assert!(
                differing.is_empty(),
                "{package} alone builds these with other features than the workspace's tests do; \
                 name those features in {manifest}: {differing:#?}"
            );
        }
    }
}
