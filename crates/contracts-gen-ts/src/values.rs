//! `--enum-values`: a const of each string or number enum's values, named and typed
//! by its place in the spec as openapi-typescript 7.13 tracks it.

use std::collections::HashSet;

use contracts_model::{Schema, SchemaId, SchemaObject, Type};
use oxc_ast::ast::TSType;
use oxc_span::SPAN;
use serde_json::Value;

use crate::Generator;
use crate::schema::implied_type;

/// `--enum-values`: where a schema is, as openapi-typescript tracks it.
#[derive(Default)]
pub(crate) struct Site {
    /// Its JSON pointer as openapi-typescript builds it (properties by
    /// name, no `items` or `allOf`, `oneOf`/`anyOf` with their index),
    /// decoded: the const's name.
    pub(crate) pointer: Vec<String>,
    /// The same path into our output, for the const's type: differs where
    /// our structure does (a path item's own parameters).
    pub(crate) access: Vec<String>,
    /// Whether the indexed access type along `access` is sound for our
    /// output: no nullable or non-object value on the way, no array in an
    /// array, no `$Read`/`$Write` marker, no readonly array.
    pub(crate) sound: bool,
    /// Reached by a key (a property, a parameter, a media type, an entry),
    /// not as an array's element or a union's branch.
    pub(crate) keyed: bool,
    /// The schema is an `additionalProperties` schema (`[string]` ends the type).
    pub(crate) additional: bool,
    /// Below an `additionalProperties` schema, where openapi-typescript's
    /// pointer goes on without a segment: only the map's own enum is
    /// indexed soundly (`[string]`); a key further down would be read as a
    /// key of the map.
    pub(crate) map: bool,
    /// No consts here: the schema is generated again where its own const is
    /// (a required name that an `allOf` part declares).
    pub(crate) muted: bool,
}

/// A saved [`Site`], to go back to.
pub(crate) struct Mark {
    pointer: usize,
    access: usize,
    sound: bool,
    keyed: bool,
    additional: bool,
    map: bool,
    muted: bool,
}

impl<'c, 'a> Generator<'c, 'a> {
    /// Starts a site at a root of the spec (`["paths", "/pets", "get"]`).
    pub(crate) fn site_root(&mut self, segments: &[&str]) {
        if !self.options.enum_values {
            return;
        }
        // Under `--path-params-as-types` a path with `{name}`s is keyed by a
        // template, which the path itself does not index.
        let templated = self.options.path_params_as_types
            && segments.first() == Some(&"paths")
            && segments.get(1).is_some_and(|path| path.contains('{'));
        let segments: Vec<String> = segments.iter().map(|s| (*s).to_owned()).collect();
        self.site = Site {
            pointer: segments.clone(),
            access: segments,
            sound: !templated,
            keyed: true,
            additional: false,
            map: false,
            muted: false,
        };
    }

    /// Starts the site of a named schema. One that is not a component of
    /// the spec (a `$ref` into another schema: `#/components/schemas/A/properties/b`)
    /// is named by where it is written, as openapi-typescript would reach it
    /// there; its type is still our component's.
    pub(crate) fn schema_site(&mut self, id: SchemaId, name: &str) {
        self.site_root(&["components", "schemas", name]);
        if !self.options.enum_values {
            return;
        }
        let contract = self.contract;
        let root_file = (contract.components.schemas.values())
            .next()
            .map(|first| contract.schema(*first).loc.file);
        let loc = &contract.schema(id).loc;
        let component = contract.components.schemas.get(name) == Some(&id);
        if !component && root_file == Some(loc.file) && loc.pointer.starts_with('/') {
            self.site.pointer = (loc.pointer[1..].split('/'))
                .map(|token| token.replace("~1", "/").replace("~0", "~"))
                .collect();
        }
    }

    /// Goes into the site by `segments` (in the pointer, and in our output
    /// when `in_output`); `keyed` says how, `sound` whether our output still
    /// indexes that way. Returns where it was.
    pub(crate) fn enter(
        &mut self,
        segments: &[&str],
        in_output: bool,
        keyed: bool,
        sound: bool,
    ) -> Mark {
        let site = &mut self.site;
        let mark = Mark {
            pointer: site.pointer.len(),
            access: site.access.len(),
            sound: site.sound,
            keyed: site.keyed,
            additional: site.additional,
            map: site.map,
            muted: site.muted,
        };
        if self.options.enum_values {
            site.pointer
                .extend(segments.iter().map(|s| (*s).to_owned()));
            if in_output {
                site.access.extend(segments.iter().map(|s| (*s).to_owned()));
            }
            site.sound &= sound && !site.map;
            site.keyed = keyed;
            site.additional = false;
            site.map = false;
        }
        mark
    }

    pub(crate) fn leave(&mut self, mark: Mark) {
        let site = &mut self.site;
        site.pointer.truncate(mark.pointer);
        site.access.truncate(mark.access);
        site.sound = mark.sound;
        site.keyed = mark.keyed;
        site.additional = mark.additional;
        site.map = mark.map;
        site.muted = mark.muted;
    }

    /// `--enum-values`: `export const <name>Values: ReadonlyArray<T> = [...]`
    /// for an enum at the current site, once per site. `T` is
    /// openapi-typescript's indexed access type when it is sound for our
    /// output, else the union of the values (docs/compat.md).
    pub(crate) fn enum_values_const(&mut self, values: &[Value], additional: bool) {
        if self.site.muted {
            return;
        }
        if !self.site.pointer.is_empty() && !self.value_sites.insert(self.site.pointer.clone()) {
            return;
        }
        let base = values_const_name(&self.site.pointer);
        let mut name = base.clone();
        let mut counter = 2;
        while !self.value_names.insert(name.clone()) {
            name = format!("{base}{counter}");
            counter += 1;
        }
        let sound = self.site.sound && (!self.site.map || additional);
        let element = if sound && !self.site.access.is_empty() {
            let ty = self.values_access_type();
            if additional {
                self.ts.index(ty, self.ts.string())
            } else {
                ty
            }
        } else {
            let literals = values.iter().map(|value| self.literal(value)).collect();
            self.ts.union(literals)
        };
        let ty = self.ts.generic("ReadonlyArray", vec![element]);
        let items = values.iter().map(|value| self.ts.json(value)).collect();
        let array = self.ts.array_expression(items);
        self.values
            .push(self.ts.export_const_typed(SPAN, &name, Some(ty), array));
    }

    /// openapi-typescript's `oapiRef(path, { deep, extractProperties })`:
    /// `FlattenedDeepRequired<root>["a"]["b"]...`, `oneOf`/`anyOf` indices
    /// left out and each property after one narrowed with
    /// `Extract<T, { prop: unknown }>`.
    pub(crate) fn values_access_type(&self) -> TSType<'a> {
        let access = &self.site.access;
        let is_index = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let mut cleaned: Vec<&str> = Vec::new();
        let mut extract: HashSet<&str> = HashSet::new();
        let mut i = 0;
        while i < access.len() {
            let segment = access[i].as_str();
            if (segment == "oneOf" || segment == "anyOf")
                && i + 1 < access.len()
                && is_index(&access[i + 1])
            {
                i += 1;
                for rest in &access[i + 1..] {
                    if rest != "oneOf" && rest != "anyOf" && !is_index(rest) {
                        extract.insert(rest.as_str());
                    }
                }
                i += 1;
                continue;
            }
            cleaned.push(segment);
            i += 1;
        }
        let root = self.ts.generic(cleaned[0], Vec::new());
        let mut ty = self.ts.generic("FlattenedDeepRequired", vec![root]);
        for (index, segment) in cleaned.iter().enumerate().skip(1) {
            if index >= 3 && extract.contains(segment) {
                let member = self
                    .ts
                    .member(SPAN, segment, false, false, self.ts.unknown());
                ty = self
                    .ts
                    .generic("Extract", vec![ty, self.ts.object(vec![member])]);
            }
            ty = self.ts.index(ty, self.ts.literal_string(segment));
        }
        ty
    }

    /// Whether indexing an object schema's members from our output is
    /// sound: it is an object alone (not nullable, no other type, not an
    /// alternative to its `anyOf`, its members not spread into branches).
    pub(crate) fn members_sound(&self, object: &SchemaObject) -> bool {
        let alternative = object.properties.is_empty()
            && matches!(
                object.additional_properties,
                Some(Schema::Ref(_) | Schema::Object(_))
            )
            && object.all_of.is_empty()
            && object.one_of.is_empty()
            && !object.any_of.is_empty();
        // Members beside a map schema are an intersection with an index
        // signature in our output (`{ a: A } & { [key: string]: V }`), where
        // a member's type is `A & V`.
        let map = !object.properties.is_empty()
            && matches!(
                object.additional_properties,
                Some(Schema::Ref(_) | Schema::Object(_))
            );
        let spread =
            implied_type(object) == Some(Type::Object) && self.spreads(object, Type::Object);
        let only_object = object.types.iter().all(|ty| *ty == Type::Object);
        !(object.nullable || !only_object || alternative || map || spread)
    }

    /// Whether `FlattenedDeepRequired` flattens an array schema to its
    /// elements in our output: an array (or null) reached by a key, not readonly.
    pub(crate) fn items_sound(&self, object: &SchemaObject) -> bool {
        self.site.keyed
            && !self.options.immutable
            && object
                .types
                .iter()
                .all(|ty| matches!(ty, Type::Array | Type::Null))
            && !(implied_type(object) == Some(Type::Array) && self.spreads(object, Type::Array))
    }
}

/// `--enum-values`' name for the enum at `pointer`, as openapi-typescript
/// 7.13 names it: the pointer joined by `/` without its first
/// `components/schemas`, `Values` added, each run of characters other than
/// `[A-Za-z0-9_$]` dropped with the character after it upper-cased
/// (`sanitizeMemberName`), the first letter lower-cased.
pub(crate) fn values_const_name(pointer: &[String]) -> String {
    let name = format!(
        "{}Values",
        pointer.join("/").replacen("components/schemas", "", 1)
    );
    let valid = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let mut out = String::new();
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        if valid(c) {
            out.push(c);
            continue;
        }
        while chars.next_if(|c| !valid(*c)).is_some() {}
        if let Some(next) = chars.next() {
            out.push(next.to_ascii_uppercase());
        }
    }
    // JavaScript's `Number(name[0]) >= 0`: a digit or white space.
    if name.starts_with(|c: char| c.is_ascii_digit() || c.is_whitespace()) {
        out = format!("Value{out}");
    }
    let mut chars = out.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => out,
    }
}
