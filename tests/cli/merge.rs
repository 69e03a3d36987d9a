//! `contracts merge` end to end: the shop gateway, determinism, `--check`,
//! failures that leave the previous output intact, and an independent validator.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{contracts, contracts_in, project_root};

const SHOP: &str = "fixtures/shop/contracts.toml";

fn merge_shop_to(output: &Path) -> crate::Run {
    contracts(&[
        "merge",
        "--config",
        SHOP,
        "--output",
        output.to_str().unwrap(),
    ])
}

#[test]
fn shop_gateway_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("gateway.yaml");
    let run = merge_shop_to(&output);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(std::fs::read_to_string(&output).unwrap());
}

#[test]
fn shop_gateway_is_valid_for_contracts_and_for_redocly() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("gateway.yaml");
    assert_eq!(merge_shop_to(&output).code, 0);
    let run = contracts(&["validate", "--format", "json", output.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.diagnostics().is_empty(), "{}", run.stdout);

    let redocly = project_root().join("tests/node_modules/@redocly/cli/bin/cli.js");
    assert!(
        redocly.exists(),
        "run `npm ci --prefix tests` (cargo xtask ci does)"
    );
    let lint = Command::new("node")
        .arg(&redocly)
        .args(["lint", "--format=summary"])
        .arg(&output)
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
        .output()
        .expect("node runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&lint.stdout),
        String::from_utf8_lossy(&lint.stderr)
    );
    assert!(lint.status.success(), "redocly lint failed:\n{report}");
    assert!(
        !report.contains("error "),
        "redocly reports errors:\n{report}"
    );
}

#[test]
fn merge_is_deterministic_and_leaves_unchanged_files_alone() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("gateway.json");
    assert_eq!(merge_shop_to(&output).code, 0);
    let first = std::fs::read(&output).unwrap();
    serde_json::from_slice::<serde_json::Value>(&first).expect("a .json output is JSON");
    let modified = crate::backdate(&output);
    let run = merge_shop_to(&output);
    assert!(run.stderr.contains("unchanged"), "{}", run.stderr);
    assert_eq!(std::fs::read(&output).unwrap(), first);
    assert_eq!(
        std::fs::metadata(&output).unwrap().modified().unwrap(),
        modified
    );
}

#[test]
fn check_reports_stale_output_with_a_diff() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("gateway.yaml");
    let path = output.to_str().unwrap();
    assert_eq!(
        contracts(&["merge", "--config", SHOP, "--output", path, "--check"]).code,
        1,
        "missing file is stale"
    );
    assert!(!output.exists(), "--check writes nothing");
    assert_eq!(merge_shop_to(&output).code, 0);
    assert_eq!(
        contracts(&["merge", "--config", SHOP, "--output", path, "--check"]).code,
        0
    );
    let text = std::fs::read_to_string(&output)
        .unwrap()
        .replace("title: Shop API", "title: Old Shop API");
    std::fs::write(&output, text).unwrap();
    let run = contracts(&["merge", "--config", SHOP, "--output", path, "--check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("-  title: Old Shop API\n+  title: Shop API\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn json_report_lists_services_renames_and_dedupes() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("gateway.yaml");
    let run = contracts(&[
        "merge",
        "--config",
        SHOP,
        "--output",
        output.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["outcome"], "written");
    let services: Vec<&str> = report["report"]["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(services, ["user", "product", "order", "payment"]);
    assert!(
        report["report"]["dedupes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["name"] == "Money")
    );
    assert!(!report["report"]["renames"].as_array().unwrap().is_empty());
}

/// A two-service project in a temporary folder.
fn project(user_paths: &str, order_paths: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_owned();
    std::fs::write(
        root.join("contracts.toml"),
        "[services.user]\nspec = \"user.yaml\"\nprefix = \"/api\"\n\n[services.order]\nspec = \"order.yaml\"\nprefix = \"/api\"\n\n[gateway]\noutput = \"gateway.yaml\"\n",
    )
    .unwrap();
    let spec =
        |paths: &str| format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}");
    std::fs::write(root.join("user.yaml"), spec(user_paths)).unwrap();
    std::fs::write(root.join("order.yaml"), spec(order_paths)).unwrap();
    (dir, root)
}

const GET_ITEMS: &str = "  /items:\n    get:\n      operationId: OPID\n      responses:\n        '200': {description: ok}\n";

#[test]
fn same_method_and_path_from_two_services_names_both_with_lines() {
    let (_dir, root) = project(
        &GET_ITEMS.replace("OPID", "a"),
        &format!("  /other: {{}}\n{}", GET_ITEMS.replace("OPID", "b")),
    );
    let run = contracts_in(Some(&root), &["merge"], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error[merge-path-conflict]: `GET /api/items` is produced by services user and order"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--> order.yaml:5:3"), "{}", run.stderr);
    assert!(run.stderr.contains("--> user.yaml:4:3"), "{}", run.stderr);
    assert!(!root.join("gateway.yaml").exists());
}

#[test]
fn a_failed_merge_leaves_the_previous_output_intact() {
    let (_dir, root) = project(
        &GET_ITEMS.replace("OPID", "a"),
        "  /orders:\n    get:\n      operationId: b\n      responses:\n        '200': {description: ok}\n",
    );
    assert_eq!(contracts_in(Some(&root), &["merge"], None).code, 0);
    let before = std::fs::read(root.join("gateway.yaml")).unwrap();
    std::fs::write(root.join("order.yaml"), "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /orders:\n    get:\n      responses: {'200': {$ref: '#/nope'}}\n").unwrap();
    let run = contracts_in(Some(&root), &["merge"], None);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("error[ref-unresolved]"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(root.join("gateway.yaml")).unwrap(), before);
}

#[test]
fn without_gateway_output_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("contracts.toml"),
        "[services.a]\nspec = \"a.yaml\"\n",
    )
    .unwrap();
    let run = contracts_in(Some(dir.path()), &["merge"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--output"), "{}", run.stderr);
}

/// Callbacks are kept as written by the model; the files their refs name
/// are read all the same, so the gateway bundles them.
#[test]
fn files_named_only_inside_callbacks_are_read_and_bundled() {
    let (_dir, root) = project(
        &GET_ITEMS.replace("OPID", "a"),
        "  /subscriptions:\n    post:\n      operationId: subscribe\n      responses:\n        '201': {description: ok}\n      callbacks:\n        onEvent:\n          '{$request.body#/url}':\n            post:\n              requestBody:\n                content:\n                  application/json:\n                    schema: {$ref: 'events/event.yaml#/Event'}\n              responses:\n                '200': {description: ok}\n",
    );
    std::fs::create_dir(root.join("events")).unwrap();
    std::fs::write(
        root.join("events/event.yaml"),
        "Event: {type: object, properties: {kind: {$ref: '#/Kind'}}}\nKind: {type: string}\n",
    )
    .unwrap();
    let run = contracts_in(Some(&root), &["merge"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let gateway = std::fs::read_to_string(root.join("gateway.yaml")).unwrap();
    assert!(
        gateway.contains("    Kind:\n      type: string\n")
            && gateway.contains("$ref: '#/components/schemas/Kind'")
            && gateway.contains("$ref: '#/components/schemas/Event'"),
        "{gateway}"
    );

    std::fs::write(root.join("events/event.yaml"), "Event: {$ref: '#/Gone'}\n").unwrap();
    let run = contracts_in(Some(&root), &["validate"], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("error[ref-unresolved]")
            && run.stderr.contains("--> events/event.yaml:1:"),
        "{}",
        run.stderr
    );
}
