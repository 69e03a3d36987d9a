//! The handlers module: shape, ordering, typing hooks, escaping.

use contracts_model::{InMemory, build};
use serde_json::json;

use super::*;

fn generate_for(paths: serde_json::Value) -> Generated {
    let document =
        json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths});
    let (contract, _) = build(&mut InMemory::new("api.yaml", document));
    generate(&contract.unwrap(), &Options::default())
}

fn ok(schema: serde_json::Value) -> serde_json::Value {
    json!({"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}})
}

#[test]
fn paths_become_msw_patterns_static_first() {
    let generated = generate_for(json!({
        "/teams/{team-id}/members": {"get": {"responses": ok(json!({"type": "array", "items": {"type": "string"}}))}},
        "/teams/mine": {"get": {"responses": ok(json!({"type": "string"}))}},
        "/teams/{team}": {"get": {"responses": ok(json!({"type": "string"}))}}
    }));
    let code = generated.code;
    let mine = code.find("\"*/teams/mine\"").unwrap();
    let members = code.find("\"*/teams/:team_id/members\"").unwrap();
    assert!(
        members < mine,
        "longer paths first, as `*` matches any prefix:\n{code}"
    );
    let team = code.find("\"*/teams/:team\"").unwrap();
    assert!(mine < team, "static before parameterised:\n{code}");
    assert_eq!(generated.handlers, 3);
}

#[test]
fn bodies_are_typed_per_status_and_empty_ones_are_null() {
    let code = generate_for(json!({
        "/items": {"post": {"responses": {
            "201": {"description": "made", "content": {"application/json": {"schema": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer", "minimum": 3}}}}}},
            "204": {"description": "nothing"},
            "404": {"description": "missing", "content": {"application/problem+json": {"schema": {"type": "object"}}}}
        }}}
    }))
    .code;
    assert!(code.contains("mock(\"POST /items\", 201, {"), "{code}");
    assert!(code.contains("201: { id: 3 } satisfies paths[\"/items\"][\"post\"][\"responses\"][\"201\"][\"content\"][\"application/json\"]"), "{code}");
    assert!(code.contains("204: null"), "{code}");
    assert!(code.contains("satisfies paths[\"/items\"][\"post\"][\"responses\"][\"404\"][\"content\"][\"application/problem+json\"]"), "{code}");
    assert!(code.contains("export const handlers = ["), "{code}");
    assert!(
        code.contains("import type { paths } from \"./types\";"),
        "{code}"
    );
}

#[test]
fn text_from_the_spec_stays_inside_strings() {
    let code = generate_for(json!({
        "/x": {"get": {"responses": ok(json!({"const": "\"); process.exit(1); (\"\n*/"}))}}
    }))
    .code;
    assert!(
        code.contains(r#""\"); process.exit(1); (\"\n*/""#),
        "{code}"
    );
}

#[test]
fn output_is_deterministic() {
    let paths =
        json!({"/x/{id}": {"get": {"responses": ok(json!({"type": "string", "format": "uuid"}))}}});
    assert_eq!(generate_for(paths.clone()).code, generate_for(paths).code);
}
