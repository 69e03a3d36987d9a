//! `cargo xtask bench [load|merge|ts|rust|tsc|msw|diff|watch]`: measurements
//! next to a peer or a baseline in the same run, one row each
//! (`bench_table`); with no argument, every benchmark, written to
//! docs/benchmarks.md.
//!
//! `load`: `contracts validate` on the GitHub REST spec, next to a bare
//! `serde_json` parse of the same bytes. The ratio is the figure to keep low.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use contracts_load::{Input, load};

use crate::bench_table::{Compare, Row, Side};
use crate::bench_ts::measure;
use crate::project_root;

pub const GITHUB_SPEC: &str = "tests/node_modules/@octokit/openapi/generated/api.github.com.json";
pub const ROUNDS: usize = 7;
const DIFF_ROUNDS: usize = 5;
/// Where `cargo xtask bench` writes its table.
const TABLE: &str = "docs/benchmarks.md";

type Bench = fn() -> Result<Vec<Row>, String>;

/// Every benchmark by name, in the order of the table.
const BENCHES: [(&str, Bench); 8] = [
    ("load", bench_load),
    ("diff", bench_diff),
    ("ts", crate::bench_ts::run),
    ("tsc", crate::bench_tsc::run),
    ("rust", crate::bench_rust::run),
    ("msw", crate::bench_msw::run),
    ("merge", crate::bench_merge::run),
    ("watch", crate::bench_watch::run),
];

pub fn run(args: &[String]) -> Result<(), String> {
    if cfg!(debug_assertions) {
        // Timings of a debug build mean nothing: rerun this command optimized.
        let mut forwarded = vec![
            "run",
            "--release",
            "--quiet",
            "--package",
            "xtask",
            "--",
            "bench",
        ];
        forwarded.extend(args.iter().map(String::as_str));
        return crate::run("cargo", &forwarded);
    }
    let Some(name) = args.first() else {
        let mut rows = Vec::new();
        for (_, bench) in BENCHES {
            for row in bench()? {
                row.print();
                rows.push(row);
            }
        }
        let date = chrono::Utc::now().format("%Y-%m-%d").to_string();
        let text = crate::bench_table::document(&rows, &crate::bench_table::machine(), &date);
        let path = project_root().join(TABLE);
        std::fs::write(&path, text).map_err(|error| format!("{}: {error}", path.display()))?;
        eprintln!("wrote {}", path.display());
        return Ok(());
    };
    let known: Vec<&str> = BENCHES.iter().map(|(name, _)| *name).collect();
    let (_, bench) = (BENCHES.iter())
        .find(|(known, _)| known == name)
        .ok_or_else(|| format!("unknown benchmark `{name}` (known: {})", known.join(", ")))?;
    for row in bench()? {
        row.print();
    }
    Ok(())
}

/// The bytes of a pinned spec, or how to get it.
pub fn read_spec(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|error| {
        format!(
            "{}: {error}; run `npm ci --prefix tests` first",
            path.display()
        )
    })
}

fn bench_load() -> Result<Vec<Row>, String> {
    let path = project_root().join(GITHUB_SPEC);
    let bytes = read_spec(&path)?;
    let parse = median(|| {
        let value: serde_json::Value =
            serde_json::from_slice(&bytes).expect("the GitHub spec is JSON");
        std::hint::black_box(value);
    });
    // The binary as users run it (as `diff` is measured), against the least
    // any tool must do: parse the bytes.
    let contracts = crate::release_binary()?;
    let validate = measure(ROUNDS, || {
        let mut command = Command::new(&contracts);
        command.arg("validate").arg(&path);
        command
    })?;
    let loaded = load(&Input::File(path.clone()), None);
    let operations = loaded.contract.as_ref().map_or(0, |c| c.operations.len());
    let diagnostics = loaded.diagnostics.len();
    Ok(vec![Row {
        work: "`load` + `validate`",
        input: format!("GitHub REST spec ({:.0} MB)", bytes.len() as f64 / 1e6),
        rounds: ROUNDS,
        ours: Side::new("contracts validate", validate),
        other: Some((
            Side::new("serde_json parse", (parse, None)),
            Compare::Baseline,
        )),
        target: "<= 2x",
        note: format!("{operations} operations, {diagnostics} diagnostics"),
    }])
}

/// `diff` next to a bare parse of both files, on two pairs of GitHub's
/// descriptions (pinned in tests/): two releases of the REST spec
/// (`@octokit/openapi` 22 and 23), and GHES 3.18 with `$ref`s against the same
/// description with every ref inlined, where comparing inlined copies of one
/// component must cost what the component costs.
fn bench_diff() -> Result<Vec<Row>, String> {
    let modules = project_root().join("tests/node_modules/@octokit");
    let pairs = [
        (
            "GitHub REST spec, @octokit/openapi 22.0.0 -> 23.0.2 (2 x 13 MB)",
            modules.join("openapi-22/generated/api.github.com.json"),
            modules.join("openapi/generated/api.github.com.json"),
            "<= 2.5x",
        ),
        (
            "GHES 3.18, refs -> dereferenced (11 MB, 63 MB)",
            modules.join("openapi/generated/ghes-3.18.json"),
            modules.join("openapi/generated/ghes-3.18.deref.json"),
            "none (inlined copies cost what they weigh)",
        ),
    ];
    (pairs.into_iter())
        .map(|(label, old, new, target)| bench_diff_pair(label, &old, &new, target))
        .collect()
}

fn bench_diff_pair(
    label: &str,
    old: &Path,
    new: &Path,
    target: &'static str,
) -> Result<Row, String> {
    let bytes: Vec<Vec<u8>> = [old, new]
        .iter()
        .map(|path| read_spec(path))
        .collect::<Result<_, _>>()?;
    let parse = median(|| {
        for file in &bytes {
            let value: serde_json::Value = serde_json::from_slice(file).expect("the spec is JSON");
            std::hint::black_box(value);
        }
    });
    // The binary as users run it (both sides load at once), against the
    // least any tool must do: parse both, one after the other.
    let contracts = crate::release_binary()?;
    let compare = measure(DIFF_ROUNDS, || {
        let mut command = Command::new(&contracts);
        command
            .arg("diff")
            .arg(old)
            .arg(new)
            .args(["--format", "json"]);
        command
    })?;
    let load_contract = |path: &Path| load(&Input::File(path.to_owned()), None).contract;
    let (Some(base), Some(revision)) = (load_contract(old), load_contract(new)) else {
        return Err(format!("{label}: a side does not load"));
    };
    let changes = contracts_diff::diff(&base, &revision);
    let breaking = (changes.iter())
        // Errors, and errors the major version bump allowed.
        .filter(|c| c.level == contracts_diff::Level::Error || c.allowed.is_some())
        .count();
    Ok(Row {
        work: "`diff`",
        input: label.to_owned(),
        rounds: DIFF_ROUNDS,
        ours: Side::new("contracts diff (JSON)", compare),
        other: Some((
            Side::new("serde_json parse of both", (parse, None)),
            Compare::Baseline,
        )),
        target,
        note: format!(
            "{} changes, {breaking} breaking (allowed ones included)",
            changes.len()
        ),
    })
}

pub fn median(mut task: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            task();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[ROUNDS / 2]
}

pub fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
