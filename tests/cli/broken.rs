//! Broken specs: every case under `fixtures/broken/<case>/` is a small, otherwise
//! valid spec with exactly one fault, and `contracts validate` must report exactly
//! that fault: one error diagnostic with the expected code, file, line and pointer.
//!
//! Each row of the table becomes its own `#[test]`, named after the case, so a
//! failure names the fixture. `fixtures/broken/README.md` describes every case.

use serde_json::Value;

use crate::{contracts, project_root};

/// One row of the table: the fixture and the single diagnostic it must produce.
struct Case {
    /// Folder under `fixtures/broken/`.
    dir: &'static str,
    /// The spec to validate, inside `dir`.
    spec: &'static str,
    code: &'static str,
    /// Display path, relative to the spec's folder (the project root without a config).
    file: &'static str,
    line: u64,
    pointer: &'static str,
}

impl Case {
    fn spec_path(&self) -> String {
        format!("fixtures/broken/{}/{}", self.dir, self.spec)
    }
}

/// Runs `contracts validate --format json` on the case and checks its one diagnostic.
fn check(case: &Case) {
    let spec = case.spec_path();
    let run = contracts(&["validate", "--format", "json", &spec]);
    let diagnostics = run.diagnostics();
    let context = || {
        format!(
            "case `{}` ({spec}): expected one `{}` error at {}:{} #{}\ngot (exit {}):\n{}\nstderr:\n{}",
            case.dir,
            case.code,
            case.file,
            case.line,
            case.pointer,
            run.code,
            run.stdout,
            run.stderr
        )
    };
    assert_eq!(run.code, 2, "wrong exit code; {}", context());
    assert_eq!(
        diagnostics.len(),
        1,
        "not exactly one diagnostic; {}",
        context()
    );
    let diagnostic = &diagnostics[0];
    assert_eq!(diagnostic["severity"], "error", "severity; {}", context());
    assert_eq!(diagnostic["code"], case.code, "code; {}", context());
    assert_eq!(diagnostic["file"], case.file, "file; {}", context());
    assert_eq!(diagnostic["line"], case.line, "line; {}", context());
    assert_eq!(
        diagnostic["pointer"],
        case.pointer,
        "pointer; {}",
        context()
    );
    assert!(
        diagnostic["message"]
            .as_str()
            .is_some_and(|message| !message.is_empty()),
        "message; {}",
        context()
    );
}

/// Declares the table `CASES` and one `#[test]` per row.
macro_rules! broken_cases {
    ($($test:ident: $dir:literal / $spec:literal => $code:literal at $file:literal : $line:literal $pointer:literal;)*) => {
        const CASES: &[Case] = &[
            $(Case { dir: $dir, spec: $spec, code: $code, file: $file, line: $line, pointer: $pointer },)*
        ];

        $(
            #[test]
            fn $test() {
                let case = CASES.iter().find(|case| case.dir == $dir).expect("the case is in the table");
                check(case);
            }
        )*
    };
}

broken_cases! {
    // Input that cannot be read.
    yaml_unclosed_flow_sequence: "yaml-unclosed-flow-sequence" / "openapi.yaml"
        => "syntax" at "openapi.yaml":11 "";
    yaml_tab_indentation: "yaml-tab-indentation" / "openapi.yaml"
        => "syntax" at "openapi.yaml":10 "";
    json_trailing_comma: "json-trailing-comma" / "openapi.json"
        => "syntax" at "openapi.json":14 "";
    json_syntax_error_after_non_ascii: "json-syntax-error-after-non-ascii" / "openapi.json"
        => "syntax" at "openapi.json":3 "";
    duplicate_yaml_key: "duplicate-yaml-key" / "openapi.yaml"
        => "syntax" at "openapi.yaml":12 "";
    invalid_utf8_byte: "invalid-utf8-byte" / "openapi.yaml"
        => "not-utf8" at "openapi.yaml":5 "";

    // Document structure.
    missing_openapi_field: "missing-openapi-field" / "openapi.yaml"
        => "not-openapi" at "openapi.yaml":1 "";
    swagger_1_2_document: "swagger-1-2-document" / "openapi.yaml"
        => "not-openapi" at "openapi.yaml":1 "";
    // Swagger 2.0, read as 3.0: the fault is named where the 2.0 source has it.
    swagger_2_dangling_body_definition: "swagger-2-dangling-body-definition" / "swagger.yaml"
        => "ref-unresolved" at "swagger.yaml":19 "/paths/~1books/post/parameters/1/schema";
    swagger_2_invalid_type_in_parameters_file: "swagger-2-invalid-type-in-parameters-file" / "swagger.yaml"
        => "schema-invalid-type" at "parameters.yaml":9 "/Limit/type";
    openapi_version_4: "openapi-version-4" / "openapi.yaml"
        => "unsupported-version" at "openapi.yaml":1 "/openapi";
    openapi_version_is_number: "openapi-version-is-number" / "openapi.yaml"
        => "wrong-type" at "openapi.yaml":1 "/openapi";
    info_missing_title: "info-missing-title" / "openapi.yaml"
        => "missing-field" at "openapi.yaml":2 "/info";
    paths_missing_in_3_0: "paths-missing-in-3-0" / "openapi.yaml"
        => "missing-field" at "openapi.yaml":1 "";
    response_missing_description: "response-missing-description" / "openapi.yaml"
        => "missing-field" at "openapi.yaml":22 "/paths/~1books~1{bookId}/get/responses/404";
    parameter_missing_name: "parameter-missing-name" / "openapi.yaml"
        => "missing-field" at "openapi.yaml":14 "/paths/~1books/get/parameters/1";
    paths_is_array: "paths-is-array" / "openapi.yaml"
        => "wrong-type" at "openapi.yaml":5 "/paths";
    schema_required_not_array: "schema-required-not-array" / "openapi.yaml"
        => "wrong-type" at "openapi.yaml":22 "/components/schemas/NewBook/required";
    operation_id_not_string: "operation-id-not-string" / "openapi.yaml"
        => "wrong-type" at "openapi.yaml":14 "/paths/~1authors/get/operationId";
    info_version_not_string: "info-version-not-string" / "openapi.json"
        => "wrong-type" at "openapi.json":5 "/info/version";
    parameter_in_body: "parameter-in-body" / "openapi.yaml"
        => "invalid-value" at "openapi.yaml":11 "/paths/~1books/post/parameters/0/in";

    // References.
    ref_fragment_without_slash: "ref-fragment-without-slash" / "openapi.yaml"
        => "ref-invalid" at "openapi.yaml":16 "/paths/~1books/get/responses/200/content/application~1json/schema/items";
    dangling_local_ref: "dangling-local-ref" / "openapi.yaml"
        => "ref-unresolved" at "openapi.yaml":26 "/paths/~1books~1{bookId}/get/responses/404/content/application~1json/schema";
    dangling_ref_into_other_file: "dangling-ref-into-other-file" / "openapi.yaml"
        => "ref-unresolved" at "openapi.yaml":24 "/paths/~1books/post/requestBody/content/application~1json/schema";
    dangling_ref_inside_schemas_file: "dangling-ref-inside-schemas-file" / "openapi.yaml"
        => "ref-unresolved" at "schemas.yaml":6 "/BookList/properties/items/items";
    dangling_ref_in_nested_file: "dangling-ref-in-nested-file" / "openapi.yaml"
        => "ref-unresolved" at "schemas/book.yaml":9 "/Book/properties/author";
    ref_missing_file: "ref-missing-file" / "openapi.yaml"
        => "ref-missing-file" at "openapi.yaml":16 "/paths/~1books/get/responses/200/content/application~1json/schema/items";
    ref_remote_url: "ref-remote-url" / "openapi.yaml"
        => "ref-remote" at "openapi.yaml":16 "/paths/~1books/get/responses/default/content/application~1problem+json/schema";
    ref_outside_root: "ref-outside-root" / "openapi.yaml"
        => "ref-outside-root" at "openapi.yaml":14 "/paths/~1books/get/responses/200/content/application~1json/schema";
    ref_cycle_between_schemas: "ref-cycle-between-schemas" / "openapi.yaml"
        => "ref-cycle" at "openapi.yaml":18 "/components/schemas/A";
    ref_cycle_across_files: "ref-cycle-across-files" / "openapi.yaml"
        => "ref-cycle" at "openapi.yaml":18 "/components/schemas/BookList";
    ref_cycle_through_one_of: "ref-cycle-through-one-of" / "openapi.yaml"
        => "ref-cycle" at "openapi.yaml":18 "/components/schemas/Shelf";

    // Operations and paths.
    path_without_leading_slash: "path-without-leading-slash" / "openapi.yaml"
        => "path-not-absolute" at "openapi.yaml":12 "/paths/users";
    ambiguous_path_templates: "ambiguous-path-templates" / "openapi.yaml"
        => "path-ambiguous" at "openapi.yaml":18 "/paths/~1users~1{userId}";
    path_param_undeclared: "path-param-undeclared" / "openapi.yaml"
        => "path-param-undeclared" at "openapi.yaml":13 "/paths/~1users~1{id}/get";
    path_param_undeclared_in_path_file: "path-param-undeclared-in-path-file" / "openapi.yaml"
        => "path-param-undeclared" at "paths.yaml":8 "/book/get";
    path_param_not_in_template: "path-param-not-in-template" / "openapi.yaml"
        => "path-param-not-in-template" at "openapi.yaml":15 "/paths/~1users~1{userId}/get/parameters/1";
    path_param_not_required: "path-param-not-required" / "openapi.yaml"
        => "path-param-not-required" at "openapi.yaml":8 "/paths/~1users~1{userId}/parameters/0";
    duplicate_operation_id: "duplicate-operation-id" / "openapi.yaml"
        => "duplicate-operation-id" at "openapi.yaml":14 "/paths/~1authors/get/operationId";
    duplicate_query_parameter: "duplicate-query-parameter" / "openapi.yaml"
        => "duplicate-parameter" at "openapi.yaml":18 "/paths/~1books/get/parameters/2";
    status_code_out_of_range: "status-code-out-of-range" / "openapi.yaml"
        => "invalid-status-code" at "openapi.yaml":12 "/paths/~1books/get/responses/600";
    status_code_bad_wildcard: "status-code-bad-wildcard" / "openapi.yaml"
        => "invalid-status-code" at "openapi.yaml":14 "/paths/~1books/get/responses/2X0";
    empty_responses_3_0: "empty-responses-3-0" / "openapi.yaml"
        => "no-responses" at "openapi.yaml":19 "/paths/~1books/post/responses";
    undefined_security_scheme: "undefined-security-scheme" / "openapi.yaml"
        => "security-scheme-undefined" at "openapi.yaml":6 "/security/0/api_key";
    undefined_operation_security_scheme: "undefined-operation-security-scheme" / "openapi.yaml"
        => "security-scheme-undefined" at "openapi.yaml":19 "/paths/~1books/post/security/0/oauth2";

    // Schemas.
    schema_type_text: "schema-type-text" / "openapi.yaml"
        => "schema-invalid-type" at "openapi.yaml":29 "/components/schemas/Book/properties/summary/type";
    schema_invalid_type_in_schemas_file: "schema-invalid-type-in-schemas-file" / "openapi.yaml"
        => "schema-invalid-type" at "schemas.yaml":10 "/Book/properties/pages/type";
    required_property_undefined: "required-property-undefined" / "openapi.yaml"
        => "required-property-undefined" at "openapi.yaml":26 "/components/schemas/Book/required/2";
}

/// Cases checked by their own tests below rather than by the table.
const SPECIAL_CASES: &[&str] = &["ref-to-unparsable-file"];

/// A referenced file that does not parse reports two errors: the syntax error in
/// that file, and `ref-unreadable` at the ref site.
#[test]
fn ref_to_unparsable_file() {
    let spec = "fixtures/broken/ref-to-unparsable-file/openapi.yaml";
    let run = contracts(&["validate", "--format", "json", spec]);
    let context = || {
        format!(
            "case `ref-to-unparsable-file` ({spec}), got (exit {}):\n{}",
            run.code, run.stdout
        )
    };
    assert_eq!(run.code, 2, "wrong exit code; {}", context());
    let diagnostics = run.diagnostics();
    assert_eq!(
        diagnostics.len(),
        2,
        "not exactly two diagnostics; {}",
        context()
    );
    let find = |code: &str| -> &Value {
        diagnostics
            .iter()
            .find(|diagnostic| diagnostic["code"] == code)
            .unwrap_or_else(|| panic!("no `{code}` diagnostic; {}", context()))
    };
    let unreadable = find("ref-unreadable");
    assert_eq!(unreadable["severity"], "error", "{}", context());
    assert_eq!(unreadable["file"], "openapi.yaml", "{}", context());
    assert_eq!(unreadable["line"], 16, "{}", context());
    assert_eq!(
        unreadable["pointer"],
        "/paths/~1books/get/responses/200/content/application~1json/schema/items",
        "{}",
        context()
    );
    let syntax = find("syntax");
    assert_eq!(syntax["severity"], "error", "{}", context());
    assert_eq!(syntax["file"], "schemas.yaml", "{}", context());
    assert_eq!(syntax["line"], 8, "{}", context());
    assert_eq!(syntax["pointer"], "", "{}", context());
}

/// The human format names the code, the `--> file:line:col` location and the pointer.
#[test]
fn human_format_shows_code_location_and_pointer() {
    let spec = "fixtures/broken/path-without-leading-slash/openapi.yaml";
    let run = contracts(&["validate", spec]);
    assert_eq!(run.code, 2, "stderr:\n{}", run.stderr);
    for expected in [
        "error[path-not-absolute]",
        "--> openapi.yaml:12:3",
        "at #/paths/users",
    ] {
        assert!(
            run.stderr.contains(expected),
            "stderr lacks `{expected}`:\n{}",
            run.stderr
        );
    }
}

/// Columns are counted in characters (as for YAML and for the other diagnostics),
/// also when a JSON syntax error follows non-ASCII text on its line.
#[test]
fn json_syntax_error_column_counts_characters() {
    let spec = "fixtures/broken/json-syntax-error-after-non-ascii/openapi.json";
    let run = contracts(&["validate", "--format", "json", spec]);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stdout);
    // Line 3: `  "info": { "title": "Café ☕ Orders", "version": "1.0.0" } "paths": {},`;
    // the unexpected `"paths"` is the 60th character (the 63rd byte).
    assert_eq!(
        (&diagnostics[0]["line"], &diagnostics[0]["column"]),
        (&Value::from(3), &Value::from(60)),
        "{}",
        run.stdout
    );
}

/// Every fixture folder is tested and described in the README, and nothing else is.
#[test]
fn every_fixture_is_in_the_table_and_the_readme() {
    let folder = project_root().join("fixtures/broken");
    let mut on_disk: Vec<String> = std::fs::read_dir(&folder)
        .expect("fixtures/broken exists")
        .map(|entry| entry.expect("a readable entry"))
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut tested: Vec<String> = CASES
        .iter()
        .map(|case| case.dir)
        .chain(SPECIAL_CASES.iter().copied())
        .map(String::from)
        .collect();
    tested.sort();
    assert_eq!(on_disk, tested, "fixture folders and tested cases differ");
    for case in CASES {
        assert!(
            project_root().join(case.spec_path()).is_file(),
            "case `{}`: no spec {}",
            case.dir,
            case.spec_path()
        );
    }

    let readme = std::fs::read_to_string(folder.join("README.md"))
        .expect("fixtures/broken/README.md exists");
    for dir in &on_disk {
        let line = format!("- `{dir}` — ");
        assert!(
            readme.contains(&line),
            "README.md does not describe `{dir}` (expected a line starting `{line}`)"
        );
    }
}
