//! Who a change reaches, outside `watch`: `check`, `diff` and `impact` on a
//! git copy of the shop, whose roles consume services and operations.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{commit_all, contracts_in, copy_dir, project_root};

/// The shop committed in a fresh repository, its roles replaced by `roles`
/// when given; returns (guard, project folder).
fn shop(roles: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let shop = dir.path().join("shop");
    copy_dir(&project_root().join("fixtures/shop"), &shop);
    if let Some(roles) = roles {
        let config = std::fs::read_to_string(shop.join("contracts.toml")).unwrap();
        let without = &config[..config.find("[roles.").unwrap()];
        std::fs::write(shop.join("contracts.toml"), format!("{without}{roles}")).unwrap();
    }
    commit_all(&shop, "shop");
    (dir, shop)
}

fn edit(shop: &Path, file: &str, (from, to): (&str, &str)) {
    let path = shop.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no `{from}`");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

const ORDER: &str = "services/order/openapi.yaml";

/// `GET /` of order (`GET /orders` on the gateway): a query parameter becomes required.
const LIST_BREAK: (&str, &str) = (
    "        - name: customerId\n          in: query\n",
    "        - name: customerId\n          in: query\n          required: true\n",
);

/// `GET /{orderId}` of order: a new required header.
const DETAIL_BREAK: (&str, &str) = (
    "      operationId: getOrder\n",
    "      operationId: getOrder\n      parameters:\n        - {name: X-Tenant, in: header, required: true, schema: {type: string}}\n",
);

fn order_section(stdout: &str) -> &str {
    let start = stdout.find("order @ HEAD").expect("order is reported");
    let end = stdout[start..]
        .find("payment @ HEAD")
        .map_or(stdout.len(), |end| start + end);
    &stdout[start..end]
}

#[test]
fn check_names_the_roles_a_change_reaches_in_every_format() {
    // The shop's roles: web consumes order, order-backend owns it, gateway consumes everything.
    let (_guard, shop) = shop(None);
    edit(&shop, ORDER, LIST_BREAK);

    let text = contracts_in(Some(&shop), &["check"], None);
    assert_eq!(text.code, 1, "{}{}", text.stdout, text.stderr);
    let order = order_section(&text.stdout);
    assert!(
        order.contains("[request-parameter-became-required]"),
        "{order}"
    );
    assert!(order.contains("consumers: web, gateway\n"), "{order}");
    assert!(order.contains("1 breaking reach a consumer"), "{order}");

    let json = contracts_in(Some(&shop), &["check", "--format", "json"], None);
    let reports: Vec<Value> = serde_json::Deserializer::from_str(&json.stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    let order = &reports[2];
    assert_eq!(
        order["changes"][0]["id"],
        "request-parameter-became-required"
    );
    assert_eq!(
        order["changes"][0]["consumers"],
        serde_json::json!(["web", "gateway"])
    );
    assert_eq!(order["summary"]["consumed"], 1);
    assert_eq!(reports[0]["summary"]["consumed"], 0, "user did not change");

    let markdown = contracts_in(Some(&shop), &["check", "--format", "markdown"], None);
    assert!(
        markdown.stdout.contains(
            "#### Who is affected\n\n| Role | Breaking | Changes | Operations |\n|---|---|---|---|\n| web | 1 | 1 | `GET /` |\n| gateway | 1 | 1 | `GET /` |\n"
        ),
        "{}",
        markdown.stdout
    );
    assert!(
        markdown.stdout.contains("became required | web, gateway |"),
        "{}",
        markdown.stdout
    );

    let github = contracts_in(Some(&shop), &["check", "--format", "github"], None);
    assert!(
        github.stdout.contains(
            "::error file=services/order/openapi.yaml,line=46,title=request-parameter-became-required GET /::query parameter `customerId` became required (consumed by web, gateway)\n"
        ),
        "{}",
        github.stdout
    );
    assert!(
        !github.stdout.contains("order-backend"),
        "the owner is no consumer"
    );
}

/// web reads only order details; order-backend owns order; nobody else.
const DETAIL_ONLY: &str = r#"
[roles.web]
path = "../web"
consumes = [{ service = "order", operations = ["GET /orders/*"] }]

[roles.order-backend]
path = "../order-backend"
owns = ["order"]
"#;

#[test]
fn fail_on_consumed_passes_a_break_nobody_consumes() {
    let (_guard, shop) = shop(Some(DETAIL_ONLY));
    edit(&shop, ORDER, LIST_BREAK);
    let plain = contracts_in(Some(&shop), &["check"], None);
    assert_eq!(plain.code, 1, "a break is a break: {}", plain.stdout);
    assert!(
        order_section(&plain.stdout).contains("consumers: none\n"),
        "{}",
        plain.stdout
    );
    let consumed = contracts_in(Some(&shop), &["check", "--fail-on-consumed"], None);
    assert_eq!(
        consumed.code, 0,
        "nobody lists `GET /orders`: {}{}",
        consumed.stdout, consumed.stderr
    );

    // The same from the config; a flag's level overrides it.
    let config = shop.join("contracts.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("{text}\n[check]\nfail_on = \"consumed\"\n"),
    )
    .unwrap();
    assert_eq!(contracts_in(Some(&shop), &["check"], None).code, 0);
    assert_eq!(
        contracts_in(Some(&shop), &["check", "--fail-on", "error"], None).code,
        1
    );

    // A break on what web reads fails it.
    edit(&shop, ORDER, DETAIL_BREAK);
    let run = contracts_in(Some(&shop), &["check"], None);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        order_section(&run.stdout).contains("consumers: web\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn diff_with_a_config_finds_the_service_and_its_consumers() {
    let (_guard, shop) = shop(None);
    edit(&shop, ORDER, LIST_BREAK);
    let base = format!("HEAD:{ORDER}");
    let run = contracts_in(
        Some(&shop),
        &["diff", &base, ORDER, "--format", "json"],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        report["changes"][0]["consumers"],
        serde_json::json!(["web", "gateway"])
    );
    // Outside any project, or with `--fail-on-consumed` and no way to know consumers.
    let elsewhere = tempfile::tempdir().unwrap();
    let spec = elsewhere.path().join("order.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    )
    .unwrap();
    let spec = spec.to_str().unwrap();
    let run = contracts_in(
        Some(elsewhere.path()),
        &["diff", spec, spec, "--format", "json"],
        None,
    );
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["summary"].get("consumed"), None);
    let run = contracts_in(
        Some(elsewhere.path()),
        &["diff", spec, spec, "--fail-on-consumed"],
        None,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("--fail-on-consumed needs a config"),
        "{}",
        run.stderr
    );
}

#[test]
fn impact_lists_roles_by_operation_and_the_outputs_that_change() {
    let (_guard, shop) = shop(None);
    let unchanged = contracts_in(Some(&shop), &["impact", "order"], None);
    assert_eq!(unchanged.code, 0, "{}", unchanged.stderr);
    assert_eq!(
        unchanged.stdout,
        "order since HEAD: 0 change(s), 0 breaking\nno role consumes what changed\n"
    );
    edit(&shop, ORDER, LIST_BREAK);
    let run = contracts_in(Some(&shop), &["impact", "order", "--format", "json"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let roles: Vec<&str> = (report["roles"].as_array().unwrap().iter())
        .map(|role| role["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["web", "gateway"]);
    assert_eq!(report["roles"][0]["changes"][0]["operation"], "GET /orders");
    // The TypeScript types carry the parameter; the Rust crate's params type too; the mocks do not.
    let regenerated: Vec<&str> = (report["regenerated"].as_array().unwrap().iter())
        .map(|output| output["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        regenerated,
        ["generated/web/types.ts", "generated/rust/types.rs"]
    );
}

/// web generates TypeScript from order; mobile only calls it.
const GENERATING: &str = r#"
[roles.web]
path = "../web"
consumes = ["order"]

[roles.web.generate.ts]
output = "src/api/types.ts"
source = ["order"]

[roles.mobile]
path = "../mobile"
consumes = ["order"]
"#;

#[test]
fn code_changes_reach_the_roles_that_generate_from_the_service() {
    let (_guard, shop) = shop(Some(GENERATING));
    edit(
        &shop,
        ORDER,
        ("operationId: getOrder\n", "operationId: fetchOrder\n"),
    );
    let wire = contracts_in(Some(&shop), &["check", "--format", "json"], None);
    assert_eq!(
        wire.code, 0,
        "a new operationId breaks nothing on the wire: {}",
        wire.stdout
    );
    let all = contracts_in(
        Some(&shop),
        &["check", "--format", "json", "--category", "all"],
        None,
    );
    assert_eq!(all.code, 1, "{}", all.stderr);
    let reports: Vec<Value> = serde_json::Deserializer::from_str(&all.stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    let changes = reports[2]["changes"].as_array().unwrap();
    let of = |id: &str| {
        let change = changes.iter().find(|change| change["id"] == id).unwrap();
        (change["category"].clone(), change["consumers"].clone())
    };
    assert_eq!(
        of("code-operation-id-changed"),
        (serde_json::json!("code"), serde_json::json!(["web"])),
        "only web generates code from order"
    );
    assert_eq!(
        of("api-operation-id-removed"),
        (
            serde_json::json!("wire"),
            serde_json::json!(["web", "mobile"])
        )
    );
    // `[check] categories` makes it the default.
    let config = shop.join("contracts.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("{text}\n[check]\ncategories = [\"wire\", \"code\"]\n"),
    )
    .unwrap();
    let run = contracts_in(Some(&shop), &["check"], None);
    assert_eq!(run.code, 1);
    assert!(
        order_section(&run.stdout)
            .contains("[code-operation-id-changed] operationId `getOrder` became `fetchOrder`"),
        "{}",
        run.stdout
    );
}
