//! `cargo xtask bench [load|merge|ts|msw|diff|watch]`: measurements next to a baseline in the same run.
//!
//! `load`: load + validate the GitHub REST spec, next to a bare `serde_json`
//! parse of the same bytes. The ratio is the figure to keep low.

use std::path::Path;
use std::time::{Duration, Instant};

use contracts_load::{Input, load};

use crate::project_root;

pub const GITHUB_SPEC: &str = "tests/node_modules/@octokit/openapi/generated/api.github.com.json";
pub const ROUNDS: usize = 7;

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
    match args.first().map(String::as_str) {
        None => bench_load()
            .and_then(|()| crate::bench_merge::run())
            .and_then(|()| crate::bench_ts::run())
            .and_then(|()| crate::bench_msw::run())
            .and_then(|()| bench_diff())
            .and_then(|()| crate::bench_watch::run()),
        Some("load") => bench_load(),
        Some("merge") => crate::bench_merge::run(),
        Some("ts") => crate::bench_ts::run(),
        Some("msw") => crate::bench_msw::run(),
        Some("diff") => bench_diff(),
        Some("watch") => crate::bench_watch::run(),
        Some(other) => Err(format!(
            "unknown benchmark `{other}` (known: load, merge, ts, msw, diff, watch)"
        )),
    }
}

fn bench_load() -> Result<(), String> {
    let path = project_root().join(GITHUB_SPEC);
    let bytes = std::fs::read(&path).map_err(|error| {
        format!(
            "{}: {error}; run `npm ci --prefix tests` first",
            path.display()
        )
    })?;

    let parse = median(|| {
        let value: serde_json::Value =
            serde_json::from_slice(&bytes).expect("the GitHub spec is JSON");
        std::hint::black_box(value);
    });
    let mut operations = 0;
    let mut diagnostics = 0;
    let load = median(|| {
        let loaded = load(&Input::File(path.clone()), None);
        operations = loaded.contract.as_ref().map_or(0, |c| c.operations.len());
        diagnostics = loaded.diagnostics.len();
        std::hint::black_box(loaded);
    });
    println!(
        "GitHub REST spec: {} MB, {operations} operations, {diagnostics} diagnostics",
        bytes.len() >> 20
    );
    println!(
        "serde_json parse          {:>8.1} ms  (median of {ROUNDS})",
        millis(parse)
    );
    println!(
        "contracts load + validate {:>8.1} ms  (median of {ROUNDS})",
        millis(load)
    );
    println!(
        "ratio                     {:>8.2}x  (target: at most 3x)",
        load.as_secs_f64() / parse.as_secs_f64()
    );
    Ok(())
}

/// `diff` next to a bare parse of both files, on two pairs of GitHub's
/// descriptions (pinned in tests/): two releases of the REST spec
/// (`@octokit/openapi` 22 and 23), and GHES 3.18 with `$ref`s against the same
/// description with every ref inlined, where comparing inlined copies of one
/// component must cost what the component costs.
fn bench_diff() -> Result<(), String> {
    let modules = project_root().join("tests/node_modules/@octokit");
    let pairs = [
        (
            "GitHub REST spec, @octokit/openapi 22.0.0 -> 23.0.2 (2 x 13 MB)",
            modules.join("openapi-22/generated/api.github.com.json"),
            modules.join("openapi/generated/api.github.com.json"),
        ),
        (
            "GHES 3.18, refs -> dereferenced (11 MB, 63 MB)",
            modules.join("openapi/generated/ghes-3.18.json"),
            modules.join("openapi/generated/ghes-3.18.deref.json"),
        ),
    ];
    for (label, old, new) in pairs {
        bench_diff_pair(label, &old, &new)?;
    }
    Ok(())
}

fn bench_diff_pair(label: &str, old: &Path, new: &Path) -> Result<(), String> {
    let bytes: Vec<Vec<u8>> = [old, new]
        .iter()
        .map(|path| {
            std::fs::read(path).map_err(|error| {
                format!(
                    "{}: {error}; run `npm ci --prefix tests` first",
                    path.display()
                )
            })
        })
        .collect::<Result<_, _>>()?;
    let parse = median(|| {
        for file in &bytes {
            let value: serde_json::Value = serde_json::from_slice(file).expect("the spec is JSON");
            std::hint::black_box(value);
        }
    });
    let mut found = (0, 0);
    let compare = median(|| {
        let base = load(&Input::File(old.to_owned()), None)
            .contract
            .expect("the old spec loads");
        let revision = load(&Input::File(new.to_owned()), None)
            .contract
            .expect("the new spec loads");
        let changes = contracts_diff::diff(&base, &revision);
        found = (
            changes.len(),
            changes
                .iter()
                // Errors, and errors the major version bump allowed.
                .filter(|c| c.level == contracts_diff::Level::Error || c.allowed.is_some())
                .count(),
        );
        std::hint::black_box(changes);
    });
    println!(
        "{label}: {} changes, {} breaking (allowed ones included)",
        found.0, found.1
    );
    println!(
        "serde_json parse of both      {:>8.1} ms  (median of {ROUNDS})",
        millis(parse)
    );
    println!(
        "contracts load both + diff    {:>8.1} ms  (median of {ROUNDS})",
        millis(compare)
    );
    println!(
        "ratio                         {:>8.2}x",
        compare.as_secs_f64() / parse.as_secs_f64()
    );
    Ok(())
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
