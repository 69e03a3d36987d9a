//! Swagger 2.0 input: `fixtures/swagger2` holds two 2.0 services (one JSON
//! file; a YAML spec split over fragment files and a shared 2.0 document)
//! beside a 3.0 and a 3.1 service. Every command reads them as OpenAPI 3.0:
//! `build` merges all four into a 3.1 gateway and generates types that
//! `tsc --strict` accepts, `diff` and `validate` name the 2.0 source's
//! lines and pointers. (The MSW handlers run under msw in `msw.rs`, the Rust
//! types compile and round-trip their examples in `gen_rust.rs`.)

use std::path::Path;

use serde_json::Value;

use crate::{contracts, contracts_in, copy_dir, project_root, tsc_no_emit, work_dir};

fn project(dir: &Path) -> std::path::PathBuf {
    let project = dir.join("legacy");
    copy_dir(&project_root().join("fixtures/swagger2"), &project);
    project
}

#[test]
fn swagger_2_services_build_with_3_0_and_3_1_ones_and_their_types_compile() {
    let dir = work_dir("swagger2-build-");
    let project = project(dir.path());
    let run = contracts_in(Some(&project), &["build"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);

    let gateway = std::fs::read_to_string(project.join("gateway/openapi.yaml")).unwrap();
    let (document, _) = contracts_load::parse(&gateway, Path::new("openapi.yaml")).unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    let paths = document["paths"].as_object().unwrap();
    for prefix in ["/inventory/", "/catalog/", "/accounts/", "/ratings/"] {
        assert!(
            paths.keys().any(|path| path.starts_with(prefix)),
            "no {prefix} path"
        );
    }
    insta::assert_snapshot!("swagger2_gateway", gateway);

    let web = project.join("generated/web");
    let (passed, report) = tsc_no_emit(&[web.join("types.ts"), web.join("catalog.ts")]);
    assert!(passed, "tsc --strict:\n{report}");
    insta::assert_snapshot!(
        "swagger2_catalog_types",
        std::fs::read_to_string(web.join("catalog.ts")).unwrap()
    );
    assert!(project.join("generated/rust/types.rs").exists());

    // Byte for byte the same on a second run.
    let again = contracts_in(Some(&project), &["build", "--check"], None);
    assert_eq!(again.code, 0, "{}", again.stderr);
}

#[test]
fn a_swagger_2_diff_names_the_2_0_source() {
    let dir = work_dir("swagger2-diff-");
    let base = project_root().join("fixtures/swagger2/services/inventory/swagger.json");
    let mut document: Value = serde_json::from_str(&std::fs::read_to_string(&base).unwrap())
        .expect("the fixture is JSON");
    let limit = &mut document["paths"]["/warehouses/{warehouseId}/items"]["get"]["parameters"][3];
    assert_eq!(limit["name"], "limit");
    limit["required"] = Value::Bool(true);
    let revision = dir.path().join("swagger.json");
    std::fs::write(&revision, serde_json::to_string_pretty(&document).unwrap()).unwrap();

    let run = contracts(&[
        "diff",
        base.to_str().unwrap(),
        revision.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let changes = report["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{changes:#?}");
    let change = &changes[0];
    assert_eq!(change["id"], "request-parameter-became-required");
    // The parameter's place in the 2.0 list (its 3.0 list has the same here)
    // and its line in each file.
    let pointer = "/paths/~1warehouses~1{warehouseId}~1items/get/parameters/3";
    assert_eq!(change["base"]["pointer"], pointer);
    assert_eq!(change["base"]["line"], 90);
    assert_eq!(change["revision"]["pointer"], pointer);
}

#[test]
fn a_swagger_2_fault_behind_a_moved_node_is_named_where_the_source_has_it() {
    let dir = work_dir("swagger2-fault-");
    let project = project(dir.path());
    // The form parameter `caption` becomes a property of the 3.0 form body.
    let spec = project.join("services/inventory/swagger.json");
    let text = std::fs::read_to_string(&spec).unwrap();
    let broken = text.replace(
        r#"{ "name": "caption", "in": "formData", "type": "string" }"#,
        r#"{ "name": "caption", "in": "formData", "type": "text" }"#,
    );
    assert_ne!(text, broken, "the fixture changed");
    std::fs::write(&spec, broken).unwrap();
    let run = contracts_in(
        Some(&project),
        &[
            "validate",
            "--format",
            "json",
            "services/inventory/swagger.json",
        ],
        None,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let diagnostic = &diagnostics[0];
    assert_eq!(diagnostic["code"], "schema-invalid-type");
    assert_eq!(diagnostic["file"], "services/inventory/swagger.json");
    assert_eq!(
        diagnostic["pointer"],
        "/paths/~1warehouses~1{warehouseId}~1items~1{sku}~1photo/post/parameters/1/type"
    );
    assert_eq!(diagnostic["line"], 190);
}

/// The model speaks of the 3.0 form (`#/components/schemas/NewBook`); the
/// help says how the 2.0 names read there.
#[test]
fn a_2_0_ref_fault_explains_the_3_0_names() {
    let run = contracts(&[
        "validate",
        "fixtures/broken/swagger-2-dangling-body-definition/swagger.yaml",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let output = format!("{}{}", run.stdout, run.stderr);
    assert!(output.contains("/components/schemas/NewBook"), "{output}");
    assert!(
        output.contains("`#/definitions/X` is `#/components/schemas/X`"),
        "{output}"
    );
}

/// `check` reads each service at the base revision from git: a 2.0 service
/// split over fragment files is converted on both sides, and a change in a
/// shared fragment is named where the fragment has it.
#[test]
fn check_compares_a_multi_file_2_0_service_with_its_git_revision() {
    let dir = tempfile::tempdir().unwrap();
    let project = project(dir.path());
    for output in ["gateway", "generated"] {
        let _ = std::fs::remove_dir_all(project.join(output));
    }
    crate::commit_all(&project, "legacy");
    let fragment = project.join("services/catalog/parameters.yaml");
    let text = std::fs::read_to_string(&fragment).unwrap();
    let edited = text.replacen("  in: query\n", "  in: query\n  required: true\n", 1);
    assert_ne!(text, edited, "the fixture changed");
    std::fs::write(&fragment, edited).unwrap();

    let run = contracts_in(Some(&project), &["check", "--format", "json"], None);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let reports: Vec<Value> = serde_json::Deserializer::from_str(&run.stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    let changes: Vec<&Value> = (reports.iter())
        .flat_map(|report| report["changes"].as_array().unwrap())
        .collect();
    assert_eq!(changes.len(), 1, "{}", run.stdout);
    let change = changes[0];
    assert_eq!(change["id"], "request-parameter-became-required");
    assert_eq!(change["operation"], "GET /products");
    assert_eq!(
        change["revision"]["file"],
        "services/catalog/parameters.yaml"
    );
    assert_eq!(change["revision"]["pointer"], "/PageSize");
}
