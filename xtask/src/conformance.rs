//! `cargo xtask conformance [--all] [--update] [--debug]`: every spec of the APIs.guru
//! development corpus (or, without `--all`, a fixed sample of it) through
//! every command, then what was generated through its compiler: the
//! TypeScript with `tsc --strict`, a fixed tenth of the MSW handlers under
//! real msw with every body checked, a fixed tenth of the Rust modules with
//! cargo. Counts are compared with a committed snapshot: a count that got
//! worse fails the run; otherwise the snapshot is rewritten, so improvements
//! show in review. `--update` rewrites it even when worse.
//! `--only STAGE,...` runs those command stages alone and prints their
//! counts, without compilers or snapshot: for working on one stage.
//!
//! The `diff-deref` stages check that `diff` compares by meaning: every spec
//! is dereferenced by an independent tool (`tests/conformance/deref.mjs`,
//! json-schema-ref-parser) and any change `diff` reports between the spec
//! and its dereferenced copy, either way, is a problem. Specs it cannot
//! dereference faithfully (cyclic refs, a `$ref` with siblings that the
//! dereferencer would merge against the spec's meaning, too big) are
//! skipped, counted by reason, and each listed in `deref-skipped.txt` of the
//! run's folder.

pub mod compile;
mod outcome;
mod snapshot;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::limits::{self, Binary};
use crate::parallel::in_parallel;
use crate::phases::Phases;
use crate::project_root;
use outcome::{CATEGORIES, Outcome};
use snapshot::Counts;

const USAGE: &str =
    "usage: cargo xtask conformance [--all] [--update] [--debug] [--only STAGE,...]";

/// The whole corpus's counts, and the sample's (what CI runs).
const SNAPSHOT_ALL: &str = "tests/conformance/apisguru.json";
const SNAPSHOT_SAMPLE: &str = "tests/conformance/apisguru-sample.json";

/// Without `--all`, about one spec in this many: what fits CI's budget.
const CI_SAMPLE_ONE_IN: u64 = 5;
/// Of the specs run, about one in this many also has its MSW handlers run
/// and its Rust compiled.
const COMPILE_SAMPLE_ONE_IN: u64 = 10;

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
    /// A file an earlier stage writes that this one reads, and the reason
    /// it is skipped without it (unless `{file}.skipped` names another).
    needs: Option<(&'static str, &'static str)>,
    /// Any change reported (at any level) is a problem, not only a breaking
    /// one: for diffs that must find none.
    any_change_is_problem: bool,
}

const STAGES: [Stage; 9] = [
    Stage {
        name: "validate",
        args: &["validate", "--format", "json", "{spec}"],
        json_diagnostics: true,
        needs: None,
        any_change_is_problem: false,
    },
    Stage {
        name: "gen-ts",
        args: &["gen", "--ts", "{spec}", "--output", "types.ts"],
        json_diagnostics: false,
        needs: None,
        any_change_is_problem: false,
    },
    Stage {
        name: "gen-msw",
        args: &["gen", "--msw", "{spec}", "--output", "handlers.ts"],
        json_diagnostics: false,
        needs: None,
        any_change_is_problem: false,
    },
    Stage {
        name: "gen-rust",
        args: &["gen", "--rust", "{spec}", "--output", "types.rs"],
        json_diagnostics: false,
        needs: None,
        any_change_is_problem: false,
    },
    Stage {
        name: "merge",
        args: &["merge", "--config", "contracts.toml"],
        json_diagnostics: false,
        needs: None,
        any_change_is_problem: false,
    },
    Stage {
        name: "diff-self",
        args: &["diff", "--format", "json", "{spec}", "{spec}"],
        json_diagnostics: false,
        needs: None,
        any_change_is_problem: false,
    },
    Stage {
        name: "diff-gateway",
        args: &["diff", "--format", "json", "{spec}", "gateway.json"],
        json_diagnostics: false,
        needs: Some(("gateway.json", "no-gateway")),
        any_change_is_problem: false,
    },
    Stage {
        name: "diff-deref",
        args: &["diff", "--format", "json", "{spec}", DEREF],
        json_diagnostics: false,
        needs: Some((DEREF, "no-deref")),
        any_change_is_problem: true,
    },
    Stage {
        name: "diff-deref-back",
        args: &["diff", "--format", "json", DEREF, "{spec}"],
        json_diagnostics: false,
        needs: Some((DEREF, "no-deref")),
        any_change_is_problem: true,
    },
];

/// The spec dereferenced by `tests/conformance/deref.mjs`, in the spec's folder.
const DEREF: &str = "deref.json";
/// Why `deref.mjs` wrote no `deref.json` (see the script); a reason outside
/// this list is counted as `failed`.
const DEREF_SKIPS: [&str; 5] = ["cyclic", "changes-meaning", "too-big", "failed", "crashed"];
/// Specs per Node process of `deref.mjs`: one start-up for many.
const DEREF_BATCH: usize = 16;
/// Limits of one `deref.mjs` process (the script itself counts a spec that
/// takes longer than a minute as too big).
const DEREF_TIME: Duration = Duration::from_secs(900);
const DEREF_MEMORY_KB: u64 = 8 * 1024 * 1024;

/// The one-service gateway: the spec as it is (no prefix), as OpenAPI 3.1,
/// so 3.0 specs go through the conversion and the MSW check's validator
/// (JSON Schema 2020-12) reads it as meant.
const CONFIG: &str =
    "[services.api]\nspec = {spec}\n\n[gateway]\noutput = \"gateway.json\"\nopenapi = \"3.1\"\n";

struct Options {
    all: bool,
    update: bool,
    /// Runs the debug build, with its time limit scaled (what CI has at hand).
    debug: bool,
    /// The stages run, by name; `None`: all, with the compilers and snapshot.
    only: Option<Vec<String>>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options, String> {
        let mut options = Options {
            all: false,
            update: false,
            debug: false,
            only: None,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--all" => options.all = true,
                "--update" => options.update = true,
                "--debug" => options.debug = true,
                "--only" => {
                    let names: Vec<String> = (args.next().ok_or(USAGE)?.split(','))
                        .map(str::to_owned)
                        .collect();
                    if let Some(name) = (names.iter())
                        .find(|name| !STAGES.iter().any(|stage| stage.name == name.as_str()))
                    {
                        return Err(format!("no stage {name}: {USAGE}"));
                    }
                    options.only = Some(names);
                }
                _ => return Err(USAGE.to_owned()),
            }
        }
        Ok(options)
    }

    fn runs(&self, stage: &Stage) -> bool {
        (self.only.as_ref()).is_none_or(|names| names.iter().any(|name| name == stage.name))
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
    let binary = Binary::contracts(
        crate::contracts_binary(options.debug)?,
        options.debug,
        TIME_LIMIT,
        MEMORY_LIMIT_KB,
    );
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
    let stages: Vec<&Stage> = STAGES.iter().filter(|stage| options.runs(stage)).collect();
    let mut phases = Phases::default();
    phases.time("commands", || {
        run_stages(&binary, &specs, &stages, &work, &mut counts)
    })?;
    if options.only.is_none() {
        phases.time("tsc", || compile::typescript(&specs, &work, &mut counts));
        phases.time("msw", || compile::msw(&specs, &work, &mut counts))?;
        phases.time("rust", || compile::rust(&specs, &work, &mut counts))?;
    }

    print_table(&counts, &stages);
    eprintln!(
        "conformance: {} specs in {:.0} s ({})",
        specs.len(),
        started.elapsed().as_secs_f64(),
        phases.summary()
    );
    if options.only.is_some() {
        eprintln!("conformance: some stages only: no snapshot compared");
        return Ok(());
    }
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

/// Every stage on every spec; adds each outcome to `counts`. Specs go in
/// batches of [`DEREF_BATCH`], each dereferenced by one Node process first
/// when a stage needs that. Outputs that no later step reads are removed as
/// soon as the spec is done.
fn run_stages(
    binary: &Binary,
    specs: &[Spec],
    stages: &[&Stage],
    work: &Path,
    counts: &mut Counts,
) -> Result<(), String> {
    for stage in stages {
        for category in CATEGORIES {
            counts.show(format!("{}/{category}", stage.name));
        }
    }
    let dereferences =
        (stages.iter()).any(|stage| stage.needs.is_some_and(|(file, _)| file == DEREF));
    let done = AtomicUsize::new(0);
    let batches: Vec<&[Spec]> = specs.chunks(DEREF_BATCH).collect();
    let outcomes = in_parallel(&batches, |batch| -> Result<_, String> {
        let skips = if dereferences {
            dereference(batch)?
        } else {
            Vec::new()
        };
        let mut outcomes = Vec::new();
        for spec in batch.iter() {
            outcomes.push(run_spec(binary, spec, stages)?);
            let done = done.fetch_add(1, Ordering::Relaxed) + 1;
            if done.is_multiple_of(100) {
                eprintln!("conformance: {done} of {} specs", specs.len());
            }
        }
        Ok((outcomes, skips))
    });
    let mut skipped = Vec::new();
    for batch in outcomes {
        let (outcomes, skips) = batch?;
        skipped.extend(skips);
        for outcomes in outcomes {
            for (stage, outcome) in stages.iter().zip(outcomes) {
                for key in outcome.keys(stage.name) {
                    counts.add(key, 1);
                }
            }
        }
    }
    if dereferences {
        let list = work.join("deref-skipped.txt");
        std::fs::write(&list, skipped.concat())
            .map_err(|error| format!("{}: {error}", list.display()))?;
        eprintln!(
            "conformance: {} specs not dereferenced, each with its reason in {}",
            skipped.len(),
            list.display()
        );
    }
    Ok(())
}

/// Runs `tests/conformance/deref.mjs` on a batch: `deref.json` in each
/// spec's folder, or `deref.json.skipped` with the reason. Returns a line
/// per spec skipped: its name, reason and the script's detail.
fn dereference(batch: &[Spec]) -> Result<Vec<String>, String> {
    let Some(first) = batch.first() else {
        return Ok(Vec::new());
    };
    let error = |error: std::io::Error| format!("{}: {error}", first.dir.display());
    let jobs: Vec<serde_json::Value> = (batch.iter().enumerate())
        .map(|(id, spec)| {
            serde_json::json!({
                "id": id,
                "spec": spec.path,
                "output": spec.dir.join(DEREF),
            })
        })
        .collect();
    for spec in batch {
        std::fs::create_dir_all(&spec.dir).map_err(error)?;
    }
    let jobs_file = first.dir.join("deref-jobs.json");
    std::fs::write(&jobs_file, serde_json::Value::Array(jobs).to_string()).map_err(error)?;
    let node = Binary {
        path: "node".into(),
        time_limit: DEREF_TIME,
        memory_limit_kb: DEREF_MEMORY_KB,
    };
    let script = project_root().join("tests/conformance/deref.mjs");
    let args = [
        script.display().to_string(),
        jobs_file.display().to_string(),
    ];
    let run = limits::run(&node, &args, &first.dir);
    let _ = std::fs::remove_file(&jobs_file);
    let mut reports: Vec<Option<serde_json::Value>> = vec![None; batch.len()];
    for line in run.stdout.lines() {
        if let Ok(report) = serde_json::from_str::<serde_json::Value>(line)
            && let Some(slot) = (report["id"].as_u64()).and_then(|id| reports.get_mut(id as usize))
        {
            *slot = Some(report);
        }
    }
    let mut skipped = Vec::new();
    for (spec, report) in batch.iter().zip(reports) {
        let (reason, detail) = match &report {
            Some(report) if report["ok"] == true => continue,
            Some(report) => (
                report["skipped"].as_str().unwrap_or("failed").to_owned(),
                report["detail"].as_str().unwrap_or_default().to_owned(),
            ),
            None => {
                let error = (run.stderr.lines())
                    .find(|line| line.contains("Error"))
                    .unwrap_or_default();
                ("crashed".to_owned(), format!("{:?} {error}", run.verdict))
            }
        };
        let skip = spec.dir.join(format!("{DEREF}.skipped"));
        std::fs::write(&skip, &reason).map_err(error)?;
        skipped.push(format!("{}\t{reason}\t{detail}\n", spec.name));
    }
    Ok(skipped)
}

fn run_spec(binary: &Binary, spec: &Spec, stages: &[&Stage]) -> Result<Vec<Outcome>, String> {
    let error = |error: std::io::Error| format!("{}: {error}", spec.dir.display());
    std::fs::create_dir_all(&spec.dir).map_err(error)?;
    let path = spec.path.display().to_string();
    let config = CONFIG.replace("{spec}", &format!("{path:?}"));
    std::fs::write(spec.dir.join("contracts.toml"), config).map_err(error)?;
    let mut outcomes = Vec::new();
    let mut keep_deref = false;
    for stage in stages {
        if let Some((file, reason)) = stage.needs
            && !spec.dir.join(file).exists()
        {
            let named = std::fs::read_to_string(spec.dir.join(format!("{file}.skipped")));
            let reason = match named {
                Ok(named) => (DEREF_SKIPS.iter())
                    .find(|skip| **skip == named.trim())
                    .copied()
                    .unwrap_or("failed"),
                Err(_) => reason,
            };
            outcomes.push(Outcome::Skipped(reason));
            continue;
        }
        let args: Vec<String> = (stage.args.iter())
            .map(|arg| arg.replace("{spec}", &path))
            .collect();
        let run = limits::run(binary, &args, &spec.dir);
        let mut outcome = Outcome::classify(
            &run.verdict,
            &run.stdout,
            &run.stderr,
            stage.json_diagnostics,
        );
        if stage.any_change_is_problem
            && matches!(outcome, Outcome::Ok | Outcome::Warned(_))
            && changes_reported(&run.stdout)
        {
            outcome = Outcome::FoundProblem;
        }
        if stage.any_change_is_problem && outcome == Outcome::FoundProblem {
            // What it found, to look at after the run.
            let report = spec.dir.join(format!("{}.json", stage.name));
            std::fs::write(&report, &run.stdout).map_err(error)?;
            keep_deref = true;
        }
        if matches!(outcome, Outcome::Crashed(_) | Outcome::TimedOut) {
            eprintln!("conformance: {} {:?} on {}", stage.name, outcome, spec.name);
        }
        outcomes.push(outcome);
    }
    // The types every spec keeps for tsc; the rest only the compiled sample,
    // and the dereferenced spec only where a diff of it found a change.
    if !spec.compiled {
        for file in ["handlers.ts", "types.rs", "gateway.json"] {
            let _ = std::fs::remove_file(spec.dir.join(file));
        }
    }
    if !keep_deref {
        let _ = std::fs::remove_file(spec.dir.join(DEREF));
    }
    Ok(outcomes)
}

/// Whether a `diff --format json` report counts a change at any level (a
/// report that does not read counts as one).
fn changes_reported(stdout: &str) -> bool {
    let Ok(report) = serde_json::from_str::<serde_json::Value>(stdout) else {
        return true;
    };
    let summary = &report["summary"];
    ["error", "warning", "info"]
        .iter()
        .any(|level| summary[*level].as_u64() != Some(0))
}

/// One line per stage: its categories' counts.
fn print_table(counts: &Counts, stages: &[&Stage]) {
    eprintln!(
        "{:<15} {:>6} {:>6} {:>8} {:>7} {:>7} {:>8} {:>7}",
        "stage", "ok", "warned", "problem", "refused", "crashed", "timedout", "skipped"
    );
    for stage in stages {
        let cells: Vec<String> = (CATEGORIES.iter())
            .zip([6, 6, 8, 7, 7, 8, 7])
            .map(|(category, width)| {
                format!(
                    "{:>width$}",
                    counts.get(&format!("{}/{category}", stage.name))
                )
            })
            .collect();
        eprintln!("{:<15} {}", stage.name, cells.join(" "));
    }
    for (key, count) in &counts.0 {
        let top = key.split('/').next().unwrap_or_default();
        if key.contains("/skipped/") && stages.iter().any(|stage| stage.name == top) {
            eprintln!("{key}: {count}");
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_that_must_find_nothing_fails_on_any_level() {
        let none = r#"{"changes": [], "summary": {"error": 0, "warning": 0, "info": 0}}"#;
        assert!(!changes_reported(none));
        let info = r#"{"changes": [{}], "summary": {"error": 0, "warning": 0, "info": 1}}"#;
        assert!(changes_reported(info));
        assert!(changes_reported("not json"));
    }

    #[test]
    fn only_names_known_stages() {
        let args = |list: &[&str]| list.iter().map(|arg| (*arg).to_owned()).collect::<Vec<_>>();
        let options =
            Options::parse(&args(&["--all", "--only", "diff-deref,diff-deref-back"])).unwrap();
        let run: Vec<&str> = (STAGES.iter())
            .filter(|stage| options.runs(stage))
            .map(|stage| stage.name)
            .collect();
        assert_eq!(run, ["diff-deref", "diff-deref-back"]);
        assert!(Options::parse(&args(&["--only", "gen-go"])).is_err());
        assert!(Options::parse(&args(&["--only"])).is_err());
        let every = Options::parse(&[]).unwrap();
        assert!(STAGES.iter().all(|stage| every.runs(stage)));
    }
}
