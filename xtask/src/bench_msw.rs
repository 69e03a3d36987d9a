//! `cargo xtask bench msw`: typed MSW handlers for the GitHub REST spec, in
//! the same run: `contracts build` writing the TypeScript types and the
//! handlers (`[[generate.ts]]` + `[generate.msw]`), and orval (pinned in
//! tests/) writing its types, fetch client, faker factories and MSW handlers
//! (`--mock`), the least orval makes for typed handlers. Wall time and peak
//! memory of both, and the ratios.

use std::process::Command;

use crate::bench_table::{Compare, Row, Side};
use crate::bench_ts::{PeerBench, measure};

const ROUNDS: usize = 5;

pub fn run() -> Result<Vec<Row>, String> {
    let PeerBench {
        contracts,
        spec,
        peer,
        work,
    } = PeerBench::new("orval/dist/bin/orval.mjs", "msw")?;
    let config = work.join("contracts.toml");
    std::fs::write(
        &config,
        format!(
            "[services.github]\nspec = {:?}\n\n[[generate.ts]]\noutput = \"contracts/types.ts\"\nsource = [\"github\"]\n\n[generate.msw]\noutput = \"contracts/handlers.ts\"\nsource = [\"github\"]\n",
            spec.display().to_string()
        ),
    )
    .map_err(|error| error.to_string())?;
    let ours = measure(ROUNDS, || {
        let mut command = Command::new(&contracts);
        // Outputs are only rewritten when they change: start from none each round.
        let _ = std::fs::remove_dir_all(work.join("contracts"));
        command.arg("build").arg("--config").arg(&config);
        command
    })?;
    let theirs = measure(ROUNDS, || {
        let mut command = Command::new("node");
        command
            .arg(&peer)
            .arg("--input")
            .arg(&spec)
            .arg("--output")
            .arg(work.join("orval/github.ts"))
            .args(["--mock", "--client", "fetch", "--quiet"]);
        command
    })?;
    Ok(vec![Row {
        work: "`build` (types + MSW handlers)",
        input: "GitHub REST spec (13 MB)".to_owned(),
        rounds: ROUNDS,
        ours: Side::new("contracts build (ts + msw)", ours),
        other: Some((Side::new("orval --mock", theirs), Compare::Faster)),
        target: ">= 15x faster",
        note: String::new(),
    }])
}
