//! `cargo xtask bench ts`: the GitHub REST spec through `contracts gen --ts`
//! and through openapi-typescript (pinned in tests/), in the same run: wall
//! time and peak memory of both. Also what the other benchmarks of binaries
//! share: `PeerBench` and `measure`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::bench_table::{Compare, Row, Side};
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

pub fn run() -> Result<Vec<Row>, String> {
    let PeerBench {
        contracts,
        spec,
        peer,
        work,
    } = PeerBench::new("openapi-typescript/bin/cli.js", "ts")?;
    let ours = measure(ROUNDS, || {
        contracts_types(&contracts, &spec, &work.join("contracts.ts"))
    })?;
    let theirs = measure(ROUNDS, || {
        peer_types(&peer, &spec, &work.join("openapi-typescript.ts"))
    })?;
    Ok(vec![Row {
        work: "`gen --ts`",
        input: "GitHub REST spec (13 MB)".to_owned(),
        rounds: ROUNDS,
        ours: Side::new("contracts gen --ts", ours),
        other: Some((
            Side::new("openapi-typescript 7.13", theirs),
            Compare::Faster,
        )),
        target: ">= 25x faster, <= 0.25 of its memory",
        note: String::new(),
    }])
}

/// `contracts gen --ts` of `spec` into `output`.
pub fn contracts_types(contracts: &Path, spec: &Path, output: &Path) -> Command {
    let mut command = Command::new(contracts);
    command
        .args(["gen", "--ts"])
        .arg(spec)
        .arg("--output")
        .arg(output);
    command
}

/// openapi-typescript (its entry script `peer`) of `spec` into `output`.
pub fn peer_types(peer: &Path, spec: &Path, output: &Path) -> Command {
    let mut command = Command::new("node");
    command.arg(peer).arg(spec).arg("--output").arg(output);
    command
}

/// A median wall time and the peak RSS (KB), when known.
pub type Measured = (Duration, Option<u64>);

/// Median wall time and the largest peak RSS (KB) over `rounds` runs. Peak
/// memory comes from GNU time when the machine has it. A run fails when its
/// exit code is neither 0 nor 1.
pub fn measure(rounds: usize, make: impl Fn() -> Command) -> Result<Measured, String> {
    let mut measured = measure_interleaved(rounds, &[&make])?;
    Ok(measured.remove(0))
}

/// [`measure`] for several commands, a round of each in turn: when both
/// sides take alike long, a machine slowing down during the run then weighs
/// on all of them rather than on the last.
pub fn measure_interleaved(
    rounds: usize,
    makes: &[&dyn Fn() -> Command],
) -> Result<Vec<Measured>, String> {
    let report = std::env::temp_dir().join(format!("contracts-bench-{}.txt", std::process::id()));
    let mut times = vec![Vec::new(); makes.len()];
    let mut peaks = vec![None; makes.len()];
    for _ in 0..rounds {
        for (side, make) in makes.iter().enumerate() {
            let (time, peak) = run_once(make(), &report)?;
            times[side].push(time);
            peaks[side] = peaks[side].max(peak);
        }
    }
    let _ = std::fs::remove_file(&report);
    Ok((times.into_iter().zip(peaks))
        .map(|(mut times, peak)| {
            times.sort();
            (times[rounds / 2], peak)
        })
        .collect())
}

/// One run of `template`, under GNU time (which writes the peak to `report`) when the machine has it.
fn run_once(template: Command, report: &Path) -> Result<Measured, String> {
    let gnu_time = Path::new("/usr/bin/time");
    let mut command = if gnu_time.exists() {
        let mut wrapped = Command::new(gnu_time);
        wrapped
            .args(["-f", "%M", "-o"])
            .arg(report)
            .arg(template.get_program())
            .args(template.get_args())
            .envs(
                template
                    .get_envs()
                    .filter_map(|(key, value)| Some((key, value?))),
            );
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
    let time = start.elapsed();
    // Exit 1 is a finding (a breaking change), not a failed run.
    if !matches!(output.status.code(), Some(0 | 1)) {
        return Err(format!(
            "{:?} failed: {}",
            command.get_program(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let peak = std::fs::read_to_string(report).ok().and_then(|text| {
        text.lines()
            .last()
            .and_then(|line| line.trim().parse().ok())
    });
    Ok((time, peak))
}
