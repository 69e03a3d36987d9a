//! Splitting the definitions into batches that typify converts one after
//! the other. typify turns a whole batch into one token stream before
//! anything can be printed, and for a spec with thousands of operations
//! (Microsoft Graph: 20 MB of JSON, 58 MB of Rust, mostly the operations'
//! parameters, bodies and responses) that stream alone is most of a
//! gigabyte. Definitions no definition refers to need not share a batch:
//! the first batch holds every definition some definition refers to, plus
//! the first leaves; each later batch holds more leaves, converted with the
//! shared definitions they reach and naming their types (typify's
//! replacements) rather than defining them again. A spec with fewer leaves
//! than a batch holds is one batch, as before.

use std::collections::{HashMap, HashSet};

use proc_macro2::TokenStream;
use rayon::prelude::*;
use schemars::schema::Schema;
use serde_json::Value;
use typify::{TypeSpace, TypeSpaceImpl, TypeSpaceSettings};

use crate::operations::Definition;
use crate::print::{Batch, Module};
use crate::space::{self, definition_name};

/// How many leaves a batch holds: large enough that batches rarely repeat
/// the shared definitions they reach, small enough that one batch's token
/// stream stays in the tens of megabytes (on the GitHub spec, one batch at
/// a time, 150 leaves peaked at 340 MB where 1000 took 500 MB, in the same
/// time; two at a time peak near 380 MB, and 75 leaves no lower: the first
/// batch, which holds the shared definitions, is the peak). The crate's own
/// tests use tiny batches, so every one of them crosses batches.
const LEAVES_PER_BATCH: usize = if cfg!(test) { 2 } else { 150 };

/// A definition's Rust type, as tokens and as a name.
pub(crate) type RustType = (TokenStream, String);

/// Converts `definitions` batch by batch into one module, and gives the
/// Rust types of those `wanted`. A definition typify cannot represent is
/// degraded (see [`space::build`]), with a warning. Later batches depend
/// only on the first, so they convert on every core and join in order.
pub(crate) fn build(
    derives: &[String],
    definitions: Vec<Definition>,
    wanted: &HashSet<String>,
    warnings: &mut Vec<String>,
) -> Result<(Module, HashMap<String, RustType>), String> {
    let mut module = Module::default();
    let batches = split(definitions);
    let first = space::schemas(batches.first, warnings);
    let mut first = space::build(&settings(derives, &[]), first, warnings)?;
    let mut types: HashMap<String, RustType> =
        (wanted_types(&mut first.space, &first.schemas, wanted)?.into_iter()).collect();
    module.join(first.printed)?;
    if batches.later.is_empty() {
        return Ok((module, types));
    }

    let replacements = (batches.shared.iter())
        .map(|name| space::replacement(&mut first.space, name))
        .collect::<Result<Vec<_>, String>>()?;
    drop(first.space);
    let shared: HashSet<&String> = batches.shared.iter().collect();
    let shared_schemas: HashMap<String, Schema> = (first.schemas.into_iter())
        .filter(|(name, _)| shared.contains(name))
        .collect();
    // The batches' threads get the generation thread's stack (see
    // `GENERATION_STACK`), not rayon's default.
    let pool = rayon::ThreadPoolBuilder::new()
        .thread_name(|index| format!("contracts-gen-rust-{index}"))
        .stack_size(crate::GENERATION_STACK)
        .build()
        .map_err(|error| format!("cannot start the Rust generator's threads: {error}"))?;
    let later: Vec<Result<Later, String>> = pool.install(|| {
        (batches.later.into_par_iter())
            .map(|(leaves, reached)| {
                // The shared definitions come along for what typify reads from
                // them (the parts of an `allOf` it merges); being replaced, they
                // are not defined again.
                let mut schemas: Vec<(String, Schema)> = (reached.into_iter())
                    .map(|name| {
                        let schema = shared_schemas[&name].clone();
                        (name, schema)
                    })
                    .collect();
                let mut warnings = Vec::new();
                schemas.extend(space::schemas(leaves, &mut warnings));
                // typify's settings cannot be shared between threads: each
                // batch makes its own.
                let settings = settings(derives, &replacements);
                let mut built = space::build(&settings, schemas, &mut warnings)?;
                // Tokens cannot leave their thread; their text can.
                let types = (wanted_types(&mut built.space, &built.schemas, wanted)?.into_iter())
                    .map(|(name, (tokens, rust_name))| (name, (tokens.to_string(), rust_name)))
                    .collect();
                Ok(Later {
                    printed: built.printed,
                    types,
                    warnings,
                })
            })
            .collect()
    });
    for batch in later {
        let batch = batch?;
        module.join(batch.printed)?;
        warnings.extend(batch.warnings);
        for (name, (tokens, rust_name)) in batch.types {
            let tokens = tokens.parse().map_err(|error| format!("{error}"))?;
            types.insert(name, (tokens, rust_name));
        }
    }
    Ok((module, types))
}

/// typify's settings: the `derives` on every type, and the `replacements`
/// (a shared definition's Rust name, and the traits typify implemented for
/// it) that later batches name instead of defining again.
fn settings(
    derives: &[String],
    replacements: &[(String, Vec<TypeSpaceImpl>)],
) -> TypeSpaceSettings {
    let mut settings = TypeSpaceSettings::default();
    settings.with_struct_builder(false);
    for derive in derives {
        settings.with_derive(derive.clone());
    }
    for (rust_name, impls) in replacements {
        settings.with_replacement(rust_name, rust_name, impls.iter().copied());
    }
    settings
}

/// What a later batch brings back from its thread.
struct Later {
    printed: Batch,
    types: Vec<(String, (String, String))>,
    warnings: Vec<String>,
}

/// The Rust types of the definitions of `built` that are `wanted`.
fn wanted_types(
    space: &mut TypeSpace,
    built: &[(String, Schema)],
    wanted: &HashSet<String>,
) -> Result<Vec<(String, RustType)>, String> {
    (built.iter())
        .filter(|(name, _)| wanted.contains(name))
        .map(|(name, _)| Ok((name.clone(), space::type_of(space, name)?)))
        .collect()
}

struct Batches {
    /// The shared definitions and the first leaves, in the original order.
    first: Vec<Definition>,
    /// Every later batch's leaves, and the names of the shared definitions
    /// they reach (in the first batch's order).
    later: Vec<(Vec<Definition>, Vec<String>)>,
    /// The definitions some definition refers to.
    shared: Vec<String>,
}

fn split(definitions: Vec<Definition>) -> Batches {
    let index: HashMap<&str, usize> = definitions
        .iter()
        .enumerate()
        .map(|(position, (name, _))| (name.as_str(), position))
        .collect();
    let targets: Vec<Vec<usize>> = definitions
        .iter()
        .map(|(_, schema)| {
            let mut found: Vec<usize> = refs(schema)
                .iter()
                .filter_map(|reference| index.get(definition_name(reference)?.as_str()))
                .copied()
                .collect();
            found.sort_unstable();
            found.dedup();
            found
        })
        .collect();
    let mut is_shared = vec![false; definitions.len()];
    for target in targets.iter().flatten() {
        is_shared[*target] = true;
    }
    let mut leaves_seen = 0;
    let batch_of: Vec<usize> = is_shared
        .iter()
        .map(|shared| {
            if *shared {
                return 0;
            }
            leaves_seen += 1;
            (leaves_seen - 1) / LEAVES_PER_BATCH
        })
        .collect();
    let batch_count = batch_of.iter().max().map_or(1, |last| last + 1);
    let shared: Vec<String> = (definitions.iter().zip(&is_shared))
        .filter(|(_, shared)| **shared)
        .map(|((name, _), _)| name.clone())
        .collect();

    let mut reached: Vec<Vec<String>> = vec![Vec::new(); batch_count];
    for (batch, reached) in reached.iter_mut().enumerate().skip(1) {
        let starts = (0..definitions.len()).filter(|position| batch_of[*position] == batch);
        *reached = closure(starts, &targets)
            .into_iter()
            .map(|position| definitions[position].0.clone())
            .collect();
    }
    let mut batches: Vec<Vec<Definition>> = vec![Vec::new(); batch_count];
    for (definition, batch) in definitions.into_iter().zip(batch_of) {
        batches[batch].push(definition);
    }
    let mut batches = batches.into_iter();
    Batches {
        first: batches.next().unwrap_or_default(),
        later: batches.zip(reached.into_iter().skip(1)).collect(),
        shared,
    }
}

/// The definitions reached from `starts` through refs (not the starts
/// themselves, which nothing refers to), in the original order.
fn closure(starts: impl Iterator<Item = usize>, targets: &[Vec<usize>]) -> Vec<usize> {
    let mut seen = HashSet::new();
    let mut stack: Vec<usize> = starts
        .flat_map(|start| targets[start].iter().copied())
        .collect();
    while let Some(position) = stack.pop() {
        if seen.insert(position) {
            stack.extend(&targets[position]);
        }
    }
    let mut reached: Vec<usize> = seen.into_iter().collect();
    reached.sort_unstable();
    reached
}

/// Every `$ref` in `schema` (walked with a stack: schemas from a spec nest
/// as deep as they like). A `$ref` key anywhere counts, which can only make
/// a definition shared that needs not be.
pub(crate) fn refs(schema: &Value) -> Vec<&str> {
    let mut out = Vec::new();
    let mut stack = vec![schema];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                out.extend(map.get("$ref").and_then(Value::as_str));
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::space::definition_ref;

    fn leaf(name: &str, target: &str) -> Definition {
        (
            name.into(),
            json!({"properties": {"x": {"$ref": definition_ref(target)}}}),
        )
    }

    #[test]
    fn shared_definitions_stay_in_the_first_batch_and_leaves_fill_the_rest() {
        let mut definitions = vec![
            ("A".to_owned(), json!({"type": "string"})),
            (
                "B".to_owned(),
                json!({"items": {"$ref": "#/definitions/A"}}),
            ),
            ("Unused".to_owned(), json!({"type": "integer"})),
        ];
        definitions.extend((0..LEAVES_PER_BATCH * 2).map(|n| leaf(&format!("L{n}"), "B")));
        let batches = split(definitions);

        let first: Vec<&str> = batches
            .first
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        assert_eq!(first[..3], ["A", "B", "Unused"]);
        assert_eq!(first.len(), LEAVES_PER_BATCH + 2);
        assert_eq!(batches.shared, ["A", "B"]);
        assert_eq!(batches.later.len(), 2);
        for (leaves, reached) in &batches.later {
            assert!(leaves.iter().all(|(name, _)| name.starts_with('L')));
            assert_eq!(reached, &["A", "B"]);
        }
        let (last, _) = &batches.later[1];
        assert_eq!(last.len(), 1);
    }

    #[test]
    fn a_spec_smaller_than_a_batch_is_one_batch() {
        let batches = split(vec![leaf("L", "A"), ("A".into(), json!({}))]);
        assert_eq!(batches.first.len(), 2);
        assert!(batches.later.is_empty());
    }
}
