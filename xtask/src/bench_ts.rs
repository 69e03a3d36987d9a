//! `cargo xtask bench ts`: `contracts gen --ts` and openapi-typescript (pinned
//! in tests/) in the same run, wall time and peak memory of both: on the
//! GitHub REST spec, and on a fixed sample of small public specs, where
//! Node's start-up is most of the peer's time. Also what the other
//! benchmarks of binaries share: `PeerBench` and `measure`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::bench_table::{Compare, Row, Side};
use crate::project_root;

const ROUNDS: usize = 5;
/// The small specs: the first `SMALL_SPECS` by name of the development
/// corpus's specs under `SMALL_SPEC_BYTES` in the fixed sample of one in
/// `SMALL_SPEC_ONE_IN` (13 of 987 today, from 2 to 60 KB).
const SMALL_SPECS: usize = 10;
const SMALL_SPEC_BYTES: u64 = 100_000;
const SMALL_SPEC_ONE_IN: u64 = 100;

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
    let github = Row {
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
    };
    Ok(vec![github, small_specs_row(&contracts, &peer, &work)?])
}

/// Both tools on each small spec in turn (rounds of each side interleaved):
/// the row's times are the sums of the per-spec medians, its peaks the
/// largest, and its note the range of the per-spec ratios. A spec that
/// either tool refuses is left out, and counted.
fn small_specs_row(contracts: &Path, peer: &Path, work: &Path) -> Result<Row, String> {
    let specs = small_specs()?;
    let (ours_output, peer_output) = (work.join("small.ts"), work.join("small-peer.ts"));
    let (mut ours, mut theirs) = ((Duration::ZERO, None), (Duration::ZERO, None));
    let mut ratios = Vec::new();
    let mut refused = Vec::new();
    for (name, spec) in &specs {
        let ours_command = || contracts_types(contracts, spec, &ours_output);
        let peer_command = || peer_types(peer, spec, &peer_output);
        let succeeds = |mut command: Command| {
            (command.stdout(Stdio::null()).stderr(Stdio::null()).status())
                .is_ok_and(|status| status.success())
        };
        if !succeeds(ours_command()) || !succeeds(peer_command()) {
            refused.push(name.as_str());
            continue;
        }
        let measured = measure_interleaved(ROUNDS, &[&ours_command, &peer_command])?;
        let [(ours_time, ours_peak), (peer_time, peer_peak)] = measured[..] else {
            unreachable!("two commands were measured")
        };
        ratios.push(peer_time.as_secs_f64() / ours_time.as_secs_f64());
        ours = (ours.0 + ours_time, ours.1.max(ours_peak));
        theirs = (theirs.0 + peer_time, theirs.1.max(peer_peak));
    }
    if ratios.is_empty() {
        return Err(format!(
            "no small spec ran through both tools (of {})",
            specs.len()
        ));
    }
    ratios.sort_by(f64::total_cmp);
    let mut note = format!(
        "per spec {:.0}x to {:.0}x (median {:.0}x)",
        ratios[0],
        ratios[ratios.len() - 1],
        ratios[ratios.len() / 2]
    );
    if !refused.is_empty() {
        note += &format!("; left out, refused by a tool: {}", refused.join(", "));
    }
    Ok(Row {
        work: "`gen --ts`",
        input: format!(
            "{} small public specs (a fixed sample of APIs.guru, each < {} KB), times summed",
            ratios.len(),
            SMALL_SPEC_BYTES / 1000
        ),
        rounds: ROUNDS,
        ours: Side::new("contracts gen --ts", ours),
        other: Some((
            Side::new("openapi-typescript 7.13", theirs),
            Compare::Faster,
        )),
        target: "keep 20-65x",
        note,
    })
}

/// The small specs, named by their path in the directory, in name order
/// (the corpus's order).
fn small_specs() -> Result<Vec<(String, PathBuf)>, String> {
    let folder = project_root().join(crate::corpus::APIS_GURU);
    let specs = (crate::corpus::apis_guru_development()?.into_iter())
        .filter(|path| path.metadata().is_ok_and(|m| m.len() < SMALL_SPEC_BYTES))
        .filter_map(|path| {
            let name = path
                .strip_prefix(&folder)
                .ok()?
                .to_string_lossy()
                .into_owned();
            crate::corpus::sampled(&name, "bench-ts-small", SMALL_SPEC_ONE_IN)
                .then_some((name, path))
        })
        .take(SMALL_SPECS)
        .collect();
    Ok(specs)
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
