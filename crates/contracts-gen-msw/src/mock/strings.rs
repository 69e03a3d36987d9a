//! Strings: formats, lengths, and `pattern`s (sampled with `rand_regex`).

use contracts_model::SchemaObject;
use rand::RngExt;
use serde_json::{Map, Value, json};

use super::meaning::Text;
use super::patterns::{longest_sample, sampleable, without_lookarounds};
use super::{FORMAT_TRIES, LOOKAROUND_TRIES, MAX_CHARS, MAX_REPEAT, Mocker};

impl Mocker<'_> {
    pub(super) fn string(&mut self, object: &SchemaObject) -> String {
        let constraints = object.constraints();
        let formatted = self.formatted(object.format.as_deref());
        let mut text = match (&constraints.pattern, formatted) {
            (None, Some(formatted)) => formatted,
            (None, None) => self.text_by_name(),
            (Some(pattern), Some(formatted))
                if self.string_accepted(Some(pattern), None, &formatted) =>
            {
                formatted
            }
            // A value of what the name means, when it matches the pattern
            // (`country: ^[A-Z]{2}$` takes a country code).
            (Some(pattern), None)
                if let Some(meant) = self.meant_text()
                    && self.string_accepted(Some(pattern), None, &meant) =>
            {
                meant
            }
            // The pattern is the narrower promise: it wins over a format
            // whose value fails it.
            (Some(pattern), formatted) => match self.matching_format(object, pattern) {
                Some(sample) => sample,
                None => formatted.unwrap_or_else(|| self.text_by_name()),
            },
        };
        let length = text.chars().count();
        if let Some(asked) = constraints.min_length.filter(|m| (length as u64) < *m) {
            let minimum = self.capped(object, "minLength", asked, MAX_CHARS);
            text.extend(std::iter::repeat_n('x', minimum.saturating_sub(length)));
        }
        if let Some(maximum) = constraints
            .max_length
            .map(|m| m as usize)
            .filter(|m| length > *m)
        {
            text = text.chars().take(maximum).collect();
        }
        text
    }

    /// Text of what the value's name says it holds (see `meaning`), else a word.
    pub(super) fn text_by_name(&mut self) -> String {
        self.meant_text()
            .unwrap_or_else(|| self.text_of(Text::Word))
    }

    /// Text of what the value's name says it holds, if it says.
    fn meant_text(&mut self) -> Option<String> {
        let (name, parent) = self.names();
        let meaning = Text::of(name?, parent)?;
        Some(self.text_of(meaning))
    }

    fn text_of(&mut self, meaning: Text) -> String {
        self.events += 1;
        meaning.draw(self.locale, &mut self.rng)
    }

    /// A day of the reference year (2024), so output stays the same for a seed.
    fn day(&mut self) -> String {
        self.events += 1;
        let month = self.rng.random_range(1..=12);
        let day = self.rng.random_range(1..=28);
        format!("2024-{month:02}-{day:02}")
    }

    /// A value of a string `format` the mock knows.
    pub(super) fn formatted(&mut self, format: Option<&str>) -> Option<String> {
        let text = match format? {
            "date-time" | "iso-date-time" => {
                let day = self.day();
                let (hour, minute) = (self.rng.random_range(8..=20), self.rng.random_range(0..60));
                format!("{day}T{hour:02}:{minute:02}:00Z")
            }
            "date" => self.day(),
            "time" | "iso-time" => "12:00:00Z".to_owned(),
            "duration" => "P1D".to_owned(),
            "uri-template" => "https://example.com/{id}".to_owned(),
            "json-pointer" => "/id".to_owned(),
            "json-pointer-uri-fragment" => "#/id".to_owned(),
            "relative-json-pointer" => "0/id".to_owned(),
            "regex" => "^.*$".to_owned(),
            "uuid" => {
                self.events += 1;
                format!(
                    "00000000-0000-4000-8000-{:012x}",
                    self.rng.random_range(0..0xffff_ffff_u64)
                )
            }
            "email" | "idn-email" => self.text_of(Text::Email),
            "uri" | "url" | "uri-reference" | "iri" => {
                let (name, parent) = self.names();
                let meaning = name.and_then(|name| Text::of(name, parent));
                self.text_of(match meaning {
                    Some(Text::ImageUrl) => Text::ImageUrl,
                    _ => Text::Url,
                })
            }
            "hostname" => "example.com".to_owned(),
            "ipv4" => "192.0.2.1".to_owned(),
            "ipv6" => "2001:db8::1".to_owned(),
            "byte" => "aGVsbG8=".to_owned(),
            _ => return None,
        };
        Some(text)
    }

    /// A string matching `pattern` and, if it can find one in a few samples,
    /// the object's `format`; else one matching the pattern, with a warning.
    pub(super) fn matching_format(
        &mut self,
        object: &SchemaObject,
        pattern: &str,
    ) -> Option<String> {
        let format = object.format.as_deref();
        let first = self.matching(object, pattern)?;
        if self.string_accepted(None, format, &first) {
            return Some(first);
        }
        for _ in 1..FORMAT_TRIES {
            let sample = self.matching(object, pattern)?;
            if self.string_accepted(None, format, &sample) {
                return Some(sample);
            }
        }
        let message = format!(
            "no string the mock made matches both `format: {}` and `pattern`; the mock's string matches the pattern only",
            format.unwrap_or_default()
        );
        self.warn(object, "format", message);
        Some(first)
    }

    /// Whether `text` matches `pattern` and `format`, as the `jsonschema`
    /// crate checks them (as the examples are checked); a check that does not
    /// compile passes.
    pub(super) fn string_accepted(
        &mut self,
        pattern: Option<&str>,
        format: Option<&str>,
        text: &str,
    ) -> bool {
        let key = (pattern.map(str::to_owned), format.map(str::to_owned));
        let validator = self.string_checks.entry(key).or_insert_with(|| {
            let mut schema = Map::new();
            if let Some(pattern) = pattern {
                schema.insert("pattern".to_owned(), json!(pattern));
            }
            if let Some(format) = format {
                schema.insert("format".to_owned(), json!(format));
            }
            crate::examples::validator_options()
                .build(&Value::Object(schema))
                .ok()
        });
        validator
            .as_ref()
            .is_none_or(|validator| validator.is_valid(&json!(text)))
    }

    /// A string matching an ECMAScript-style pattern, when it can be generated:
    /// anchors are implied by generating the whole string, `\d` means ASCII digits.
    /// Repetitions are bounded so the string stays within [`MAX_CHARS`].
    pub(super) fn matching(&mut self, object: &SchemaObject, pattern: &str) -> Option<String> {
        // Lookarounds (`^(?!\s*$).+`, `(?=.*\d)`) only narrow what the rest
        // matches: samples of the rest are checked against the whole pattern.
        if let Some(rest) = without_lookarounds(pattern) {
            for _ in 0..LOOKAROUND_TRIES {
                let sample = self.sample_matching(object, &rest)?;
                if self.string_accepted(Some(pattern), None, &sample) {
                    return Some(sample);
                }
            }
            let message = "no string the mock made from `pattern` without its lookarounds matches the whole pattern; the mock's string may not match it".to_owned();
            self.warn(object, "pattern", message);
            return None;
        }
        self.sample_matching(object, pattern)
    }

    /// One sample of `pattern`, see [`Self::matching`].
    pub(super) fn sample_matching(
        &mut self,
        object: &SchemaObject,
        pattern: &str,
    ) -> Option<String> {
        let inner = pattern.strip_prefix('^').unwrap_or(pattern);
        let inner = inner.strip_suffix('$').unwrap_or(inner);
        // Byte classes (`.`, `\S`, `[^,]`) reach past ASCII, which `utf8(true)`
        // refuses; they are narrowed to ASCII below.
        let hir = regex_syntax::ParserBuilder::new()
            .unicode(false)
            .utf8(false)
            .build()
            .parse(inner);
        let Ok(hir) = hir else {
            let message = "`pattern` uses syntax the mock cannot generate from (backreferences, or a flavour other than ECMAScript's); the mock's string may not match it".to_owned();
            self.warn(object, "pattern", message);
            return None;
        };
        let shortest = hir.properties().minimum_len()?;
        if shortest as u64 > MAX_CHARS {
            let message = format!(
                "`pattern` matches only strings of {shortest} bytes or more, longer than a mock makes ({MAX_CHARS}); the mock's string does not match it"
            );
            self.warn(object, "pattern", message);
            return None;
        }
        // As sampled, an unbounded repetition takes at most MAX_REPEAT more
        // than its minimum; a bounded one with a wide range is narrowed so.
        let narrow = longest_sample(&hir).is_none_or(|len| len as u64 > MAX_CHARS);
        let hir = sampleable(&hir, narrow);
        if longest_sample(&hir).is_none_or(|len| len as u64 > MAX_CHARS) {
            let message = format!(
                "`pattern` makes strings longer than a mock makes ({MAX_CHARS} bytes); the mock's string does not match it"
            );
            self.warn(object, "pattern", message);
            return None;
        }
        let Ok(generator) = rand_regex::Regex::with_hir(hir, MAX_REPEAT) else {
            let message = "`pattern` has anchors or word boundaries inside it, which the mock cannot generate from; the mock's string may not match it".to_owned();
            self.warn(object, "pattern", message);
            return None;
        };
        self.events += 1;
        Some(self.rng.sample(&generator))
    }
}
