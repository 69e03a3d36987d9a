//! Running typify over the definitions, degrading any schema it cannot
//! represent to `serde_json::Value` instead of failing the whole module.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, PanicHookInfo, catch_unwind};
use std::sync::{Arc, Mutex};

use proc_macro2::TokenStream;
use schemars::schema::Schema;
use serde_json::{Value, json};
use typify::{Type, TypeSpace, TypeSpaceImpl, TypeSpaceSettings};

use crate::print::Batch;

/// A batch's `TypeSpace`, the schemas it was built from (with those typify
/// could not represent replaced) and what it printed.
pub(crate) struct Built {
    pub space: TypeSpace,
    pub schemas: Vec<(String, Schema)>,
    pub printed: Batch,
}

/// The schemas of `definitions`; one that is not a schema is degraded.
pub(crate) fn schemas(
    definitions: Vec<(String, Value)>,
    warnings: &mut Vec<String>,
) -> Vec<(String, Schema)> {
    (definitions.into_iter())
        .map(|(name, value)| {
            let schema = serde_json::from_value(value).unwrap_or_else(|error| {
                warnings.push(degraded(&name, &error.to_string()));
                any()
            });
            (name, schema)
        })
        .collect()
}

/// Converts every schema in one batch and prints its items. When typify
/// fails, the failing definition is found (see [`culprit`]), replaced by
/// the schema that accepts anything, and the batch is run again.
pub(crate) fn build(
    settings: &TypeSpaceSettings,
    mut schemas: Vec<(String, Schema)>,
    warnings: &mut Vec<String>,
) -> Result<Built, String> {
    loop {
        let failure = match attempt(settings, &schemas, schemas.len(), true) {
            Ok((space, printed)) => {
                return Ok(Built {
                    space,
                    schemas,
                    printed,
                });
            }
            Err(failure) => failure,
        };
        let index = culprit(settings, &schemas);
        if schemas[index].1 == any() {
            return Err(failure);
        }
        warnings.push(degraded(&schemas[index].0, &failure));
        schemas[index].1 = any();
    }
}

pub(crate) fn degraded(name: &str, reason: &str) -> String {
    format!("`{name}` cannot be represented by typify ({reason}); it becomes `serde_json::Value`")
}

pub(crate) fn any() -> Schema {
    Schema::Bool(true)
}

/// typify over `schemas`, with those from `real` on replaced by the schema
/// that accepts anything (they stay defined, so refs to them resolve), and
/// its items printed (when `keep`) or only checked to parse.
///
/// typify 0.8 panics (`todo!`, `unimplemented!`) on some schema shapes
/// instead of returning an error; `catch_unwind` turns that into a failure
/// of this attempt. The half-built `TypeSpace` is dropped with the attempt,
/// so no broken state is observed afterwards.
fn attempt(
    settings: &TypeSpaceSettings,
    schemas: &[(String, Schema)],
    real: usize,
    keep: bool,
) -> Result<(TypeSpace, Batch), String> {
    let run = || -> Result<(TypeSpace, Batch), String> {
        let mut space = TypeSpace::new(settings);
        let batch = schemas.iter().enumerate().map(|(index, (name, schema))| {
            let schema = if index < real { schema.clone() } else { any() };
            (name.clone(), schema)
        });
        space
            .add_ref_types(batch)
            .map_err(|error| error.to_string())?;
        let printed = Batch::print(space.to_stream(), keep)?;
        Ok((space, printed))
    };
    let _quiet = QuietPanics::start();
    catch_unwind(AssertUnwindSafe(run)).unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("typify panicked");
        Err(message.lines().next().unwrap_or_default().to_owned())
    })
}

/// The panic hook in force before [`QuietPanics`] replaced it.
type PanicHook = Box<dyn Fn(&PanicHookInfo<'_>) + Sync + Send + 'static>;

/// How many [`QuietPanics`] are alive in the process, and the hook they
/// replaced (restored when the last one ends).
static QUIET_USERS: Mutex<(usize, Option<Arc<PanicHook>>)> = Mutex::new((0, None));

thread_local! {
    /// Whether this thread's panics are caught and reported as warnings.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// While alive, panics on this thread print nothing: typify's panics are
/// caught and become `rust-type-degraded` warnings, so its "thread panicked"
/// text would only mislead. The panic hook is process-global, so the quiet
/// hook installed for the first user delegates every other thread's panics
/// to the previous hook, and the last user puts the previous hook back.
struct QuietPanics;

impl QuietPanics {
    fn start() -> QuietPanics {
        let mut users = QUIET_USERS
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if users.0 == 0 {
            let previous: Arc<PanicHook> = Arc::new(std::panic::take_hook());
            let delegate = Arc::clone(&previous);
            std::panic::set_hook(Box::new(move |info| {
                if !QUIET.get() {
                    delegate(info);
                }
            }));
            users.1 = Some(previous);
        }
        users.0 += 1;
        QUIET.set(true);
        QuietPanics
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        QUIET.set(false);
        let mut users = QUIET_USERS
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        users.0 -= 1;
        if users.0 == 0 {
            // Dropping the quiet hook releases its share of the previous one.
            drop(std::panic::take_hook());
            if let Some(previous) = users.1.take().and_then(|hook| Arc::try_unwrap(hook).ok()) {
                std::panic::set_hook(previous);
            }
        }
    }
}

/// The definition to degrade: the one whose real schema first makes a
/// prefix of the batch fail (typify converts definitions in order), found
/// by bisection, so a failure costs O(log n) extra runs.
fn culprit(settings: &TypeSpaceSettings, schemas: &[(String, Schema)]) -> usize {
    // Invariant: the first `low` real schemas pass, the first `high` fail.
    let (mut low, mut high) = (0, schemas.len());
    while high - low > 1 {
        let middle = low + (high - low) / 2;
        if attempt(settings, schemas, middle, false).is_ok() {
            low = middle;
        } else {
            high = middle;
        }
    }
    high - 1
}

/// The `$ref` to definition `name`. typify keys a ref by its last segment,
/// decoded as a JSON pointer token, so `/` and `~` in the name are escaped
/// (`A/B` is `#/definitions/A~1B`).
pub(crate) fn definition_ref(name: &str) -> String {
    format!(
        "#/definitions/{}",
        name.replace('~', "~0").replace('/', "~1")
    )
}

/// The definition name a `$ref` made by [`definition_ref`] points at.
pub(crate) fn definition_name(reference: &str) -> Option<String> {
    let escaped = reference.strip_prefix("#/definitions/")?;
    Some(escaped.replace("~1", "/").replace("~0", "~"))
}

/// The Rust type of definition `name`, as tokens and as a name.
pub(crate) fn type_of(space: &mut TypeSpace, name: &str) -> Result<(TokenStream, String), String> {
    let ty = defined_type(space, name)?;
    Ok((ty.ident(), ty.name()))
}

/// The replacement that names definition `name`'s type in a later batch:
/// its Rust name and the traits typify implemented for it (which decide,
/// for one, whether a struct holding it can derive `Default`).
pub(crate) fn replacement(
    space: &mut TypeSpace,
    name: &str,
) -> Result<(String, Vec<TypeSpaceImpl>), String> {
    let ty = defined_type(space, name)?;
    let impls = [
        TypeSpaceImpl::FromStr,
        TypeSpaceImpl::FromStringIrrefutable,
        TypeSpaceImpl::Display,
        TypeSpaceImpl::Default,
    ];
    let implemented = impls.into_iter().filter(|&imp| ty.has_impl(imp)).collect();
    Ok((ty.name(), implemented))
}

fn defined_type<'a>(space: &'a mut TypeSpace, name: &str) -> Result<Type<'a>, String> {
    let reference: Schema = serde_json::from_value(json!({"$ref": definition_ref(name)}))
        .map_err(|error| error.to_string())?;
    let id = space
        .add_type(&reference)
        .map_err(|error| error.to_string())?;
    space.get_type(&id).map_err(|error| error.to_string())
}
