//! The panic hook is process-global, so this runs in its own test binary:
//! no other test swaps the hook meanwhile.

use contracts_model::{InMemory, build};
use serde_json::json;

#[test]
fn caught_typify_panics_print_nothing_and_restore_the_hook() {
    let reached = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let record = reached.clone();
    std::panic::set_hook(Box::new(move |_| {
        let thread = std::thread::current().name().unwrap_or_default().to_owned();
        record.lock().unwrap().push(thread);
    }));
    // typify 0.8 panics (`unimplemented!`) on an enum with a const.
    let document = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
    "components": {"schemas": {"Odd": {"allOf": [
        {"type": "string", "enum": ["a", "b"], "const": "a"}, {"type": "string"}
    ]}}}});
    let (contract, _) = build(&mut InMemory::new("api.yaml", document));
    let generated = contracts_gen_rust::generate(&contract.unwrap(), &Default::default());
    let _ = std::panic::catch_unwind(|| panic!("after generation"));
    let _ = std::panic::take_hook();
    assert_eq!(
        generated.diagnostics.len(),
        1,
        "{:?}",
        generated.diagnostics
    );
    let this_thread = std::thread::current().name().unwrap_or_default().to_owned();
    let reached = reached.lock().unwrap();
    assert_eq!(
        *reached,
        [this_thread],
        "only the panic after generation reached the hook"
    );
}
