//! What the conformance run's generators wrote, through real compilers and
//! runtimes: every `types.ts` with `tsc --strict`, the compiled sample's MSW
//! handlers under msw (`tests/msw/check.mjs`) and its Rust with cargo.
//! Each compiler runs over many specs at once; its messages are mapped back
//! to the spec by the folder (`specs/NNNN/`) of the file they name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use super::Spec;
use super::snapshot::Counts;
use crate::limits::{self, Binary, Verdict};
use crate::parallel::in_parallel;
use crate::project_root;

/// The flags of every `tsc` run that checks generated code, one per line
/// in `tests/tsc-flags`, which the CLI tests read too.
pub fn tsc_flags() -> Result<Vec<String>, String> {
    let path = project_root().join("tests/tsc-flags");
    let text =
        std::fs::read_to_string(&path).map_err(|error| format!("{}: {error}", path.display()))?;
    Ok(text.lines().map(str::to_owned).collect())
}

/// Files per `tsc` run: one program for many specs saves tsc's start-up,
/// and a batch small enough stays within memory.
const TS_BATCH: usize = 40;
const HANDLERS_BATCH: usize = 20;

/// Limits of a `tsc` batch, one spec's MSW check, the Rust build.
const TSC_TIME: Duration = Duration::from_secs(600);
const CHECK_TIME: Duration = Duration::from_secs(120);
const CARGO_TIME: Duration = Duration::from_secs(1800);
const NODE_MEMORY_KB: u64 = 6 * 1024 * 1024;

/// Snapshot key prefixes of the compile steps.
const TSC: &str = "tsc";
const MSW_TYPES: &str = "msw/tsc";
const MSW_RUN: &str = "msw/run";
const RUST: &str = "rust";

fn node(time_limit: Duration) -> Binary {
    Binary {
        path: "node".into(),
        time_limit,
        memory_limit_kb: NODE_MEMORY_KB,
    }
}

/// `specs/NNNN` in a compiler's message about one of a spec's files.
fn spec_folder(text: &str) -> Option<&str> {
    let start = text.find("specs/")?;
    text.get(start..start + "specs/NNNN".len())
}

fn folder_of(spec: &Spec) -> String {
    let name = spec.dir.file_name().unwrap_or_default().to_string_lossy();
    format!("specs/{name}")
}

/// Runs `tsc` over `files` (paths relative to `work`) in batches, two at a
/// time, each in its own folder `work/{name}-N`; the `TS` error codes by
/// spec folder, or why a batch did not run.
fn tsc(
    work: &Path,
    name: &str,
    files: &[String],
    batch_size: usize,
    flags: &[&str],
) -> Vec<Result<BTreeMap<String, BTreeSet<String>>, String>> {
    let compiler = project_root().join("tests/node_modules/typescript/bin/tsc");
    let common = match tsc_flags() {
        Ok(common) => common,
        Err(error) => return vec![Err(error)],
    };
    let batches: Vec<(usize, &[String])> = files.chunks(batch_size).enumerate().collect();
    in_parallel(&batches, |(index, batch)| {
        let dir = work.join(format!("{name}-{index}"));
        std::fs::create_dir_all(&dir).map_err(|error| error.to_string())?;
        let mut args = vec![compiler.display().to_string()];
        args.extend(common.iter().cloned());
        args.extend(flags.iter().map(|flag| (*flag).to_owned()));
        args.extend(batch.iter().map(|file| format!("../{file}")));
        let run = limits::run(&node(TSC_TIME), &args, &dir);
        if !matches!(run.verdict, Verdict::Exit(0..=2)) {
            return Err(format!("{:?}", run.verdict).to_lowercase());
        }
        let mut errors: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for line in run.stdout.lines() {
            if let (Some(folder), Some((_, message))) =
                (spec_folder(line), line.split_once(" error TS"))
            {
                let code: String = message.chars().take_while(char::is_ascii_digit).collect();
                errors
                    .entry(folder.to_owned())
                    .or_default()
                    .insert(format!("TS{code}"));
            }
        }
        Ok(errors)
    })
}

/// Adds each spec's `tsc` verdict under `prefix`: compiled, failed (and
/// by `TS` code), or not-run (its batch crashed or timed out).
fn count_tsc(
    prefix: &str,
    folders: &[Vec<String>],
    results: Vec<Result<BTreeMap<String, BTreeSet<String>>, String>>,
    counts: &mut Counts,
) {
    for category in ["compiled", "failed"] {
        counts.show(format!("{prefix}/{category}"));
    }
    for (batch, result) in folders.iter().zip(results) {
        match result {
            Ok(errors) => {
                for folder in batch {
                    match errors.get(folder) {
                        None => counts.add(format!("{prefix}/compiled"), 1),
                        Some(codes) => {
                            counts.add(format!("{prefix}/failed"), 1);
                            for code in codes {
                                counts.add(format!("{prefix}/failed/{code}"), 1);
                            }
                        }
                    }
                }
            }
            Err(why) => {
                eprintln!(
                    "conformance: {prefix}: a batch of {} specs did not run: {why}",
                    batch.len()
                );
                counts.add(format!("{prefix}/not-run/{why}"), batch.len() as u64);
            }
        }
    }
}

/// Counts specs that lack a file a step needs, and returns the others.
fn having<'a>(
    specs: impl Iterator<Item = &'a Spec>,
    files: &[&str],
    prefix: &str,
    counts: &mut Counts,
) -> Vec<&'a Spec> {
    let mut kept = Vec::new();
    for spec in specs {
        match files.iter().find(|file| !spec.dir.join(file).exists()) {
            Some(missing) => counts.add(format!("{prefix}/skipped/no-{missing}"), 1),
            None => kept.push(spec),
        }
    }
    kept
}

/// `tsc --strict --noEmit` over every spec's `types.ts`.
pub fn typescript(specs: &[Spec], work: &Path, counts: &mut Counts) {
    let typed = having(specs.iter(), &["types.ts"], TSC, counts);
    let folders: Vec<String> = typed.iter().map(|spec| folder_of(spec)).collect();
    let files: Vec<String> = folders
        .iter()
        .map(|folder| format!("{folder}/types.ts"))
        .collect();
    let results = tsc(work, "tsc", &files, TS_BATCH, &["--noEmit"]);
    let batches: Vec<Vec<String>> = folders.chunks(TS_BATCH).map(<[String]>::to_vec).collect();
    count_tsc(TSC, &batches, results, counts);
}

/// The compiled sample's handlers: `tsc --strict` compiles them (with their
/// types) to `js/NNNN/`, then `check.mjs` serves them with msw, calls every
/// operation and checks every body against the spec's gateway. The emitted
/// JavaScript runs even when tsc found type errors (they are counted apart).
pub fn msw(specs: &[Spec], work: &Path, counts: &mut Counts) -> Result<(), String> {
    let files = ["types.ts", "handlers.ts", "gateway.json"];
    let sample = having(
        specs.iter().filter(|spec| spec.compiled),
        &files,
        MSW_RUN,
        counts,
    );
    let folders: Vec<String> = sample.iter().map(|spec| folder_of(spec)).collect();
    let handlers: Vec<String> = folders
        .iter()
        .map(|folder| format!("{folder}/handlers.ts"))
        .collect();
    let results = tsc(
        work,
        "tsc-handlers",
        &handlers,
        HANDLERS_BATCH,
        &["--outDir", "../js", "--rootDir", "../specs"],
    );
    let batches: Vec<Vec<String>> = folders
        .chunks(HANDLERS_BATCH)
        .map(<[String]>::to_vec)
        .collect();
    count_tsc(MSW_TYPES, &batches, results, counts);

    let js = work.join("js");
    let write = |path: &Path, text: &str| {
        std::fs::write(path, text).map_err(|error| format!("{}: {error}", path.display()))
    };
    std::fs::create_dir_all(&js).map_err(|error| error.to_string())?;
    write(&js.join("package.json"), "{\"type\": \"module\"}\n")?;
    let script = std::fs::read_to_string(project_root().join("tests/msw/check.mjs"))
        .map_err(|error| error.to_string())?;
    for category in ["passed", "failed", "crashed", "timed-out"] {
        counts.show(format!("{MSW_RUN}/{category}"));
    }
    // Per spec: its report, or why there is none (`crashed`, `timed-out`, `no-javascript`).
    let reports = in_parallel(&sample, |spec| -> Result<Result<Value, &str>, String> {
        let dir = js.join(spec.dir.file_name().unwrap_or_default());
        if !dir.join("handlers.js").exists() {
            return Ok(Err("no-javascript"));
        }
        write(&dir.join("check.mjs"), &script)?;
        let args = [
            "check.mjs".to_owned(),
            spec.dir.join("gateway.json").display().to_string(),
            "--json".to_owned(),
        ];
        let run = limits::run(&node(CHECK_TIME), &args, &dir);
        let report = run
            .stdout
            .lines()
            .last()
            .and_then(|line| serde_json::from_str::<Value>(line).ok());
        Ok(match (&run.verdict, report) {
            (Verdict::Exit(0 | 1), Some(report)) => Ok(report),
            (Verdict::Failure(limits::Failure::Timeout), _) => Err("timed-out"),
            _ => {
                // Node ends with its version; the error is the line naming it.
                let error = (run.stderr.lines())
                    .find(|line| line.contains("Error"))
                    .unwrap_or_default();
                eprintln!("conformance: msw check crashed on {}: {error}", spec.name);
                Err("crashed")
            }
        })
    });
    for report in reports {
        match report? {
            Ok(report) => count_msw_report(&report, counts),
            Err("timed-out") => counts.add(format!("{MSW_RUN}/timed-out"), 1),
            Err(why) => {
                counts.add(format!("{MSW_RUN}/crashed"), 1);
                counts.add(format!("{MSW_RUN}/crashed/{why}"), 1);
            }
        }
    }
    Ok(())
}

/// Adds one spec's `check.mjs --json` report: whether every body it
/// checked was right, and its counts by kind.
fn count_msw_report(report: &Value, counts: &mut Counts) {
    let failures: u64 = (report["failed"].as_object().into_iter().flatten())
        .filter_map(|(_, count)| count.as_u64())
        .sum();
    counts.add(
        format!(
            "{MSW_RUN}/{}",
            if failures == 0 { "passed" } else { "failed" }
        ),
        1,
    );
    counts.add("msw/operations", report["operations"].as_u64().unwrap_or(0));
    counts.add("msw/bodies/valid", report["valid"].as_u64().unwrap_or(0));
    for (group, key) in [
        ("failed", "msw/bodies/wrong"),
        ("unchecked", "msw/unchecked"),
    ] {
        for (reason, count) in report[group].as_object().into_iter().flatten() {
            counts.add(format!("{key}/{reason}"), count.as_u64().unwrap_or(0));
        }
    }
}

/// The compiled sample's Rust modules, each as its own crate of one
/// workspace, so one module's errors cannot hide another's; built with
/// `--keep-going`, every message mapped to its crate.
pub fn rust(specs: &[Spec], work: &Path, counts: &mut Counts) -> Result<(), String> {
    let sample = having(
        specs.iter().filter(|spec| spec.compiled),
        &["types.rs"],
        RUST,
        counts,
    );
    let root = project_root();
    let workspace = work.join("rust");
    let manifest = std::fs::read_to_string(root.join("tests/rust/Cargo.toml"))
        .map_err(|error| error.to_string())?;
    let dependencies = section(&manifest, "[dependencies]");
    let mut members = Vec::new();
    for spec in &sample {
        let name = format!(
            "spec-{}",
            spec.dir.file_name().unwrap_or_default().to_string_lossy()
        );
        let krate = workspace.join(&name);
        std::fs::create_dir_all(krate.join("src")).map_err(|error| error.to_string())?;
        // The edition and dependencies of tests/rust, the suite's own check crate.
        std::fs::write(
            krate.join("Cargo.toml"),
            format!("# {}\n[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n{dependencies}", spec.name),
        )
        .map_err(|error| error.to_string())?;
        std::fs::copy(spec.dir.join("types.rs"), krate.join("src/lib.rs"))
            .map_err(|error| error.to_string())?;
        members.push(format!("{name:?}"));
    }
    for category in ["compiled", "warned", "failed", "not-built"] {
        counts.show(format!("{RUST}/{category}"));
    }
    if members.is_empty() {
        return Ok(());
    }
    std::fs::write(
        workspace.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n{}",
            members.join(", "),
            section(&manifest, "[profile.dev]")
        ),
    )
    .map_err(|error| error.to_string())?;
    // The suite's lock: the same dependency versions, nothing to resolve.
    std::fs::copy(
        root.join("tests/rust/Cargo.lock"),
        workspace.join("Cargo.lock"),
    )
    .map_err(|error| error.to_string())?;
    let cargo = Binary {
        path: "cargo".into(),
        time_limit: CARGO_TIME,
        memory_limit_kb: u64::MAX,
    };
    // The suite's Rust tests' target folder (tests/cli/gen_rust.rs): the
    // same dependencies, versions and profile, so they are built once.
    let target = root.join("target/rust-check").display().to_string();
    let args = [
        "build",
        "--keep-going",
        "--message-format",
        "json",
        "--target-dir",
        &target,
    ]
    .map(str::to_owned);
    let run = limits::run(&cargo, &args, &workspace);
    // Cargo exits 101 when a crate fails: its messages say which. Stopped
    // by the time limit, the crates it did not build count as not built.
    if run.verdict == Verdict::Failure(limits::Failure::Timeout) {
        eprintln!("conformance: cargo build of the Rust sample timed out");
    }
    // Per crate: built (an artifact), and the codes of its errors and warnings.
    let mut built = BTreeSet::new();
    let mut messages: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    for message in run
        .stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
    {
        let Some(name) = message["package_id"].as_str().and_then(crate_name) else {
            continue;
        };
        match message["reason"].as_str() {
            Some("compiler-artifact") => {
                built.insert(name);
            }
            Some("compiler-message") => {
                let diagnostic = &message["message"];
                // Totals ("3 warnings emitted") have neither code nor place.
                let spans = diagnostic["spans"]
                    .as_array()
                    .is_some_and(|spans| !spans.is_empty());
                let code = diagnostic["code"]["code"].as_str();
                if code.is_none() && !spans {
                    continue;
                }
                let code = code.unwrap_or("uncoded").to_owned();
                let (errors, warnings) = messages.entry(name).or_default();
                match diagnostic["level"].as_str() {
                    Some("error") => errors.insert(code),
                    _ => warnings.insert(code),
                };
            }
            _ => {}
        }
    }
    for spec in &sample {
        let name = format!(
            "spec-{}",
            spec.dir.file_name().unwrap_or_default().to_string_lossy()
        );
        let (errors, warnings) = messages.remove(&name).unwrap_or_default();
        let (category, codes) = if !errors.is_empty() {
            ("failed", errors)
        } else if !built.contains(&name) {
            ("not-built", BTreeSet::new())
        } else if !warnings.is_empty() {
            ("warned", warnings)
        } else {
            ("compiled", BTreeSet::new())
        };
        if category != "compiled" {
            eprintln!("conformance: rust {category} on {}: {codes:?}", spec.name);
        }
        counts.add(format!("{RUST}/{category}"), 1);
        for code in codes {
            counts.add(format!("{RUST}/{category}/{code}"), 1);
        }
    }
    Ok(())
}

/// The crate name in a cargo package id (`path+file:///…/spec-0012#0.0.0`
/// or `spec-0012 0.0.0 (path+…)`), for the sample's crates only.
fn crate_name(package_id: &str) -> Option<String> {
    let start = package_id.rfind("spec-")?;
    let digits: String = package_id[start + "spec-".len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (!digits.is_empty()).then(|| format!("spec-{digits}"))
}

/// A TOML section of a manifest, header included, up to the next header.
fn section(manifest: &str, header: &str) -> String {
    let Some(start) = manifest.find(header) else {
        return String::new();
    };
    let body = &manifest[start + header.len()..];
    let end = body.find("\n[").map_or(body.len(), |end| end + 1);
    format!("{header}{}", &body[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiler_messages_map_back_to_their_spec() {
        let line = "../specs/0012/types.ts(3,5): error TS2322: Type 'string' is not assignable";
        assert_eq!(spec_folder(line), Some("specs/0012"));
        assert_eq!(
            crate_name("path+file:///w/rust/spec-0012#0.0.0"),
            Some("spec-0012".to_owned())
        );
        assert_eq!(
            crate_name("spec-0400 0.0.0 (path+file:///w/rust/spec-0400)"),
            Some("spec-0400".to_owned())
        );
        assert_eq!(crate_name("registry+https://x#serde@1.0.0"), None);
    }

    #[test]
    fn a_section_runs_to_the_next_header() {
        let manifest = "[package]\nname = \"x\"\n\n[dependencies]\nserde = \"1\"\n\n[profile.dev]\ndebug = false\n";
        assert_eq!(
            section(manifest, "[dependencies]"),
            "[dependencies]\nserde = \"1\"\n\n"
        );
        assert_eq!(
            section(manifest, "[profile.dev]"),
            "[profile.dev]\ndebug = false\n"
        );
    }
}
