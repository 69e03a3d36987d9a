//! The committed counts of a conformance run (one flat JSON object, keys
//! sorted, `stage/category/detail` -> count) and how a new run compares.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

/// Counts by key; a missing key is zero.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts(pub BTreeMap<String, u64>);

impl Counts {
    pub fn add(&mut self, key: impl Into<String>, count: u64) {
        *self.0.entry(key.into()).or_default() += count;
    }

    /// A key shown even at zero.
    pub fn show(&mut self, key: impl Into<String>) {
        self.add(key, 0);
    }

    pub fn get(&self, key: &str) -> u64 {
        self.0.get(key).copied().unwrap_or(0)
    }

    pub fn read(path: &Path) -> Result<Option<Counts>, String> {
        let Ok(text) = std::fs::read_to_string(path) else {
            return Ok(None);
        };
        let map: BTreeMap<String, u64> =
            serde_json::from_str(&text).map_err(|error| format!("{}: {error}", path.display()))?;
        Ok(Some(Counts(map)))
    }

    /// Pretty JSON, keys in sorted order (a `BTreeMap` walked in order),
    /// so the same counts give the same bytes.
    pub fn to_json(&self) -> String {
        let object: serde_json::Map<String, Value> = (self.0.iter())
            .map(|(key, count)| (key.clone(), Value::from(*count)))
            .collect();
        serde_json::to_string_pretty(&Value::Object(object)).expect("counts serialize") + "\n"
    }
}

/// Which way a count should move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Up,
    Down,
    /// A size, not a verdict (how many specs or operations were looked at).
    Neither,
}

/// Counts of what passed; every other count is of what did not.
const PASSING: [&str; 4] = ["ok", "compiled", "valid", "passed"];
/// Counts of how much was looked at.
const SIZES: [&str; 2] = ["specs", "operations"];

fn direction(key: &str) -> Direction {
    let leaf = key.rsplit('/').next().unwrap_or(key);
    if PASSING.contains(&leaf) {
        Direction::Up
    } else if SIZES.contains(&leaf) {
        Direction::Neither
    } else {
        Direction::Down
    }
}

/// One key whose count moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub key: String,
    pub before: u64,
    pub after: u64,
}

impl std::fmt::Display for Moved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} -> {}", self.key, self.before, self.after)
    }
}

/// How a run's counts moved from the committed ones.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Comparison {
    pub worse: Vec<Moved>,
    pub better: Vec<Moved>,
    /// Sizes that changed: neither better nor worse, but shown.
    pub resized: Vec<Moved>,
}

pub fn compare(before: &Counts, after: &Counts) -> Comparison {
    let mut comparison = Comparison::default();
    let mut keys: Vec<&String> = before.0.keys().chain(after.0.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let moved = Moved {
            key: key.clone(),
            before: before.get(key),
            after: after.get(key),
        };
        if moved.before == moved.after {
            continue;
        }
        let went_up = moved.after > moved.before;
        let list = match (direction(key), went_up) {
            (Direction::Neither, _) => &mut comparison.resized,
            (Direction::Up, true) | (Direction::Down, false) => &mut comparison.better,
            _ => &mut comparison.worse,
        };
        list.push(moved);
    }
    comparison
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(pairs: &[(&str, u64)]) -> Counts {
        Counts(
            pairs
                .iter()
                .map(|(key, count)| ((*key).to_owned(), *count))
                .collect(),
        )
    }

    #[test]
    fn fewer_passes_or_more_failures_are_worse() {
        let before = counts(&[
            ("gen-ts/ok", 10),
            ("gen-ts/refused", 2),
            ("gen-ts/refused/ref-dangling", 2),
        ]);
        let after = counts(&[
            ("gen-ts/ok", 9),
            ("gen-ts/refused", 3),
            ("gen-ts/refused/ref-dangling", 2),
            ("gen-ts/refused/ref-cycle", 1),
        ]);
        let comparison = compare(&before, &after);
        let worse: Vec<String> = comparison.worse.iter().map(ToString::to_string).collect();
        assert_eq!(
            worse,
            [
                "gen-ts/ok: 10 -> 9",
                "gen-ts/refused: 2 -> 3",
                "gen-ts/refused/ref-cycle: 0 -> 1"
            ]
        );
        assert!(comparison.better.is_empty());
    }

    #[test]
    fn more_passes_or_fewer_failures_are_better_and_sizes_neither() {
        let before = counts(&[
            ("rust/compiled", 5),
            ("rust/failed/E0412", 2),
            ("msw/operations", 100),
            ("specs", 10),
        ]);
        let after = counts(&[("rust/compiled", 7), ("msw/operations", 90), ("specs", 10)]);
        let comparison = compare(&before, &after);
        assert!(comparison.worse.is_empty());
        assert_eq!(
            comparison.better,
            [
                Moved {
                    key: "rust/compiled".into(),
                    before: 5,
                    after: 7
                },
                Moved {
                    key: "rust/failed/E0412".into(),
                    before: 2,
                    after: 0
                },
            ]
        );
        assert_eq!(comparison.resized.len(), 1);
        assert_eq!(compare(&after, &after), Comparison::default());
    }

    #[test]
    fn the_json_is_sorted_and_reads_back() {
        let mut written = Counts::default();
        written.add("validate/warned", 3);
        written.show("diff-self/crashed");
        written.add("gen-msw/ok", 1);
        let json = written.to_json();
        assert_eq!(
            json,
            "{\n  \"diff-self/crashed\": 0,\n  \"gen-msw/ok\": 1,\n  \"validate/warned\": 3\n}\n"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("counts.json");
        std::fs::write(&path, &json).unwrap();
        assert_eq!(Counts::read(&path).unwrap(), Some(written));
        assert_eq!(Counts::read(&dir.path().join("none.json")).unwrap(), None);
    }
}
