//! The round trip the generated `src/examples.rs` test runs over a table of
//! (source, `check::<T>`, example JSON): deserialize into the generated type,
//! serialize back, compare with the original.

use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

/// One example: where it is, the check for its type, its JSON text.
pub type Case = (&'static str, fn(&str) -> Result<(), String>, &'static str);

/// `json` into `T` and back; an error says what changed.
pub fn check<T: DeserializeOwned + Serialize>(json: &str) -> Result<(), String> {
    let original: Value = serde_json::from_str(json).map_err(|e| format!("bad JSON: {e}"))?;
    let typed: T =
        serde_json::from_value(original.clone()).map_err(|e| format!("deserialize: {e}"))?;
    let back = serde_json::to_value(&typed).map_err(|e| format!("serialize: {e}"))?;
    match difference(&original, &back, "") {
        Some(at) => {
            let back: String = back.to_string().chars().take(300).collect();
            Err(format!("differs at `{at}`: {back}"))
        }
        None => Ok(()),
    }
}

/// Runs every case and prints `round trip (LABEL): E equal, F failed of N`
/// and each case that failed; whether none failed.
pub fn run(label: &str, cases: &[Case]) -> bool {
    let mut failed = 0;
    for (source, check, json) in cases {
        if let Err(error) = check(json) {
            failed += 1;
            let example: String = json.chars().take(300).collect();
            println!("{source}: {error}\n  example: {example}");
        }
    }
    println!(
        "round trip ({label}): {} equal, {failed} failed of {}",
        cases.len() - failed,
        cases.len()
    );
    failed == 0
}

/// The first place where `a` (the original) and `b` differ in meaning, as a
/// JSON pointer.
///
/// Equal in meaning: numbers by value (`1` and `1.0`), date-times as instants
/// (`+00:00` and `Z`), UUIDs ignoring case; and an object member that is
/// absent on one side and `null`, `[]` or `{}` on the other, because typify
/// leaves optional members out when they are `None` or empty.
fn difference(a: &Value, b: &Value, at: &str) -> Option<String> {
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
                .find_map(|(index, (x, y))| difference(x, y, &format!("{at}/{index}")));
        }
        (Value::Object(x), Value::Object(y)) => {
            for (key, value) in x {
                let here = format!("{at}/{key}");
                match y.get(key) {
                    Some(other) => {
                        if let Some(found) = difference(value, other, &here) {
                            return Some(found);
                        }
                    }
                    None if is_empty(value) => {}
                    None => return Some(here),
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
