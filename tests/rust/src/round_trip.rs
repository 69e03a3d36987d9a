//! The round trip the generated `tests/round_trip.rs` runs over a table of
//! (source, `check::<T>`, example JSON): deserialize into the generated type,
//! serialize back, compare with the original.

use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

/// One example: where it is, the check for its type, its JSON text.
pub type Case = (&'static str, fn(&str) -> Result<Outcome, String>, &'static str);

/// How an example came back.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    Equal,
    /// Equal but for these members, which the type has no field for: the
    /// schema does not declare them (it allows any), or an untagged enum
    /// decoded the value as an alternative that lacks them.
    Dropped(Vec<String>),
}

/// `json` into `T` and back; an error says what changed.
pub fn check<T: DeserializeOwned + Serialize>(json: &str) -> Result<Outcome, String> {
    let original: Value = serde_json::from_str(json).map_err(|e| format!("bad JSON: {e}"))?;
    let typed: T =
        serde_json::from_value(original.clone()).map_err(|e| format!("deserialize: {e}"))?;
    let back = serde_json::to_value(&typed).map_err(|e| format!("serialize: {e}"))?;
    let mut dropped = Vec::new();
    match difference(&original, &back, "", &mut dropped) {
        Some(at) => {
            let back: String = back.to_string().chars().take(300).collect();
            Err(format!("differs at `{at}`: {back}"))
        }
        None if dropped.is_empty() => Ok(Outcome::Equal),
        None => Ok(Outcome::Dropped(dropped)),
    }
}

/// Runs every case and prints `round trip (LABEL): E equal, D equal but
/// for dropped members, F failed of N` and each case that is not equal;
/// whether none failed.
pub fn run(label: &str, cases: &[Case]) -> bool {
    let (mut equal, mut dropped, mut failed) = (0, 0, 0);
    for (source, check, json) in cases {
        match check(json) {
            Ok(Outcome::Equal) => equal += 1,
            Ok(Outcome::Dropped(members)) => {
                dropped += 1;
                println!("{source}: dropped {}", members.join(", "));
            }
            Err(error) => {
                failed += 1;
                let example: String = json.chars().take(300).collect();
                println!("{source}: {error}\n  example: {example}");
            }
        }
    }
    println!(
        "round trip ({label}): {equal} equal, {dropped} equal but for dropped members, {failed} failed of {}",
        cases.len()
    );
    failed == 0
}

/// The first place where `a` (the original) and `b` differ in meaning, as a
/// JSON pointer; members of `a` missing from `b` are collected in `dropped`.
///
/// Equal in meaning: numbers by value (`1` and `1.0`), date-times as instants
/// (`+00:00` and `Z`), UUIDs ignoring case; and an object member that is
/// absent on one side and `null`, `[]` or `{}` on the other, because typify
/// leaves optional members out when they are `None` or empty.
fn difference(a: &Value, b: &Value, at: &str, dropped: &mut Vec<String>) -> Option<String> {
    let same = match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::String(x), Value::String(y)) => x == y || same_instant(x, y) || same_uuid(x, y),
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(at.to_owned());
            }
            return x
                .iter()
                .zip(y)
                .enumerate()
                .find_map(|(index, (x, y))| difference(x, y, &format!("{at}/{index}"), dropped));
        }
        (Value::Object(x), Value::Object(y)) => {
            for (key, value) in x {
                let here = format!("{at}/{key}");
                match y.get(key) {
                    Some(other) => {
                        if let Some(found) = difference(value, other, &here, dropped) {
                            return Some(found);
                        }
                    }
                    None if is_empty(value) => {}
                    None => dropped.push(here),
                }
            }
            // Members the type added: only empty ones are the same.
            if let Some(key) = y
                .iter()
                .find(|(key, value)| !x.contains_key(*key) && !is_empty(value))
                .map(|(key, _)| key)
            {
                return Some(format!("{at}/{key}"));
            }
            true
        }
        _ => a == b,
    };
    (!same).then(|| at.to_owned())
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(members) => members.is_empty(),
        _ => false,
    }
}

fn same_instant(x: &str, y: &str) -> bool {
    match (
        chrono::DateTime::parse_from_rfc3339(x),
        chrono::DateTime::parse_from_rfc3339(y),
    ) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

fn same_uuid(x: &str, y: &str) -> bool {
    matches!((uuid::Uuid::parse_str(x), uuid::Uuid::parse_str(y)), (Ok(x), Ok(y)) if x == y)
}
