//! JSON pointers (RFC 6901) and the URI fragments that carry them in `$ref`s.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;
use serde_json::Value;

/// Escapes one reference token: `~` -> `~0`, `/` -> `~1`.
pub fn escape(segment: &str) -> Cow<'_, str> {
    if segment.contains(['~', '/']) {
        Cow::Owned(segment.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(segment)
    }
}

/// Appends one token to a pointer.
pub fn push(pointer: &str, segment: &str) -> String {
    let segment = escape(segment);
    let mut out = String::with_capacity(pointer.len() + segment.len() + 1);
    out.push_str(pointer);
    out.push('/');
    out.push_str(&segment);
    out
}

/// Splits a pointer into unescaped tokens. `""` is the whole document.
pub fn segments(pointer: &str) -> Result<Vec<String>, String> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(format!("JSON pointer `{pointer}` must start with `/`"));
    };
    rest.split('/').map(unescape).collect()
}

pub(crate) fn unescape(token: &str) -> Result<String, String> {
    let mut out = String::with_capacity(token.len());
    let mut chars = token.chars();
    while let Some(c) = chars.next() {
        if c == '~' {
            match chars.next() {
                Some('0') => out.push('~'),
                Some('1') => out.push('/'),
                _ => return Err(format!("`~` in `{token}` must be followed by 0 or 1")),
            }
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

/// Decodes the fragment of a `$ref` (after `#`): percent-decoding first, as for
/// any URI fragment, then JSON-pointer unescaping.
pub fn fragment_segments(fragment: &str) -> Result<Vec<String>, String> {
    let decoded = percent_decode_str(fragment)
        .decode_utf8()
        .map_err(|_| format!("fragment `{fragment}` is not valid percent-encoded UTF-8"))?;
    segments(&decoded)
}

/// Joins tokens back into the canonical pointer form.
pub fn join<S: AsRef<str>>(segments: &[S]) -> String {
    segments.iter().fold(String::new(), |pointer, segment| {
        push(&pointer, segment.as_ref())
    })
}

/// The node at `segments`, walking objects by key and arrays by index.
pub fn get<'v, S: AsRef<str>>(value: &'v Value, segments: &[S]) -> Option<&'v Value> {
    segments.iter().try_fold(value, |node, segment| {
        let segment = segment.as_ref();
        match node {
            Value::Object(map) => map.get(segment),
            Value::Array(items) => {
                // RFC 6901: array indices have no leading zeros or signs.
                let valid = segment == "0" || !segment.starts_with(['0', '+', '-']);
                items.get(segment.parse::<usize>().ok().filter(|_| valid)?)
            }
            _ => None,
        }
    })
}

/// How many leading tokens of `segments` exist in `value`.
pub fn existing_prefix<S: AsRef<str>>(value: &Value, segments: &[S]) -> usize {
    (0..segments.len())
        .take_while(|&depth| get(value, &segments[..=depth]).is_some())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes_round_trip() {
        assert_eq!(push("", "a/b~c"), "/a~1b~0c");
        assert_eq!(segments("/a~1b~0c/x").unwrap(), ["a/b~c", "x"]);
        assert_eq!(join(&["~1", "/"]), "/~01/~1");
    }

    #[test]
    fn fragment_is_percent_decoded_before_unescaping() {
        assert_eq!(
            fragment_segments("/paths/~1users~1%7Bid%7D").unwrap(),
            ["paths", "/users/{id}"]
        );
        assert_eq!(fragment_segments("/a%20b").unwrap(), ["a b"]);
        assert!(fragment_segments("/bad~2").is_err());
        assert!(fragment_segments("Name").is_err());
        assert!(fragment_segments("/%FF").is_err());
    }

    #[test]
    fn get_walks_objects_and_arrays() {
        let value = json!({"a": [{"b/c": 1}]});
        assert_eq!(get(&value, &["a", "0", "b/c"]), Some(&json!(1)));
        assert_eq!(get(&value, &["a", "01"]), None);
        assert_eq!(get(&value, &["a", "-1"]), None);
        assert_eq!(existing_prefix(&value, &["a", "0", "x", "y"]), 2);
    }
}
