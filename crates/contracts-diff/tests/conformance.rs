//! Conformance with oasdiff on its own test pairs
//! (`../shared/corpus/oasdiff/manifest.tsv`): the breaking verdict of every
//! pair, and every id oasdiff's tests expect (but those listed as diverging
//! on purpose, with the reason). Sunsets in the pairs are either long past
//! (2022, 2023) or far ahead (9999), so a fixed "today" in between keeps the
//! results deterministic. The rates are printed and must not fall below the
//! floors recorded here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use contracts_diff::{Date, Level, Policy, diff_with, rules};
use contracts_load::{Input, load};

/// Agreement reached when these floors were last raised; a drop is a regression.
const VERDICT_FLOOR: f64 = 1.0;
const ID_FLOOR: f64 = 1.0;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/oasdiff")
}

fn read_tsv(name: &str) -> Vec<BTreeMap<String, String>> {
    let text =
        std::fs::read_to_string(corpus().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header").split('\t').collect();
    lines
        .map(|line| {
            header
                .iter()
                .zip(line.split('\t'))
                .map(|(k, v)| ((*k).to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

fn ids(field: &str) -> Vec<&str> {
    field
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .collect()
}

/// Pairs where contracts disagrees with oasdiff on purpose, with the reason.
const DIVERGENCES: &[(&str, &str)] = &[
    (
        "request_property_all_of_added_",
        "allOf is compared by meaning: the added part (`Rabbit`, `Breed3`) repeats properties already required, so nothing a client sends changes",
    ),
    (
        "request_property_all_of_removed_",
        "allOf is compared by meaning: the removed part added no constraint the others lacked",
    ),
    (
        "request_property_all_of_annotation_only_added",
        "an allOf part with annotations only changes no value; oasdiff's own id for it is info, yet the pair is marked breaking",
    ),
    (
        "data/pattern-base.yaml -> data/pattern-modified-not-anystring.yaml",
        "the changed property is readOnly, so not part of requests: its pattern is no request change",
    ),
    (
        "data/openapi-test1.yaml -> data/openapi-test1.yaml",
        "the manifest compares a file with itself; its ids come from tests that compare other files",
    ),
];

/// Ids oasdiff expects in a pair that contracts does not report on purpose:
/// pair pattern, id, reason. The rest of the pair still counts.
const ID_DIVERGENCES: &[(&str, &str, &str)] = &[
    (
        "data/enums/request-body-no-enum.yaml -> data/enums/request-body-enum-int.yaml",
        "request-body-type-changed",
        "the revision's `type: int` is no OpenAPI type, so the model keeps no type and there is none to compare (oasdiff compares the strings); the pair's request-body-became-enum is reported",
    ),
    (
        "request_parameter_property_type_changed_base_num.yaml -> ",
        "request-parameter-property-type-changed",
        "oasdiff judges a query parameter's property types by their wire form (number -> string only a warning); contracts compares a property's type by meaning in every position and reports request-property-type-changed (error)",
    ),
    (
        "request_parameter_property_type_changed_revision.yaml -> ",
        "request-parameter-property-type-specialized",
        "as above: string -> number is oasdiff's wire-form `specialized`; contracts reports request-property-type-changed (error), the same verdict",
    ),
    (
        "request_property_added_with_default.yaml",
        "required-request-property-with-default-error-comment",
        "no rule: the key of the comment oasdiff attaches to new-required-request-property-with-default (not in rule-levels.tsv), which contracts reports",
    ),
];

fn run_pair(base: &str, revision: &str) -> Option<Vec<contracts_diff::Change>> {
    let root = corpus();
    let old = load(&Input::File(root.join(base)), Some(&root)).contract?;
    let new = load(&Input::File(root.join(revision)), Some(&root)).contract?;
    let today = Date::from_ymd_opt(2026, 1, 1).expect("a date");
    Some(diff_with(&old, &new, &Policy::at(today)))
}

#[test]
fn agreement_with_oasdiff() {
    let pairs = read_tsv("manifest.tsv");
    let (mut verdicts, mut verdicts_ok, mut expected_total, mut expected_found) = (0, 0, 0, 0);
    let mut skipped = Vec::new();
    let mut diverging_ids = Vec::new();
    let mut missing: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut wrong_verdicts = Vec::new();
    for pair in &pairs {
        let expected = ids(&pair["expected_ids"]);
        let name = format!("{} -> {}", pair["base_path"], pair["revision_path"]);
        if let Some((_, reason)) = DIVERGENCES
            .iter()
            .find(|(pattern, _)| name.contains(pattern))
        {
            skipped.push(format!("{name}: diverges on purpose: {reason}"));
            continue;
        }
        let Some(changes) = run_pair(&pair["base_path"], &pair["revision_path"]) else {
            skipped.push(format!("{name}: a side does not load"));
            continue;
        };
        let breaking = changes.iter().any(|c| c.level >= Level::Warning);
        verdicts += 1;
        if breaking == (pair["breaking"] == "yes") {
            verdicts_ok += 1;
        } else {
            wrong_verdicts.push(format!(
                "{name}: expected breaking={}, got {:?}",
                pair["breaking"],
                changes.iter().map(|c| c.id.as_str()).collect::<Vec<_>>()
            ));
        }
        for id in expected {
            if let Some((_, _, reason)) = ID_DIVERGENCES
                .iter()
                .find(|(pattern, diverging, _)| name.contains(pattern) && *diverging == id)
            {
                diverging_ids.push(format!("{name}: {id}: {reason}"));
                continue;
            }
            expected_total += 1;
            if changes.iter().any(|c| c.id == id) {
                expected_found += 1;
            } else {
                missing.entry(id.to_owned()).or_default().push(name.clone());
            }
        }
    }
    let verdict_rate = verdicts_ok as f64 / verdicts as f64;
    let id_rate = expected_found as f64 / expected_total as f64;
    eprintln!(
        "oasdiff conformance: verdicts {verdicts_ok}/{verdicts} ({:.1}%), expected ids {expected_found}/{expected_total} ({:.1}%), {} pairs skipped, {} ids diverging",
        verdict_rate * 100.0,
        id_rate * 100.0,
        skipped.len(),
        diverging_ids.len()
    );
    for line in &skipped {
        eprintln!("  skipped: {line}");
    }
    for line in &diverging_ids {
        eprintln!("  diverging id: {line}");
    }
    for line in &wrong_verdicts {
        eprintln!("  verdict: {line}");
    }
    for (id, pairs) in &missing {
        eprintln!("  missing id: {id} in {}", pairs.join("; "));
    }
    assert!(
        verdict_rate >= VERDICT_FLOOR,
        "verdict agreement fell to {verdict_rate:.3}"
    );
    assert!(id_rate >= ID_FLOOR, "id agreement fell to {id_rate:.3}");
}

#[test]
fn no_false_positives_for_absent_ids() {
    let mut reported = Vec::new();
    for pair in read_tsv("manifest-full.tsv") {
        let absent = ids(&pair["absent_ids"]);
        if absent.is_empty() {
            continue;
        }
        let Some(changes) = run_pair(&pair["base_path"], &pair["revision_path"]) else {
            continue;
        };
        for id in absent {
            if changes.iter().any(|c| c.id == id) {
                reported.push(format!(
                    "{} -> {}: {id}",
                    pair["base_path"], pair["revision_path"]
                ));
            }
        }
    }
    assert!(
        reported.is_empty(),
        "ids oasdiff asserts are absent were reported:\n{}",
        reported.join("\n")
    );
}

#[test]
fn shared_ids_have_oasdiff_levels() {
    let levels: BTreeMap<String, String> = read_tsv("rule-levels.tsv")
        .into_iter()
        .filter_map(|row| {
            Some((
                row.get("id").or_else(|| row.values().next())?.clone(),
                row.values().nth(1)?.clone(),
            ))
        })
        .collect();
    let mut differing = Vec::new();
    let mut ours: Vec<(String, Level)> = rules::RULES
        .iter()
        .map(|rule| (rule.id.to_owned(), rule.level))
        .collect();
    for (prefix, request) in rules::SCHEMA_PREFIXES {
        for (suffix, request_level, response_level, ..) in rules::SCHEMA_CHANGES {
            ours.push((
                rules::schema_id(prefix, suffix),
                if *request {
                    *request_level
                } else {
                    *response_level
                },
            ));
        }
    }
    for (id, level) in ours {
        let Some(theirs) = levels.get(&id) else {
            continue;
        };
        let expected = match theirs.as_str() {
            "ERR" => Level::Error,
            "WARN" => Level::Warning,
            _ => Level::Info,
        };
        if expected != level {
            differing.push(format!("{id}: ours {level:?}, oasdiff {theirs}"));
        }
    }
    assert!(
        differing.is_empty(),
        "levels differ from oasdiff:\n{}",
        differing.join("\n")
    );
}
