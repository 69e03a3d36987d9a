//! `contracts init` on a made-up repository: specs in nested folders (YAML
//! and JSON), a shared schema file both reference, a copy of a spec under
//! `node_modules`, a Swagger 2.0 document (a service, read as 3.0), a Swagger
//! 1.2 one (skipped) and a YAML file that is no spec.
//! The config it writes builds with no edit.

use std::path::Path;

use crate::contracts_in;

const USERS: &str = "openapi: 3.1.0
info: {title: Users API, version: 1.0.0}
paths:
  /:
    get:
      operationId: listUsers
      responses:
        '200':
          description: The users.
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/User'}}
  /{id}:
    get:
      operationId: getUser
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: A user.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/User'}
        '404':
          description: Unknown.
          content:
            application/json:
              schema: {$ref: '../../../shared/errors.yaml#/Problem'}
components:
  schemas:
    User:
      type: object
      required: [id, name]
      properties:
        id: {type: string}
        name: {type: string}
";

const ORDERS: &str = r##"{"openapi": "3.0.3", "info": {"title": "Orders", "version": "2.0.0"},
 "paths": {"/": {"get": {"operationId": "listOrders", "responses": {"200": {"description": "Orders.", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Order"}}}}}}}},
           "/{id}": {"get": {"operationId": "getOrder", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                     "responses": {"200": {"description": "An order.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}},
                                   "404": {"description": "Unknown.", "content": {"application/json": {"schema": {"$ref": "../../shared/errors.yaml#/Problem"}}}}}}}},
 "components": {"schemas": {"Order": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "total": {"type": "number"}}}}}}
"##;

/// A service whose paths already carry their resource's name.
const BILLING: &str = "openapi: 3.0.3
info: {title: Billing, version: 1.0.0}
paths:
  /invoices:
    get:
      responses:
        '200': {description: Invoices.}
  /invoices/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: An invoice.}
";

fn write(root: &Path, file: &str, text: &str) {
    let path = root.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "services/users/api/openapi.yaml", USERS);
    write(root, "services/orders/spec.json", ORDERS);
    write(root, "apps/billing/docs/billing.yml", BILLING);
    write(
        root,
        "shared/errors.yaml",
        "Problem:\n  type: object\n  required: [title]\n  properties:\n    title: {type: string}\n",
    );
    write(root, "node_modules/some-lib/openapi.yaml", USERS);
    write(
        root,
        "legacy/swagger.yaml",
        "swagger: '2.0'\ninfo: {title: old, version: '1'}\npaths:\n  /reports:\n    get:\n      responses:\n        '200': {description: Reports.}\n",
    );
    write(
        root,
        "legacy/v1/api-docs.json",
        "{\"swagger\": \"1.2\", \"apis\": [{\"path\": \"/reports\"}]}\n",
    );
    write(
        root,
        "config/app.yaml",
        "server:\n  port: 8080\n  paths: [/a, /b]\n",
    );
    dir
}

#[test]
fn init_finds_the_specs_by_content_and_the_config_builds() {
    let repo = repository();
    let root = repo.path();
    let run = contracts_in(Some(root), &["init"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let config = std::fs::read_to_string(root.join("contracts.toml")).unwrap();
    assert_eq!(
        config,
        "# Written by `contracts init`; see the README's `contracts.toml` section.\n\
         \n[services.billing]\nspec = \"apps/billing/docs/billing.yml\"\n\
         \n[services.legacy]\nspec = \"legacy/swagger.yaml\"\n\
         \n[services.orders]\nspec = \"services/orders/spec.json\"\nprefix = \"/orders\"\n\
         \n[services.users]\nspec = \"services/users/api/openapi.yaml\"\nprefix = \"/users\"\n\
         \n[gateway]\noutput = \"gateway/openapi.yaml\"\n\
         \n[[generate.ts]]\noutput = \"generated/types.ts\"\nsource = \"gateway\"\n"
    );
    for said in [
        "skipped  node_modules/ (dependencies or build output)",
        "skipped  legacy/v1/api-docs.json (Swagger 1.2: only 2.0 and OpenAPI 3 are read)",
        "service  legacy         legacy/swagger.yaml (named after its folder; its paths all start with `/reports`)",
        "service  billing        apps/billing/docs/billing.yml (named after its folder; its paths all start with `/invoices`)",
        "service  users          services/users/api/openapi.yaml (named after its folder; its paths share no first segment)",
        "next:    contracts build",
    ] {
        assert!(run.stderr.contains(said), "{said}:\n{}", run.stderr);
    }
    assert!(!run.stderr.contains("app.yaml") && !run.stderr.contains("errors.yaml"));

    let build = contracts_in(Some(root), &["build"], None);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(root.join("gateway/openapi.yaml").exists() && root.join("generated/types.ts").exists());

    // An existing config stays unless forced; the gateway just written is no service.
    let again = contracts_in(Some(root), &["init"], None);
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(
        again.stderr.contains("`--force` replaces it"),
        "{}",
        again.stderr
    );
    let forced = contracts_in(Some(root), &["init", "--force"], None);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(
        forced
            .stderr
            .contains("gateway/openapi.yaml (a gateway written by `contracts merge`)"),
        "{}",
        forced.stderr
    );
    assert_eq!(
        std::fs::read_to_string(root.join("contracts.toml")).unwrap(),
        config
    );
}

#[test]
fn init_without_specs_or_on_a_file_is_an_error() {
    let empty = tempfile::tempdir().unwrap();
    write(empty.path(), "config/app.yaml", "a: 1\n");
    let run = contracts_in(Some(empty.path()), &["init"], None);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no OpenAPI 3 document"),
        "{}",
        run.stderr
    );
    assert!(!empty.path().join("contracts.toml").exists());
    let file = empty.path().join("config/app.yaml");
    assert_eq!(
        contracts_in(None, &["init", file.to_str().unwrap()], None).code,
        2
    );
}

#[test]
fn a_spec_with_errors_is_proposed_with_a_warning() {
    let repo = tempfile::tempdir().unwrap();
    write(
        repo.path(),
        "svc/broken.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x/{id}:\n    get:\n      responses:\n        '200': {description: ok}\n",
    );
    let run = contracts_in(Some(repo.path()), &["init"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning: svc/broken.yaml has errors: `contracts build` stops there until they are fixed (`contracts validate svc/broken.yaml`)"),
        "{}",
        run.stderr
    );
}
