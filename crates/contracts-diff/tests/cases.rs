//! The project's own breaking-change cases, as data: every folder of
//! `fixtures/diff/` holds `base.yaml`, `revision.yaml` and `expected.yaml`,
//! the whole list of changes the diff must report, in order, with each
//! change's id and level written down (not recomputed from the rule table).
//!
//! `expected.yaml`:
//!
//! ```yaml
//! about: what the case shows          # optional
//! today: 2026-01-01                   # optional, 2026-01-01 when absent
//! deprecation_days_beta: 30           # optional, 0 when absent
//! deprecation_days_stable: 180        # optional, 0 when absent
//! category: code                      # optional: the code rules instead of the wire rules
//! changes:
//!   - {id: request-body-max-decreased, level: error}
//! ```
//!
//! A second test checks that every rule of `docs/rules.md` has a case, but
//! for the few listed in [`NO_CASE`] with the reason.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use contracts_diff::{Date, Policy, code_changes, diff_with, rules};
use contracts_load::{Input, load};
use serde::Deserialize;

/// The date every case is judged on unless it names its own.
const TODAY: (i32, u32, u32) = (2026, 1, 1);

/// Rule ids no case can trigger, each with the reason.
const NO_CASE: &[(&str, &str)] = &[];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    /// What the case shows, repeated when it fails.
    about: Option<String>,
    today: Option<String>,
    #[serde(default)]
    deprecation_days_beta: u32,
    #[serde(default)]
    deprecation_days_stable: u32,
    #[serde(default)]
    category: Option<String>,
    changes: Vec<Reported>,
}

#[derive(Deserialize, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
struct Reported {
    id: String,
    level: String,
}

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.id, self.level)
    }
}

fn cases_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/diff")
}

/// Every case folder, by name.
fn cases() -> Vec<(String, PathBuf)> {
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(cases_folder())
        .expect("fixtures/diff")
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|path| path.is_dir())
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, path)
        })
        .collect();
    cases.sort();
    cases
}

fn expected(case: &Path) -> Result<Expected, String> {
    let path = case.join("expected.yaml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("expected.yaml: {e}"))?;
    yaml_serde::from_str(&text).map_err(|e| format!("expected.yaml: {e}"))
}

fn policy(expected: &Expected) -> Result<Policy, String> {
    let today = match &expected.today {
        Some(text) => text
            .parse::<Date>()
            .map_err(|e| format!("today `{text}`: {e}"))?,
        None => Date::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).expect("a date"),
    };
    Ok(Policy {
        today,
        beta_deprecation_days: expected.deprecation_days_beta,
        stable_deprecation_days: expected.deprecation_days_stable,
    })
}

/// What the diff reports for a case (its wire rules, or with `code` its
/// code rules), or why it could not run.
fn run(case: &Path, policy: &Policy, category: Option<&str>) -> Result<Vec<Reported>, String> {
    let side = |name: &str| {
        let loaded = load(&Input::File(case.join(name)), Some(case));
        if !loaded.diagnostics.is_empty() {
            let messages: Vec<String> = loaded
                .diagnostics
                .iter()
                .map(|d| format!("{d:?}"))
                .collect();
            return Err(format!("{name} has diagnostics: {}", messages.join("; ")));
        }
        loaded
            .contract
            .ok_or_else(|| format!("{name} gives no contract"))
    };
    let (base, revision) = (side("base.yaml")?, side("revision.yaml")?);
    let changes = match category {
        None | Some("wire") => diff_with(&base, &revision, policy),
        Some("code") => code_changes(&base, &revision),
        Some(other) => return Err(format!("category `{other}` is not wire or code")),
    };
    Ok(changes
        .into_iter()
        .map(|change| Reported {
            id: change.id,
            level: change.level.as_str().to_owned(),
        })
        .collect())
}

fn list(changes: &[Reported]) -> String {
    if changes.is_empty() {
        return "  (none)".into();
    }
    changes.iter().map(|c| format!("  {c}\n")).collect()
}

#[test]
fn every_case_reports_exactly_its_expected_changes() {
    let cases = cases();
    let mut failures = Vec::new();
    for (name, path) in &cases {
        let outcome = expected(path).and_then(|expected| {
            let found = run(path, &policy(&expected)?, expected.category.as_deref())?;
            if found == expected.changes {
                Ok(())
            } else {
                Err(format!(
                    "{}\nexpected\n{}found\n{}",
                    expected.about.as_deref().unwrap_or_default(),
                    list(&expected.changes),
                    list(&found)
                ))
            }
        });
        match outcome {
            Ok(()) => println!("case {name}: ok"),
            Err(why) => failures.push(format!("case {name}: {why}")),
        }
    }
    println!("{} cases, {} failed", cases.len(), failures.len());
    assert!(
        failures.is_empty(),
        "{} of {} cases in fixtures/diff failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(cases.len() > 100, "only {} cases found", cases.len());
}

/// Every id the rule table documents: the fixed rules, and every schema change at every position.
fn documented_ids() -> Vec<String> {
    let mut ids: Vec<String> = (rules::RULES.iter().chain(rules::CODE_RULES))
        .map(|r| r.id.to_owned())
        .collect();
    for (prefix, _) in rules::SCHEMA_PREFIXES {
        for (suffix, ..) in rules::SCHEMA_CHANGES {
            ids.push(rules::schema_id(prefix, suffix));
        }
    }
    ids
}

#[test]
fn every_rule_has_a_case() {
    let documented = documented_ids();
    let unique: BTreeSet<&String> = documented.iter().collect();
    assert_eq!(
        unique.len(),
        documented.len(),
        "the rule table names an id twice"
    );
    let mut covered = BTreeSet::new();
    for (name, path) in cases() {
        let expected = expected(&path).unwrap_or_else(|e| panic!("case {name}: {e}"));
        covered.extend(expected.changes.into_iter().map(|c| c.id));
    }
    let excepted: BTreeSet<&str> = NO_CASE.iter().map(|(id, _)| *id).collect();
    let missing: Vec<&String> = documented
        .iter()
        .filter(|id| !covered.contains(*id) && !excepted.contains(id.as_str()))
        .collect();
    let stale: Vec<&str> = NO_CASE
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| covered.contains(*id) || !unique.contains(&id.to_string()))
        .collect();
    let undocumented: Vec<&String> = covered.iter().filter(|id| !unique.contains(id)).collect();
    println!(
        "{} rule ids, {} with a case, {} without by design",
        documented.len(),
        documented.len() - missing.len() - excepted.len(),
        excepted.len()
    );
    assert!(
        missing.is_empty(),
        "rules without a case in fixtures/diff: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "NO_CASE lists ids that have a case or are not rules: {stale:?}"
    );
    assert!(
        undocumented.is_empty(),
        "expected.yaml names ids that are not in the rule table: {undocumented:?}"
    );
}
