//! Conformance with oasdiff on its own test pairs (`manifest.tsv` in the
//! folder named by `CONTRACTS_OASDIFF_CORPUS`, else `../shared/corpus/oasdiff`
//! beside the repository; third-party material, so never in the repository:
//! without it the tests print one line and pass): the breaking verdict of every
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
    std::env::var_os("CONTRACTS_OASDIFF_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/oasdiff")
        })
}

/// Whether the pairs are there; if not, says so in one line.
fn corpus_present(test: &str) -> bool {
    let present = corpus().join("manifest.tsv").is_file();
    if !present {
        eprintln!(
            "{test}: did not run: no oasdiff pairs at {} (set CONTRACTS_OASDIFF_CORPUS)",
            corpus().display()
        );
    }
    present
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

/// Pairs (exactly as `base -> revision`) where contracts disagrees with
/// oasdiff on purpose, with the reason.
const DIVERGENCES: &[(&str, &str)] = &[
    (
        "data/checker/request_property_all_of_added_base.yaml -> data/checker/request_property_all_of_added_revision.yaml",
        "allOf is compared by meaning: the added part (`Rabbit`, `Breed3`) repeats properties already required, so nothing a client sends changes",
    ),
    (
        "data/checker/request_property_all_of_removed_base.yaml -> data/checker/request_property_all_of_removed_revision.yaml",
        "allOf is compared by meaning: the removed part added no constraint the others lacked",
    ),
    (
        "data/checker/request_property_all_of_annotation_only_added_base.yaml -> data/checker/request_property_all_of_annotation_only_added_revision.yaml",
        "an allOf part with annotations only changes no value; oasdiff's own id for it is info, yet the pair is marked breaking",
    ),
    (
        "data/checker/request_property_all_of_annotation_only_added_at_property_base.yaml -> data/checker/request_property_all_of_annotation_only_added_at_property_revision.yaml",
        "as above, with the annotation-only allOf part at a property",
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
/// pair (exactly), id, reason. The rest of the pair still counts.
const ID_DIVERGENCES: &[(&str, &str, &str)] = &[
    (
        "data/enums/request-body-no-enum.yaml -> data/enums/request-body-enum-int.yaml",
        "request-body-type-changed",
        "the revision's `type: int` is no OpenAPI type, so the model keeps no type and there is none to compare (oasdiff compares the strings); the pair's request-body-became-enum is reported",
    ),
    (
        "data/checker/request_parameter_property_type_changed_base_num.yaml -> data/checker/request_parameter_property_type_changed_revision.yaml",
        "request-parameter-property-type-changed",
        "oasdiff judges a query parameter's property types by their wire form (number -> string only a warning); contracts compares a property's type by meaning in every position and reports request-property-type-changed (error)",
    ),
    (
        "data/checker/request_parameter_property_type_changed_revision.yaml -> data/checker/request_parameter_property_type_changed_base_num.yaml",
        "request-parameter-property-type-specialized",
        "as above: string -> number is oasdiff's wire-form `specialized`; contracts reports request-property-type-changed (error), the same verdict",
    ),
    (
        "data/checker/request_property_added_base.yaml -> data/checker/request_property_added_with_default.yaml",
        "required-request-property-with-default-error-comment",
        "no rule: the key of the comment oasdiff attaches to new-required-request-property-with-default (not in rule-levels.tsv), which contracts reports",
    ),
];

/// The changes of one pair, or why a side does not load.
fn run_pair(base: &str, revision: &str) -> Result<Vec<contracts_diff::Change>, String> {
    let root = corpus();
    let side = |path: &str| {
        load(&Input::File(root.join(path)), Some(&root))
            .contract
            .ok_or_else(|| format!("{path} does not load"))
    };
    let (old, new) = (side(base)?, side(revision)?);
    let today = Date::from_ymd_opt(2026, 1, 1).expect("a date");
    Ok(diff_with(&old, &new, &Policy::at(today)))
}

#[test]
fn agreement_with_oasdiff() {
    if !corpus_present("agreement_with_oasdiff") {
        return;
    }
    let pairs = read_tsv("manifest.tsv");
    let (mut verdicts, mut verdicts_ok, mut expected_total, mut expected_found) = (0, 0, 0, 0);
    let mut skipped = Vec::new();
    let mut diverging_ids = Vec::new();
    let mut missing: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut wrong_verdicts = Vec::new();
    for pair in &pairs {
        let expected = ids(&pair["expected_ids"]);
        let name = format!("{} -> {}", pair["base_path"], pair["revision_path"]);
        if let Some((_, reason)) = DIVERGENCES.iter().find(|(pair, _)| *pair == name) {
            skipped.push(format!("{name}: diverges on purpose: {reason}"));
            continue;
        }
        // A side that does not load is a failure of its verdict and of every id it expects.
        let changes = match run_pair(&pair["base_path"], &pair["revision_path"]) {
            Ok(changes) => changes,
            Err(error) => {
                verdicts += 1;
                wrong_verdicts.push(format!("{name}: {error}"));
                expected_total += expected.len();
                for id in expected {
                    missing.entry(id.to_owned()).or_default().push(name.clone());
                }
                continue;
            }
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
                .find(|(pair, diverging, _)| *pair == name && *diverging == id)
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
    let names: Vec<String> = pairs
        .iter()
        .map(|pair| format!("{} -> {}", pair["base_path"], pair["revision_path"]))
        .collect();
    let stale: Vec<&str> = DIVERGENCES
        .iter()
        .map(|(pair, _)| *pair)
        .chain(ID_DIVERGENCES.iter().map(|(pair, ..)| *pair))
        .filter(|pair| !names.iter().any(|name| name == pair))
        .collect();
    assert!(stale.is_empty(), "divergences naming no pair: {stale:?}");
    assert!(
        verdict_rate >= VERDICT_FLOOR,
        "verdict agreement fell to {verdict_rate:.3}"
    );
    assert!(id_rate >= ID_FLOOR, "id agreement fell to {id_rate:.3}");
}

#[test]
fn no_false_positives_for_absent_ids() {
    if !corpus_present("no_false_positives_for_absent_ids") {
        return;
    }
    let mut reported = Vec::new();
    for pair in read_tsv("manifest-full.tsv") {
        let absent = ids(&pair["absent_ids"]);
        if absent.is_empty() {
            continue;
        }
        let changes = match run_pair(&pair["base_path"], &pair["revision_path"]) {
            Ok(changes) => changes,
            Err(error) => {
                reported.push(error);
                continue;
            }
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
    if !corpus_present("shared_ids_have_oasdiff_levels") {
        return;
    }
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
