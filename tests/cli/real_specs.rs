//! Real specs: the GitHub REST description and third-party corpora load
//! without a crash, and their findings are recorded as a snapshot so any
//! change in what the validator reports shows up in review.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::{contracts, project_root};

const GITHUB_SPEC: &str = "tests/node_modules/@octokit/openapi/generated/api.github.com.json";
const README_EXAMPLES: &str = "tests/node_modules/@readme/oas-examples";

fn require(path: &str) -> PathBuf {
    let full = project_root().join(path);
    assert!(
        full.exists(),
        "{} is missing: run `npm ci --prefix tests` (cargo xtask ci does)",
        full.display()
    );
    full
}

pub fn files_under(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("corpus folder is readable") {
            let path = entry.expect("corpus entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|ext| extensions.iter().any(|e| ext == *e))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// `exit N, errors: code xN ..., warnings: ...` for one spec.
fn summary(spec: &Path) -> String {
    let run = contracts(&["validate", "--format", "json", spec.to_str().unwrap()]);
    assert!(
        run.code == 0 || run.code == 2,
        "{}: exit {} (crash?)\n{}",
        spec.display(),
        run.code,
        run.stderr
    );
    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    for diagnostic in run.diagnostics() {
        let key = (
            diagnostic["severity"].as_str().unwrap().to_owned(),
            diagnostic["code"].as_str().unwrap().to_owned(),
        );
        *counts.entry(key).or_default() += 1;
        for field in ["file", "line", "column", "pointer"] {
            assert!(
                !diagnostic[field].is_null(),
                "{}: diagnostic without {field}: {diagnostic}",
                spec.display()
            );
        }
    }
    let found: Vec<String> = counts
        .iter()
        .map(|((severity, code), n)| format!("{severity} {code} x{n}"))
        .collect();
    format!(
        "exit {}{}{}",
        run.code,
        if found.is_empty() { "" } else { ": " },
        found.join(", ")
    )
}

#[test]
fn github_rest_spec_validates_without_errors() {
    let spec = require(GITHUB_SPEC);
    let run = contracts(&["validate", "--format", "json", spec.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let diagnostics = run.diagnostics();
    // GitHub's spec has `nullable` without `type` (no effect in 3.0) and two
    // path pairs that differ only in parameter names, on different methods.
    for diagnostic in &diagnostics {
        assert_eq!(diagnostic["severity"], "warning", "{diagnostic}");
        assert!(
            ["nullable-without-type", "path-ambiguous"]
                .contains(&diagnostic["code"].as_str().unwrap()),
            "{diagnostic}"
        );
        assert!(diagnostic["line"].as_u64().unwrap() > 1);
    }
    assert!(!diagnostics.is_empty());
}

#[test]
fn readme_examples_load_alike_as_json_and_yaml() {
    let root = require(README_EXAMPLES);
    let mut report = String::new();
    for version in ["2.0", "3.0", "3.1"] {
        for json in files_under(&root.join(version).join("json"), &["json"]) {
            let yaml = root
                .join(version)
                .join("yaml")
                .join(json.with_extension("yaml").file_name().unwrap());
            let json_summary = summary(&json);
            let name = json.strip_prefix(&root).unwrap().display().to_string();
            if yaml.exists() {
                assert_eq!(
                    summary(&yaml),
                    json_summary,
                    "{name}: YAML and JSON twins disagree"
                );
            }
            report.push_str(&format!("{name}: {json_summary}\n"));
        }
    }
    insta::assert_snapshot!(report);
}

#[test]
fn oasdiff_corpus_loads() {
    let Some(root) = crate::oasdiff_data("oasdiff_corpus_loads") else {
        return;
    };
    let mut report = String::new();
    for spec in files_under(&root, &["yaml", "yml", "json"]) {
        let name = spec.strip_prefix(&root).unwrap().display().to_string();
        report.push_str(&format!("{name}: {}\n", summary(&spec)));
    }
    insta::assert_snapshot!(report);
}

/// `diff S deref(S)` and `diff deref(S) S` report nothing on GitHub's specs,
/// dereferenced by an independent tool (`tests/conformance/deref.mjs`,
/// json-schema-ref-parser): inlining every `$ref` changes no meaning.
/// Skipped, saying why, without Node or the dereferencer.
#[test]
fn github_specs_diff_nothing_against_their_dereferenced_selves() {
    let root = project_root();
    let parser = root.join("tests/node_modules/@apidevtools/json-schema-ref-parser");
    if !parser.exists() {
        eprintln!(
            "skipped: {} is missing (run `npm ci --prefix tests`)",
            parser.display()
        );
        return;
    }
    if std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: no `node` to run tests/conformance/deref.mjs");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let specs = [
        GITHUB_SPEC,
        "tests/node_modules/@octokit/openapi/generated/ghes-3.18.json",
    ];
    let jobs: Vec<serde_json::Value> = (specs.iter().enumerate())
        .map(|(id, spec)| {
            serde_json::json!({
                "id": id,
                "spec": require(spec),
                "output": dir.path().join(format!("{id}.json")),
            })
        })
        .collect();
    let jobs_file = dir.path().join("jobs.json");
    std::fs::write(&jobs_file, serde_json::Value::Array(jobs).to_string()).unwrap();
    let output = std::process::Command::new("node")
        .arg(root.join("tests/conformance/deref.mjs"))
        .arg(&jobs_file)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let reports: Vec<serde_json::Value> = (stdout.lines())
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(reports.len(), specs.len(), "{stdout}");
    for (id, spec) in specs.iter().enumerate() {
        assert_eq!(reports[id]["ok"], true, "{spec}: {}", reports[id]);
        let spec = require(spec);
        let spec = spec.to_str().unwrap();
        let deref = dir.path().join(format!("{id}.json"));
        let deref = deref.to_str().unwrap();
        for (base, revision) in [(spec, deref), (deref, spec)] {
            let run = contracts(&["diff", "--format", "json", base, revision]);
            assert_eq!(run.code, 0, "{base} -> {revision}: {}", run.stderr);
            let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
            let changes = report["changes"].as_array().unwrap();
            assert!(
                changes.is_empty(),
                "{base} -> {revision}: {} changes, the first {}",
                changes.len(),
                changes[0]
            );
        }
    }
}
