//! `cargo xtask bench merge`: `contracts merge` next to `redocly join` on the
//! same inputs, in the same run: the shop set, and 50 synthetic services
//! built from the shop's 3.0 services (redocly refuses mixed 3.0/3.1 input).
//!
//! The synthetic services have their gateway prefix baked into their paths
//! and unique operationIds, because redocly join has no path prefixes and
//! stops at colliding operationIds; both tools then do the same work.

use std::path::{Path, PathBuf};
use std::process::Command;

use contracts_load::{emit, format_for, parse};
use serde_json::{Value, json};

use crate::bench_table::{Compare, Row, Side};
use crate::bench_ts::measure;
use crate::project_root;

const SYNTHETIC_SERVICES: usize = 50;
const TEMPLATES: [(&str, &str); 3] = [
    ("user", "openapi.yaml"),
    ("order", "openapi.yaml"),
    ("payment", "openapi.json"),
];
const ROUNDS: usize = 5;

pub fn run() -> Result<Vec<Row>, String> {
    let root = project_root();
    let contracts = crate::release_binary()?;
    let redocly = root.join("tests/node_modules/@redocly/cli/bin/cli.js");
    if !redocly.exists() {
        return Err("redocly is not installed: run `npm ci --prefix tests` first".into());
    }
    let work = root.join("target/bench/merge");
    let _ = std::fs::remove_dir_all(&work);
    let contracts = &contracts;
    let ours = |config: PathBuf, output: PathBuf| {
        move || {
            let mut command = Command::new(contracts);
            command
                .args(["merge", "--config"])
                .arg(&config)
                .arg("--output")
                .arg(&output);
            command
        }
    };

    // The shop: four services, 3.0 and 3.1 mixed.
    let shop = root.join("fixtures/shop");
    let shop_specs: Vec<PathBuf> = [
        "user/openapi.yaml",
        "product/openapi.yaml",
        "order/openapi.yaml",
        "payment/openapi.json",
    ]
    .iter()
    .map(|spec| shop.join("services").join(spec))
    .collect();
    let shop_ours = measure(
        ROUNDS,
        ours(
            shop.join("contracts.toml"),
            work.join("shop-contracts.yaml"),
        ),
    )?;
    let shop_theirs = measure(1, || {
        redocly_join(&redocly, &shop_specs, &work.join("shop-redocly.yaml"))
    });
    let (other, note) = match shop_theirs {
        Ok(theirs) => (
            Some((Side::new("redocly join", theirs), Compare::Faster)),
            String::new(),
        ),
        Err(error) => (None, format!("redocly join fails: {}", first_line(&error))),
    };
    let shop_row = Row {
        work: "`merge`",
        input: "the shop (4 services, 3.0 + 3.1)".to_owned(),
        rounds: ROUNDS,
        ours: Side::new("contracts merge", shop_ours),
        other,
        target: "—",
        note,
    };

    // Fifty synthetic 3.0 services.
    let synthetic = work.join("synthetic");
    let specs = synthesize(&shop, &synthetic, SYNTHETIC_SERVICES)?;
    let synthetic_ours = measure(
        ROUNDS,
        ours(
            synthetic.join("contracts.toml"),
            work.join("synthetic-contracts.yaml"),
        ),
    )?;
    let synthetic_theirs = measure(ROUNDS, || {
        redocly_join(&redocly, &specs, &work.join("synthetic-redocly.yaml"))
    })?;
    Ok(vec![
        shop_row,
        Row {
            work: "`merge`",
            input: format!("{SYNTHETIC_SERVICES} synthetic services (3.0, multi-file)"),
            rounds: ROUNDS,
            ours: Side::new("contracts merge", synthetic_ours),
            other: Some((Side::new("redocly join", synthetic_theirs), Compare::Faster)),
            target: ">= 20x faster",
            note: String::new(),
        },
    ])
}

/// Copies the shop's 3.0 services `count` times with unique paths,
/// operationIds and titles; returns the root spec of each.
pub fn synthesize(shop: &Path, out: &Path, count: usize) -> Result<Vec<PathBuf>, String> {
    crate::copy_dir(&shop.join("common"), &out.join("common"))?;
    let mut specs = Vec::new();
    let mut config = String::from("[gateway]\noutput = \"gateway.yaml\"\ntitle = \"Synthetic\"\n");
    for index in 0..count {
        let (template, spec) = TEMPLATES[index % TEMPLATES.len()];
        let name = format!("svc{index}");
        let folder = out.join("services").join(&name);
        crate::copy_dir(&shop.join("services").join(template), &folder)?;
        let path = folder.join(spec);
        let text = std::fs::read_to_string(&path)
            .map_err(|error| format!("{}: {error}", path.display()))?;
        let (mut document, _) = parse(&text, &path).map_err(|error| error.to_string())?;
        document["info"]["title"] = json!(name);
        if let Some(Value::Object(paths)) = document.get_mut("paths") {
            let renamed = std::mem::take(paths)
                .into_iter()
                .map(|(path, mut item)| {
                    for operation in item
                        .as_object_mut()
                        .into_iter()
                        .flat_map(|map| map.values_mut())
                    {
                        if let Some(Value::String(id)) = operation.get_mut("operationId") {
                            id.push_str(&index.to_string());
                        }
                    }
                    (format!("/{name}{}", path.trim_end_matches('/')), item)
                })
                .collect();
            *paths = renamed;
        }
        std::fs::write(&path, emit(&document, format_for(&path)))
            .map_err(|error| error.to_string())?;
        config.push_str(&format!(
            "\n[services.{name}]\nspec = \"services/{name}/{spec}\"\n"
        ));
        specs.push(path);
    }
    std::fs::write(out.join("contracts.toml"), config).map_err(|error| error.to_string())?;
    Ok(specs)
}

fn redocly_join(redocly: &Path, specs: &[PathBuf], output: &Path) -> Command {
    let mut command = Command::new("node");
    command
        .arg(redocly)
        .arg("join")
        .args(specs)
        .args([
            "--prefix-components-with-info-prop",
            "title",
            "--prefix-tags-with-info-prop",
            "title",
            "-o",
        ])
        .arg(output)
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
    command
}

fn first_line(text: &str) -> &str {
    text.lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with(['╔', '║', '╚']))
        .unwrap_or("(no message)")
}
