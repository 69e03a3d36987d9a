//! `cargo xtask bench rust`: `contracts gen --rust` on the GitHub REST spec.
//! No Rust generator is pinned beside it, so the targets are absolute.

use std::process::Command;

use crate::bench_table::{Row, Side};
use crate::bench_ts::{PeerBench, measure};

const ROUNDS: usize = 5;

pub fn run() -> Result<Vec<Row>, String> {
    let PeerBench {
        contracts,
        spec,
        work,
        ..
    } = PeerBench::new("openapi-typescript/bin/cli.js", "rust")?;
    let output = work.join("types.rs");
    let ours = measure(ROUNDS, || {
        let mut command = Command::new(&contracts);
        command
            .args(["gen", "--rust"])
            .arg(&spec)
            .arg("--output")
            .arg(&output);
        command
    })?;
    let lines = std::fs::read_to_string(&output).map_or(0, |code| code.lines().count());
    Ok(vec![Row {
        work: "`gen --rust`",
        input: "GitHub REST spec (13 MB)".to_owned(),
        rounds: ROUNDS,
        ours: Side::new("contracts gen --rust", ours),
        other: None,
        target: "<= 1.5 s, <= 350 MB",
        note: format!("{lines} lines of Rust"),
    }])
}
