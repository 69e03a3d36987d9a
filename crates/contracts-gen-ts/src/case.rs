//! change-case 5's `pascalCase`, which openapi-typescript names root types
//! with, so `--root-types` gives the same names.

/// change-case's words: split between a lowercase letter or digit and an
/// uppercase letter, before the last of several uppercase letters that
/// starts a lowercase word (`HTTPServer` -> `HTTP`, `Server`), and at every
/// run of characters that are neither letters nor digits.
fn words(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    for (index, &c) in chars.iter().enumerate() {
        if !(c.is_alphabetic() || c.is_ascii_digit()) {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        }
        if let Some(&before) = index.checked_sub(1).and_then(|at| chars.get(at)) {
            let after = chars.get(index + 1);
            let lower_upper =
                (before.is_lowercase() || before.is_ascii_digit()) && c.is_uppercase();
            let upper_upper = before.is_uppercase()
                && c.is_uppercase()
                && after.is_some_and(|a| a.is_lowercase());
            if (lower_upper || upper_upper) && !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
        }
        word.push(c);
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// `pascalCase("user-id")` = `UserId`; a later word that starts with a
/// digit is kept apart with `_` (`v1-2` = `V1_2`).
pub fn pascal_case(text: &str) -> String {
    let mut out = String::new();
    for (index, word) in words(text).iter().enumerate() {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            if index > 0 && first.is_ascii_digit() {
                out.push('_');
                out.push(first);
            } else {
                out.extend(first.to_uppercase());
            }
            out.push_str(&chars.as_str().to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What change-case 5.4 (tests/node_modules) returns for each.
    #[test]
    fn pascal_case_as_change_case() {
        for (text, expected) in [
            ("user-id", "UserId"),
            ("HTTPServer", "HttpServer"),
            ("pet_store.v2", "PetStoreV2"),
            ("v1-2", "V1_2"),
            ("ABC", "Abc"),
            ("aB1c", "AB1c"),
            ("  spaced out  ", "SpacedOut"),
            ("Ünïcode-naïve", "ÜnïcodeNaïve"),
            ("---", ""),
        ] {
            assert_eq!(pascal_case(text), expected, "{text}");
        }
    }
}
