//! Reading `pattern`s for sampling: lookarounds cut out, classes narrowed to
//! ASCII, repetitions bounded.

use regex_syntax::hir::{Capture, Class, ClassBytes, ClassBytesRange, Hir, HirKind, Repetition};

use super::MAX_REPEAT;

/// `pattern` without its lookaround groups (`(?=`, `(?!`, `(?<=`, `(?<!`),
/// or `None` when it has none (or they do not close). Escapes and
/// character classes are read whole, so `\(?=` and `[(?=]` are not groups.
pub(super) fn without_lookarounds(pattern: &str) -> Option<String> {
    const OPENINGS: [&str; 4] = ["(?=", "(?!", "(?<=", "(?<!"];
    let mut out = String::with_capacity(pattern.len());
    let mut found = false;
    let mut rest = pattern;
    while !rest.is_empty() {
        if let Some(opening) = OPENINGS.iter().find(|opening| rest.starts_with(**opening)) {
            rest = &rest[group_end(rest, opening.len())?..];
            found = true;
            continue;
        }
        let taken = token_len(rest)?;
        out.push_str(&rest[..taken]);
        rest = &rest[taken..];
    }
    found.then_some(out)
}

/// The byte just past the `)` that closes the group `text` opens, reading
/// its body from byte `from`.
pub(super) fn group_end(text: &str, from: usize) -> Option<usize> {
    let mut depth = 1;
    let mut at = from;
    while at < text.len() {
        match text.as_bytes()[at] {
            b'(' => depth += 1,
            b')' if depth == 1 => return Some(at + 1),
            b')' => depth -= 1,
            _ => {}
        }
        at += token_len(&text[at..])?;
    }
    None
}

/// The length of the token `text` starts with: an escape, a character
/// class (`[...]`, where a `]` right after `[` or `[^` is a member), or one
/// character. `None` for a class that does not close.
pub(super) fn token_len(text: &str) -> Option<usize> {
    let char_at = |at: usize| text[at..].chars().next().map_or(0, char::len_utf8);
    match text.as_bytes().first()? {
        b'\\' => Some(1 + char_at(1)),
        b'[' => {
            let mut at = 1;
            if text[at..].starts_with('^') {
                at += 1;
            }
            if text[at..].starts_with(']') {
                at += 1;
            }
            while at < text.len() {
                match text.as_bytes()[at] {
                    b']' => return Some(at + 1),
                    b'\\' => at += 1 + char_at(at + 1),
                    _ => at += char_at(at),
                }
            }
            None
        }
        _ => Some(char_at(0)),
    }
}

/// The longest string `rand_regex` samples for `hir` with [`MAX_REPEAT`], in
/// bytes; `None` past `usize`. Recursion follows the pattern's nesting, which
/// the parser caps.
pub(super) fn longest_sample(hir: &Hir) -> Option<usize> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(0),
        HirKind::Literal(literal) => Some(literal.0.len()),
        HirKind::Class(class) => Some(class.maximum_len().unwrap_or(0)),
        HirKind::Repetition(repetition) => {
            let upper = match repetition.max {
                Some(max) => max,
                None => repetition.min.checked_add(MAX_REPEAT)?,
            };
            longest_sample(&repetition.sub)?.checked_mul(upper as usize)
        }
        HirKind::Capture(capture) => longest_sample(&capture.sub),
        HirKind::Concat(parts) => parts
            .iter()
            .try_fold(0_usize, |sum, part| sum.checked_add(longest_sample(part)?)),
        HirKind::Alternation(choices) => choices.iter().try_fold(0_usize, |longest, choice| {
            Some(longest.max(longest_sample(choice)?))
        }),
    }
}

/// `hir` with every class narrowed to ASCII (printable where the class has
/// any), so samples are text; and when `narrow`, every repetition taking at
/// most [`MAX_REPEAT`] more than its minimum. It matches a subset of what
/// `hir` matches. Recursion follows the pattern's nesting, which the parser caps.
pub(super) fn sampleable(hir: &Hir, narrow: bool) -> Hir {
    match hir.kind() {
        HirKind::Class(Class::Bytes(class)) => {
            let within = |low: u8, high: u8| {
                let mut narrowed = class.clone();
                narrowed.intersect(&ClassBytes::new([ClassBytesRange::new(low, high)]));
                narrowed
            };
            let printable = within(b' ', b'~');
            let ascii = if printable.ranges().is_empty() {
                within(0, 0x7f)
            } else {
                printable
            };
            Hir::class(Class::Bytes(ascii))
        }
        HirKind::Repetition(repetition) => {
            let widest = repetition.min.saturating_add(MAX_REPEAT);
            Hir::repetition(Repetition {
                min: repetition.min,
                max: match repetition.max {
                    Some(max) if narrow => Some(max.min(widest)),
                    None if narrow => Some(widest),
                    max => max,
                },
                greedy: repetition.greedy,
                sub: Box::new(sampleable(&repetition.sub, narrow)),
            })
        }
        HirKind::Capture(capture) => Hir::capture(Capture {
            index: capture.index,
            name: capture.name.clone(),
            sub: Box::new(sampleable(&capture.sub, narrow)),
        }),
        HirKind::Concat(parts) => {
            Hir::concat(parts.iter().map(|part| sampleable(part, narrow)).collect())
        }
        HirKind::Alternation(choices) => Hir::alternation(
            choices
                .iter()
                .map(|choice| sampleable(choice, narrow))
                .collect(),
        ),
        _ => hir.clone(),
    }
}
