//! `cargo xtask conformance [--all] [--update]`: every spec of the APIs.guru
//! development corpus (or, without `--all`, a fixed sample of it) through
//! every command, then what was generated through its compiler: the
//! TypeScript with `tsc --strict`, a fixed tenth of the MSW handlers under
//! real msw with every body checked, a fixed tenth of the Rust modules with
//! cargo. Counts are compared with a committed snapshot: a count that got
//! worse fails the run; otherwise the snapshot is rewritten, so improvements
//! show in review. `--update` rewrites it even when worse.

pub mod compile;
mod outcome;
mod snapshot;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::limits::{self, Binary};
use crate::project_root;
use outcome::{CATEGORIES, Outcome};
use snapshot::Counts;

const USAGE: &str = "usage: cargo xtask conformance [--all] [--update]";

/// The whole corpus's counts, and the sample's (what CI runs).
const SNAPSHOT_ALL: &str = "tests/conformance/apisguru.json";
const SNAPSHOT_SAMPLE: &str = "tests/conformance/apisguru-sample.json";

/// Without `--all`, about one spec in this many: what fits CI's budget.
const CI_SAMPLE_ONE_IN: u64 = 5;
/// Of the specs run, about one in this many also has its MSW handlers run
/// and its Rust compiled.
const COMPILE_SAMPLE_ONE_IN: u64 = 10;

/// Children at a time: the machine's two cores.
pub const WORKERS: usize = 2;

/// A command on a real spec longer than this is counted as a hang.
const TIME_LIMIT: Duration = Duration::from_secs(60);
/// A command past this much resident memory is counted as a crash.
const MEMORY_LIMIT_KB: u64 = 2 * 1024 * 1024;

/// One command every spec goes through, in order, in the spec's folder.
/// `{spec}` is the spec's path; the files named are what later steps read.
struct Stage {
    name: &'static str,
    args: &'static [&'static str],
    /// The command prints its diagnostics as JSON on stdout.
    json_diagnostics: bool,
    /// A file an earlier stage writes that this one reads.
    needs: Option<(&'static str, &'static str)>,
}

const STAGES: [Stage; 7] = [
    Stage {
        name: "validate",
        args: &["validate", "--format", "json", "{spec}"],
        json_diagnostics: true,
        needs: None,
    },
    Stage {
        name: "gen-ts",
        args: &["gen", "--ts", "{spec}", "--output", "types.ts"],
        json_diagnostics: false,
        needs: None,
    },
    Stage {
        name: "gen-msw",
        args: &["gen", "--msw", "{spec}", "--output", "handlers.ts"],
        json_diagnostics: false,
        needs: None,
    },
    Stage {
        name: "gen-rust",
        args: &["gen", "--rust", "{spec}", "--output", "types.rs"],
        json_diagnostics: false,
        needs: None,
    },
    Stage {
        name: "merge",
        args: &["merge", "--config", "contracts.toml"],
        json_diagnostics: false,
        needs: None,
    },
    Stage {
        name: "diff-self",
        args: &["diff", "--format", "json", "{spec}", "{spec}"],
        json_diagnostics: false,
        needs: None,
    },
    Stage {
        name: "diff-gateway",
        args: &["diff", "--format", "json", "{spec}", "gateway.json"],
        json_diagnostics: false,
        needs: Some(("gateway.json", "no-gateway")),
    },
];

/// The one-service gateway: the spec as it is (no prefix), as OpenAPI 3.1,
/// so 3.0 specs go through the conversion and the MSW check's validator
/// (JSON Schema 2020-12) reads it as meant.
const CONFIG: &str =
    "[services.api]\nspec = {spec}\n\n[gateway]\noutput = \"gateway.json\"\nopenapi = \"3.1\"\n";

struct Options {
    all: bool,
    update: bool,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options, String> {
        let mut options = Options {
            all: false,
            update: false,
        };
        for arg in args {
            match arg.as_str() {
                "--all" => options.all = true,
                "--update" => options.update = true,
                _ => return Err(USAGE.to_owned()),
            }
        }
        Ok(options)
    }
}

/// A spec of the run: its name in the directory, its path, its folder for outputs.
pub struct Spec {
    pub name: String,
    pub path: PathBuf,
    pub dir: PathBuf,
    /// Its handlers are run and its Rust compiled.
    pub compiled: bool,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let options = Options::parse(args)?;
    let corpus = match crate::corpus::apis_guru_development() {
        Ok(corpus) => corpus,
        Err(why) => {
            eprintln!("conformance: not run: {why}");
            return Ok(());
        }
    };
    let started = Instant::now();
    let binary = Binary {
        path: crate::release_binary()?,
        time_limit: TIME_LIMIT,
        memory_limit_kb: MEMORY_LIMIT_KB,
    };
    let root = project_root();
    let directory = root.join(crate::corpus::APIS_GURU);
    let work = work_dir()?;
    let specs: Vec<Spec> = (corpus.iter())
        .map(|path| {
            let name = (path.strip_prefix(&directory).unwrap_or(path))
                .display()
                .to_string();
            (name, path)
        })
        .filter(|(name, _)| options.all || crate::corpus::sampled(name, "ci", CI_SAMPLE_ONE_IN))
        .enumerate()
        .map(|(index, (name, path))| Spec {
            compiled: crate::corpus::sampled(&name, "compile", COMPILE_SAMPLE_ONE_IN),
            dir: work.join(format!("specs/{index:04}")),
            name,
            path: path.clone(),
        })
        .collect();
    let (label, snapshot) = if options.all {
        ("the whole development corpus", SNAPSHOT_ALL)
    } else {
        ("a fixed sample of the development corpus", SNAPSHOT_SAMPLE)
    };
    eprintln!(
        "conformance: {} specs, {label} ({} of the directory's even positions); outputs in {}",
        specs.len(),
        corpus.len(),
        work.display()
    );

    let mut counts = Counts::default();
    counts.add("specs", specs.len() as u64);
    let mut timings = Vec::new();
    let phase = Instant::now();
    run_stages(&binary, &specs, &mut counts)?;
    timings.push(("commands", phase.elapsed()));
    let phase = Instant::now();
    compile::typescript(&specs, &work, &mut counts);
    timings.push(("tsc", phase.elapsed()));
    let phase = Instant::now();
    compile::msw(&specs, &work, &mut counts)?;
    timings.push(("msw", phase.elapsed()));
    let phase = Instant::now();
    compile::rust(&specs, &work, &mut counts)?;
    timings.push(("rust", phase.elapsed()));

    print_table(&counts);
    let times: Vec<String> = (timings.iter())
        .map(|(name, time)| format!("{name} {:.0} s", time.as_secs_f64()))
        .collect();
    eprintln!(
        "conformance: {} specs in {:.0} s ({})",
        specs.len(),
        started.elapsed().as_secs_f64(),
        times.join(", ")
    );
    settle(&counts, &root.join(snapshot), options.update)
}

/// The scratch folder, emptied first and kept after the run to look at.
/// Below `tests/`, so node finds the harness's `node_modules` (msw, ajv)
/// from the compiled handlers; at a fixed path, so cargo reuses what it
/// built for a Rust module that did not change.
fn work_dir() -> Result<PathBuf, String> {
    let work = project_root().join("tests/.work/conformance");
    let error = |error: std::io::Error| format!("{}: {error}", work.display());
    if work.exists() {
        std::fs::remove_dir_all(&work).map_err(error)?;
    }
    std::fs::create_dir_all(&work).map_err(error)?;
    Ok(work)
}

/// Runs `job` on every item, [`WORKERS`] at a time; the results in item order.
pub fn in_parallel<T: Sync, R: Send>(items: &[T], job: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..WORKERS)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else {
                            return done;
                        };
                        done.push((index, job(item)));
                    }
                })
            })
            .collect();
        (workers.into_iter())
            .flat_map(|worker| worker.join().expect("no worker panics"))
            .collect()
    });
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}

/// Every stage on every spec; adds each outcome to `counts`. Outputs that
/// no later step reads are removed as soon as the spec is done.
fn run_stages(binary: &Binary, specs: &[Spec], counts: &mut Counts) -> Result<(), String> {
    for stage in &STAGES {
        for category in CATEGORIES {
            counts.show(format!("{}/{category}", stage.name));
        }
    }
    let done = AtomicUsize::new(0);
    let outcomes = in_parallel(specs, |spec| {
        let outcomes = run_spec(binary, spec);
        let done = done.fetch_add(1, Ordering::Relaxed) + 1;
        if done.is_multiple_of(100) {
            eprintln!("conformance: {done} of {} specs", specs.len());
        }
        outcomes
    });
    for outcomes in outcomes {
        for (stage, outcome) in STAGES.iter().zip(outcomes?) {
            for key in outcome.keys(stage.name) {
                counts.add(key, 1);
            }
        }
    }
    Ok(())
}

fn run_spec(binary: &Binary, spec: &Spec) -> Result<Vec<Outcome>, String> {
    let error = |error: std::io::Error| format!("{}: {error}", spec.dir.display());
    std::fs::create_dir_all(&spec.dir).map_err(error)?;
    let path = spec.path.display().to_string();
    let config = CONFIG.replace("{spec}", &format!("{path:?}"));
    std::fs::write(spec.dir.join("contracts.toml"), config).map_err(error)?;
    let mut outcomes = Vec::new();
    for stage in &STAGES {
        if let Some((file, reason)) = stage.needs
            && !spec.dir.join(file).exists()
        {
            outcomes.push(Outcome::Skipped(reason));
            continue;
        }
        let args: Vec<String> = (stage.args.iter())
            .map(|arg| arg.replace("{spec}", &path))
            .collect();
        let run = limits::run(binary, &args, &spec.dir);
        let outcome = Outcome::classify(
            &run.verdict,
            &run.stdout,
            &run.stderr,
            stage.json_diagnostics,
        );
        if matches!(outcome, Outcome::Crashed(_) | Outcome::TimedOut) {
            eprintln!("conformance: {} {:?} on {}", stage.name, outcome, spec.name);
        }
        outcomes.push(outcome);
    }
    // The types every spec keeps for tsc; the rest only the compiled sample.
    if !spec.compiled {
        for file in ["handlers.ts", "types.rs", "gateway.json"] {
            let _ = std::fs::remove_file(spec.dir.join(file));
        }
    }
    Ok(outcomes)
}

/// One line per stage: its categories' counts.
fn print_table(counts: &Counts) {
    eprintln!(
        "{:<13} {:>6} {:>6} {:>8} {:>7} {:>7} {:>8} {:>7}",
        "stage", "ok", "warned", "problem", "refused", "crashed", "timedout", "skipped"
    );
    for stage in &STAGES {
        let cells: Vec<String> = (CATEGORIES.iter())
            .zip([6, 6, 8, 7, 7, 8, 7])
            .map(|(category, width)| {
                format!(
                    "{:>width$}",
                    counts.get(&format!("{}/{category}", stage.name))
                )
            })
            .collect();
        eprintln!("{:<13} {}", stage.name, cells.join(" "));
    }
    for (key, count) in &counts.0 {
        let top = key.split('/').next().unwrap_or_default();
        if !STAGES.iter().any(|stage| stage.name == top) && key != "specs" {
            eprintln!("{key}: {count}");
        }
    }
}

/// Compares with the committed snapshot; writes the new counts unless one
/// got worse (or with `update`).
fn settle(counts: &Counts, snapshot: &Path, update: bool) -> Result<(), String> {
    let shown = snapshot
        .strip_prefix(project_root())
        .unwrap_or(snapshot)
        .display();
    let Some(before) = Counts::read(snapshot)? else {
        write_counts(counts, snapshot)?;
        eprintln!("conformance: {shown} written (there was none): commit it");
        return Ok(());
    };
    let comparison = snapshot::compare(&before, counts);
    for moved in &comparison.better {
        eprintln!("conformance: better: {moved}");
    }
    for moved in &comparison.resized {
        eprintln!("conformance: resized: {moved}");
    }
    for moved in &comparison.worse {
        eprintln!("conformance: WORSE: {moved}");
    }
    if !comparison.worse.is_empty() && !update {
        return Err(format!(
            "{} count(s) got worse than {shown} (listed above); fix them, or accept them with `cargo xtask conformance{} --update`",
            comparison.worse.len(),
            if shown.to_string() == SNAPSHOT_ALL {
                " --all"
            } else {
                ""
            }
        ));
    }
    if before == *counts {
        eprintln!("conformance: {shown} unchanged");
        return Ok(());
    }
    write_counts(counts, snapshot)?;
    eprintln!(
        "conformance: {shown} rewritten ({} better, {} worse, {} resized): commit it",
        comparison.better.len(),
        comparison.worse.len(),
        comparison.resized.len()
    );
    Ok(())
}

fn write_counts(counts: &Counts, snapshot: &Path) -> Result<(), String> {
    std::fs::create_dir_all(snapshot.parent().expect("a file in a folder"))
        .and_then(|()| std::fs::write(snapshot, counts.to_json()))
        .map_err(|error| format!("{}: {error}", snapshot.display()))
}
