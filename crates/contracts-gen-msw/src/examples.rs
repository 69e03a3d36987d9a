//! Mock bodies: the spec's own examples where they match the schema, else
//! generated data. Candidates are the media type's examples, then the
//! (resolved) schema's own; each is checked with the `jsonschema` crate
//! against the draft-7 form of the media type's schema. Every schema that
//! needs a check is compiled once, in one document: the contract's schemas
//! under `definitions`, and one `properties` entry per checked media-type
//! schema, so a value is checked as `{key: value}`.

use std::collections::{HashMap, HashSet};

use contracts_diagnostics::{Diagnostic, Location};
use contracts_model::json_schema::{definition_pointer, draft7, draft7_document};
use contracts_model::{Contract, Loc, MediaType, Schema, SchemaId, pointer};

use crate::codes;
use jsonschema::Validator;
use serde_json::{Map, Value, json};

use crate::mock::MAX_COMPLETE_DEPTH;
use crate::{Locale, Mocker};

/// Keywords left out of the check before giving up on compiling the schemas.
const MAX_LEFT_OUT: usize = 32;

/// Schemas one value of a checked schema may be validated against through
/// its composition parts: beyond, the check could take exponential time.
const MAX_EXPANSION: u64 = 10_000;

pub struct Bodies<'c> {
    contract: &'c Contract,
    mocker: Mocker<'c>,
    /// `None` when nothing needs a check, or the schemas did not compile.
    validator: Option<Validator>,
    /// The `properties` key of each inline media-type schema, by the media type's location.
    inline_keys: HashMap<Loc, String>,
    /// Each candidate checked so far, by where it is written, its index there
    /// and the schema key: the value (completed) when it matched.
    checked: HashMap<(Loc, usize, String), Option<Value>>,
    /// Media types whose examples are not checked, as checking could take exponential time.
    unchecked: HashSet<Loc>,
    pub warnings: Vec<Diagnostic>,
}

impl<'c> Bodies<'c> {
    /// Compiles the schemas of the media types that have examples to check.
    pub fn new(
        contract: &'c Contract,
        seed: u64,
        locale: Locale,
        media: impl IntoIterator<Item = &'c MediaType>,
    ) -> Self {
        let mut bodies = Bodies {
            contract,
            mocker: Mocker::new(contract, seed).in_locale(locale),
            validator: None,
            inline_keys: HashMap::new(),
            checked: HashMap::new(),
            unchecked: HashSet::new(),
            warnings: Vec::new(),
        };
        let mut properties = Map::new();
        // The media types of inline schemas, by their `inline<n>` key.
        let mut inline = Vec::new();
        let mut expansions = HashMap::new();
        for media in media {
            let Some(schema) = &media.schema else {
                continue;
            };
            if media.examples.is_empty() && bodies.schema_examples(schema).is_empty() {
                continue;
            }
            let expansion = expansion(contract, schema, &mut expansions, 0);
            if expansion > MAX_EXPANSION {
                let message = format!(
                    "checking an example against this schema would visit more than {MAX_EXPANSION} schemas through `allOf`/`anyOf`/`oneOf` parts; its examples are not used, every mock body for it is generated"
                );
                let at = bodies.location(&schema_key_loc(media));
                bodies
                    .warnings
                    .push(Diagnostic::warning(codes::EXAMPLES_UNCHECKED, message).at(at));
                bodies.unchecked.insert(media.loc.clone());
                continue;
            }
            match schema {
                Schema::Ref(id) => {
                    properties
                        .entry(named_key(*id))
                        .or_insert_with(|| json!({"$ref": definition_pointer(*id)}));
                }
                _ if bodies.inline_keys.contains_key(&media.loc) => {}
                inline_schema => {
                    let key = format!("inline{}", inline.len());
                    properties.insert(key.clone(), draft7(inline_schema, &definition_pointer));
                    bodies.inline_keys.insert(media.loc.clone(), key);
                    inline.push(&media.loc);
                }
            }
        }
        if !properties.is_empty() {
            let mut document = draft7_document(contract);
            document["properties"] = Value::Object(properties);
            bodies.validator = bodies.compile(document, &inline);
        }
        bodies
    }

    /// The validator for `document`. A keyword that does not compile (a
    /// pattern in a syntax the validator does not read) is left out of the
    /// check, with a warning, and the rest compiled again.
    fn compile(&mut self, mut document: Value, inline: &[&Loc]) -> Option<Validator> {
        // Formats are checked: the validators that test these mocks (ajv with
        // ajv-formats) check them too, and on the GitHub spec the one example
        // they reject is malformed (`page_url: "developer.github.com"` is no
        // URI). Formats jsonschema does not know (`int32`, `binary`) pass.
        let options = validator_options();
        for _ in 0..MAX_LEFT_OUT {
            let error = match options.build(&document) {
                Ok(validator) => return Some(validator),
                Err(error) => error,
            };
            let why = error.masked().to_string();
            let path = error.instance_path().as_str().to_owned();
            let segments = pointer::segments(&path).unwrap_or_default();
            let left_out = (segments.split_last())
                .and_then(|(last, parent)| {
                    let parent = document.pointer_mut(&pointer::join(parent))?;
                    parent.as_object_mut()?.remove(last)
                })
                .is_some();
            let Some(at) = self.spec_loc(&segments, inline).filter(|_| left_out) else {
                break;
            };
            let message = format!(
                "this cannot be compiled to check examples against ({why}); they are checked without it"
            );
            self.warnings.push(
                Diagnostic::warning(codes::EXAMPLES_UNCHECKED, message).at(self.location(&at)),
            );
        }
        self.warnings.push(Diagnostic::warning(
            codes::EXAMPLES_UNCHECKED,
            "the schemas cannot be compiled to check examples against; every mock body is generated",
        ));
        None
    }

    /// Where the node at `segments` of the checked document is in the spec:
    /// the draft-7 form keeps the keywords' paths.
    fn spec_loc(&self, segments: &[String], inline: &[&Loc]) -> Option<Loc> {
        let (file, base, rest) = match segments {
            [root, index, rest @ ..] if root == "definitions" => {
                let loc = &self.contract.schemas.get(index.parse::<usize>().ok()?)?.loc;
                (loc.file, loc.pointer.clone(), rest)
            }
            [root, key, rest @ ..] if root == "properties" => {
                let loc = inline.get(key.strip_prefix("inline")?.parse::<usize>().ok()?)?;
                (loc.file, format!("{}/schema", loc.pointer), rest)
            }
            _ => return None,
        };
        Some(Loc {
            file,
            pointer: base + &pointer::join(rest),
        })
    }

    /// A JSON body for `media`: the first example that matches its schema,
    /// else generated data; and whether it fits the generated TypeScript
    /// types (a warning says why not).
    pub fn json(&mut self, label: &str, media: &'c MediaType) -> (Value, bool) {
        if let Some(value) = self.example(label, media, |_| true) {
            return (value, true);
        }
        let Some(schema) = &media.schema else {
            return (Value::Null, true);
        };
        let (outside_before, cut_before) = (self.mocker.outside_types, self.mocker.cut_short);
        let value = self.mocker.value(schema, &media.loc.pointer);
        self.warnings.append(&mut self.mocker.warnings);
        // A value cut short has the warning at its schema.
        let fits = self.mocker.cut_short == cut_before;
        let why_outside = if self.mocker.outside_types != outside_before {
            Some("it matches exactly one `oneOf` branch only through a member that another branch declares with a value it rejects; the branches accept the same objects otherwise".to_owned())
        } else if fits {
            self.mocker.fits(schema, &value).err()
        } else {
            None
        };
        if let Some(why) = why_outside {
            let message = format!(
                "the mock for `{label}` matches the schema but not the generated TypeScript types ({why}), so this body is not checked with `satisfies`"
            );
            let at = schema_key_loc(media);
            let warning =
                Diagnostic::warning(codes::MOCK_OUTSIDE_TYPES, message).at(self.location(&at));
            self.warnings.push(warning);
            return (value, false);
        }
        (value, fits)
    }

    /// A text body for `media`: the first string example that matches its
    /// schema, else a generated string, else generated data as JSON text.
    pub fn text(&mut self, label: &str, media: &'c MediaType) -> String {
        let value = match self.example(label, media, Value::is_string) {
            Some(value) => value,
            None => match &media.schema {
                Some(schema) => {
                    let value = self.mocker.value(schema, &media.loc.pointer);
                    self.warnings.append(&mut self.mocker.warnings);
                    value
                }
                None => return String::new(),
            },
        };
        match value {
            Value::String(text) => text,
            other => other.to_string(),
        }
    }

    /// The first usable candidate that matches the media type's schema; a
    /// warning for each that does not (once per candidate and schema).
    fn example(
        &mut self,
        label: &str,
        media: &'c MediaType,
        usable: fn(&Value) -> bool,
    ) -> Option<Value> {
        if self.unchecked.contains(&media.loc) {
            return None;
        }
        let Some(schema) = &media.schema else {
            // Without a schema, any value is valid.
            return media
                .examples
                .iter()
                .map(|e| &e.value)
                .find(|v| usable(v))
                .cloned();
        };
        let key = match schema {
            Schema::Ref(id) => named_key(*id),
            _ => self.inline_keys.get(&media.loc)?.clone(),
        };
        let schema_loc = self.schema_loc(media, schema);
        let own = media.examples.iter().map(|e| (&e.loc, 0, &e.value, None));
        let of_schema = (self.schema_examples(schema).iter().enumerate())
            .map(|(index, value)| (&schema_loc, index, value, Some(index + 1)));
        let mut chosen = None;
        for (loc, index, value, nth) in own.chain(of_schema).filter(|c| usable(c.2)) {
            let id = (loc.clone(), index, key.clone());
            if let Some(result) = self.checked.get(&id) {
                chosen = chosen.or(result.clone());
                continue;
            }
            let Some(validator) = &self.validator else {
                return None;
            };
            let mut value = value.clone();
            self.mocker.complete(schema, &mut value, &loc.pointer);
            self.warnings.append(&mut self.mocker.warnings);
            let checked = check(validator, &key, value).and_then(|value| {
                (self.mocker.fits(schema, &value))
                    .map(|()| value)
                    .map_err(|why| format!("{why}, so it does not fit the generated types"))
            });
            let result = match checked {
                Ok(value) => Some(value),
                Err(why) => {
                    let what = match nth {
                        Some(nth) => format!("the schema's example {nth}"),
                        None => "the example".to_owned(),
                    };
                    self.warn(loc, media, format!("{what} for `{label}` does not match the schema ({why}); the mock uses generated data"));
                    None
                }
            };
            self.checked.insert(id, result.clone());
            chosen = chosen.or(result);
        }
        chosen
    }

    /// Where `media`'s schema is written: the named schema it refs, or inline.
    fn schema_loc(&self, media: &MediaType, schema: &Schema) -> Loc {
        match self.contract.resolve_named(schema) {
            Some(named) => named.loc.clone(),
            None => schema_key_loc(media),
        }
    }

    fn warn(&mut self, at: &Loc, media: &MediaType, message: String) {
        let mut warning =
            Diagnostic::warning(codes::INVALID_EXAMPLE, message).at(self.location(at));
        // An example written elsewhere (a shared component, the schema) names the response too.
        let inside = at.file == media.loc.file
            && (at.pointer.strip_prefix(&media.loc.pointer))
                .is_some_and(|rest| rest.starts_with('/'));
        if !inside {
            warning = warning.with_related(self.location(&media.loc), "checked for this response");
        }
        self.warnings.push(warning);
    }

    fn location(&self, loc: &Loc) -> Location {
        Location::new(self.contract.file(loc.file), &loc.pointer)
    }

    fn schema_examples(&self, schema: &'c Schema) -> &'c [Value] {
        self.contract
            .resolve(schema)
            .as_object()
            .map_or(&[], |object| &object.examples)
    }
}

/// The `schema` key of `media`.
fn schema_key_loc(media: &MediaType) -> Loc {
    Loc {
        file: media.loc.file,
        pointer: format!("{}/schema", media.loc.pointer),
    }
}

/// `value`, when it matches the schema under `key`; else why not (the first error).
fn check(validator: &Validator, key: &str, value: Value) -> Result<Value, String> {
    let mut instance = Value::Object(Map::from_iter([(key.to_owned(), value)]));
    if let Err(error) = validator.validate(&instance) {
        // Paths start with `/key`; what follows is the path inside the value.
        let path = error.instance_path().as_str();
        let inside = path
            .get(1..)
            .and_then(|rest| rest.find('/'))
            .map_or("", |at| &path[at + 1..]);
        return Err(match inside {
            "" => error.masked().to_string(),
            inside => format!("at `{inside}`: {}", error.masked()),
        });
    }
    Ok(instance.get_mut(key).map(Value::take).unwrap_or_default())
}

/// How many schemas `jsonschema` visits for one value of `schema` through
/// the parts that apply to the same value (`allOf`, `anyOf`, `oneOf`, `not`),
/// at most past [`MAX_EXPANSION`]: `allOf: [A, A]` chains double per level.
/// Named schemas are worked out once (`expansions`); one met again while
/// being worked out applies to the same value without end, so counts as too many.
fn expansion(
    contract: &Contract,
    schema: &Schema,
    expansions: &mut HashMap<SchemaId, u64>,
    depth: usize,
) -> u64 {
    const TOO_MANY: u64 = MAX_EXPANSION + 1;
    let object = match schema {
        Schema::Bool(_) => return 1,
        Schema::Ref(id) => {
            if let Some(known) = expansions.get(id) {
                return *known;
            }
            expansions.insert(*id, TOO_MANY);
            let known = expansion(contract, contract.resolve(schema), expansions, depth + 1);
            expansions.insert(*id, known);
            return known;
        }
        Schema::Object(object) => object,
    };
    // Inline nesting is bounded by the loader; refs by the table above.
    if depth > MAX_COMPLETE_DEPTH {
        return TOO_MANY;
    }
    let parts = (object.all_of.iter())
        .chain(&object.any_of)
        .chain(&object.one_of)
        .chain(&object.not);
    parts.fold(1, |sum, part| {
        (sum + expansion(contract, part, expansions, depth + 1)).min(TOO_MANY)
    })
}

/// The `properties` key of a named schema (`$ref`).
fn named_key(id: SchemaId) -> String {
    format!("named{}", id.0)
}

/// How examples and mock strings are checked: draft 7 with formats, plus
/// `uuid` and `duration`, which draft 7 does not define but ajv-formats (the
/// validator that tests these mocks) checks.
pub(crate) fn validator_options() -> jsonschema::ValidationOptions<'static> {
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .with_format("uuid", is_uuid)
        .with_format("duration", is_duration)
}

/// ajv-formats' `duration`: `P`, then weeks (`P2W`) or date units and a
/// `T` with time units, each at most once and in order, whole numbers.
fn is_duration(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('P').filter(|rest| !rest.is_empty()) else {
        return false;
    };
    if let Some(weeks) = rest.strip_suffix('W') {
        return !weeks.is_empty() && weeks.bytes().all(|b| b.is_ascii_digit());
    }
    let (date, time) = match rest.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (rest, None),
    };
    units_in_order(date, "YMD")
        && time.is_none_or(|time| !time.is_empty() && units_in_order(time, "HMS"))
}

/// Whether `text` is numbers each followed by one of `units`, in their order, each once at most.
fn units_in_order(text: &str, units: &str) -> bool {
    let mut allowed = units;
    let mut digits = 0;
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits += 1;
            continue;
        }
        let Some(at) = allowed.find(c).filter(|_| digits > 0) else {
            return false;
        };
        allowed = &allowed[at + 1..];
        digits = 0;
    }
    digits == 0
}

/// ajv-formats' `uuid`: hex groups of 8-4-4-4-12, any case, `urn:uuid:` allowed before.
fn is_uuid(text: &str) -> bool {
    let text = text.strip_prefix("urn:uuid:").unwrap_or(text);
    text.len() == 36
        && text.char_indices().all(|(index, c)| match index {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}
