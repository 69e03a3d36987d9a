//! `contracts validate` on the shop fixtures and on small inline specs.

use crate::{contracts, contracts_in, project_root};

const SHOP: &str = "fixtures/shop/contracts.toml";

#[test]
fn shop_fixtures_are_valid() {
    let run = contracts(&["validate", "--config", SHOP]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("validated 4 specs: 0 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn config_is_discovered_from_a_subfolder() {
    let cwd = project_root().join("fixtures/shop/services/order");
    let run = contracts_in(Some(&cwd), &["validate"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("validated 4 specs"), "{}", run.stderr);
}

#[test]
fn each_shop_spec_validates_alone() {
    for spec in [
        "fixtures/shop/services/user/openapi.yaml",
        "fixtures/shop/services/product/openapi.yaml",
        "fixtures/shop/services/order/openapi.yaml",
        "fixtures/shop/services/payment/openapi.json",
    ] {
        let run = contracts(&["validate", "--config", SHOP, "--format", "json", spec]);
        assert_eq!(run.code, 0, "{spec}: {}", run.stdout);
        assert!(run.diagnostics().is_empty(), "{spec}: {}", run.stdout);
    }
}

#[test]
fn without_config_or_specs_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = contracts_in(Some(dir.path()), &["validate"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no `contracts.toml`"), "{}", run.stderr);
}

#[test]
fn reads_yaml_from_stdin() {
    let spec = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n";
    let run = contracts_in(None, &["validate", "-"], Some(spec));
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn stdin_errors_name_stdin_line_and_pointer() {
    let spec = "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"t\", \"version\": \"1\"},\n  \"paths\": {\"/a\": {\"get\": {\"responses\": {\"abc\": {\"description\": \"x\"}}}}}\n}\n";
    let run = contracts_in(None, &["validate", "--format", "json", "-"], Some(spec));
    assert_eq!(run.code, 2);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["file"], "<stdin>");
    assert_eq!(diagnostics[0]["code"], "invalid-status-code");
    assert_eq!(diagnostics[0]["pointer"], "/paths/~1a/get/responses/abc");
    assert_eq!(diagnostics[0]["line"], 4);
}

#[test]
fn warnings_pass_unless_strict() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("api.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    S: {type: 'null'}\n",
    )
    .unwrap();
    let spec = spec.to_str().unwrap();
    let run = contracts(&["validate", spec]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning[type-null-in-3.0]"),
        "{}",
        run.stderr
    );
    assert_eq!(contracts(&["validate", "--strict", spec]).code, 2);
}

#[test]
fn config_errors_suggest_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("contracts.toml");
    std::fs::write(
        &config,
        "[services.user]\nspec = \"api.yaml\"\nprefx = \"/users\"\n",
    )
    .unwrap();
    let run = contracts(&["validate", "--config", config.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("error[config-unknown-key]: unknown key `prefx`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `prefix`?"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("3 | prefx"), "{}", run.stderr);
}

#[test]
fn missing_file_is_an_input_error() {
    let run = contracts(&["validate", "--format", "json", "does/not/exist.yaml"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.diagnostics()[0]["code"], "io");
}

#[test]
fn multi_file_refs_are_checked_against_the_project_root() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    std::fs::create_dir_all(project.join("api")).unwrap();
    std::fs::write(dir.path().join("secret.yaml"), "S: {type: string}\n").unwrap();
    std::fs::write(
        project.join("contracts.toml"),
        "[services.a]\nspec = \"api/openapi.yaml\"\n",
    )
    .unwrap();
    std::fs::write(
        project.join("api/openapi.yaml"),
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Ok: {$ref: '../shared.yaml#/S'}\n    Bad: {$ref: '../../secret.yaml#/S'}\n",
    )
    .unwrap();
    std::fs::write(project.join("shared.yaml"), "S: {type: string}\n").unwrap();
    let run = contracts_in(Some(&project), &["validate", "--format", "json"], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], "ref-outside-root");
    assert_eq!(diagnostics[0]["file"], "api/openapi.yaml");
    assert_eq!(diagnostics[0]["pointer"], "/components/schemas/Bad");
    assert_eq!(diagnostics[0]["line"], 7);
}

#[test]
fn large_spec_with_deep_nesting_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("deep.yaml");
    let depth = 5000;
    std::fs::write(
        &spec,
        format!(
            "openapi: 3.0.3\nx: {}{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    )
    .unwrap();
    let run = contracts(&["validate", "--format", "json", spec.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert_eq!(run.diagnostics()[0]["code"], "syntax");
}

#[test]
fn fifty_megabyte_spec_loads() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("big.json");
    let description = "x".repeat(1000);
    let schemas: Vec<String> = (0..50_000)
        .map(|i| format!("\"S{i}\": {{\"type\": \"object\", \"description\": \"{description}\", \"properties\": {{\"a\": {{\"type\": \"string\"}}}}}}"))
        .collect();
    let text = format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{{}}}}}}}",
        schemas.join(",\n")
    );
    assert!(text.len() > 50 << 20);
    std::fs::write(&spec, text).unwrap();
    let run = contracts(&["validate", spec.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// A discriminator `mapping` into a file that does not exist: the `oneOf`
/// still lists the branches, so the tag is left out with a warning and every
/// generator goes on.
#[test]
fn a_discriminator_mapping_to_a_missing_file_is_a_warning_and_generation_goes_on() {
    let dir = crate::work_dir("discriminator-missing-");
    let spec = dir.path().join("api.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                oneOf: [{$ref: '#/components/schemas/Cat'}]\n                discriminator:\n                  propertyName: kind\n                  mapping: {cat: '#/components/schemas/Cat', dog: 'models/dog.yaml#/Dog'}\ncomponents:\n  schemas:\n    Cat: {type: object, required: [kind], properties: {kind: {type: string}}}\n",
    )
    .unwrap();
    let spec = spec.to_str().unwrap();
    let run = contracts(&["validate", "--format", "json", spec]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stdout);
    assert_eq!(diagnostics[0]["severity"], "warning");
    assert_eq!(diagnostics[0]["code"], "discriminator-mapping-unresolved");
    assert_eq!(
        diagnostics[0]["pointer"],
        "/paths/~1pets/get/responses/200/content/application~1json/schema/discriminator/mapping/dog"
    );
    for (flag, output) in [
        ("--ts", "types.ts"),
        ("--msw", "handlers.ts"),
        ("--rust", "types.rs"),
    ] {
        let output = dir.path().join(output);
        let run = contracts(&["gen", flag, spec, "-o", output.to_str().unwrap()]);
        assert_eq!(run.code, 0, "gen {flag}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("warning[discriminator-mapping-unresolved]"),
            "{}",
            run.stderr
        );
        assert!(output.exists(), "gen {flag} wrote its output");
    }
}
