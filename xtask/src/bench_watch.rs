//! `cargo xtask bench watch`: `contracts watch` latency, from a spec write to
//! the new entry in a consuming role's inbox, minus the debounce period; 50
//! edits on the shop and on 200 synthetic services (see `bench_merge`).
//! Each edit adds or removes an optional query parameter of the service's
//! first operation, so every edit is a contract change the role must hear of.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use contracts_load::{emit, format_for, parse};
use serde_json::{Value, json};

use crate::bench::millis;
use crate::bench_merge::synthesize;
use crate::bench_table::{Row, Side};
use crate::copy_dir;
use crate::project_root;

const EDITS: usize = 50;
const DEBOUNCE_MS: u64 = 50;
const SYNTHETIC_SERVICES: usize = 200;
const DEADLINE: Duration = Duration::from_secs(60);

pub fn run() -> Result<Vec<Row>, String> {
    let root = project_root();
    let contracts = crate::release_binary()?;
    let work = root.join("target/bench/watch");
    let _ = std::fs::remove_dir_all(&work);

    let shop = work.join("shop");
    copy_dir(&root.join("fixtures/shop"), &shop)?;
    let config = read(&shop.join("contracts.toml"))?;
    let without_roles = &config[..config.find("[roles.").unwrap_or(config.len())];
    write(
        &shop.join("contracts.toml"),
        &format!("{without_roles}{}", role("order")),
    )?;
    let shop_row = measure(
        &contracts,
        "the shop (4 services)".to_owned(),
        &shop,
        &shop.join("services/order/openapi.yaml"),
    )?;

    let synthetic = work.join("synthetic");
    let specs = synthesize(&root.join("fixtures/shop"), &synthetic, SYNTHETIC_SERVICES)?;
    let config = read(&synthetic.join("contracts.toml"))?;
    write(
        &synthetic.join("contracts.toml"),
        &format!("{config}{}", role("svc0")),
    )?;
    let synthetic_row = measure(
        &contracts,
        format!("{SYNTHETIC_SERVICES} synthetic services"),
        &synthetic,
        &specs[0],
    )?;
    Ok(vec![shop_row, synthetic_row])
}

/// A role in `../frontend` consuming `service`, and the debounce used.
fn role(service: &str) -> String {
    format!(
        "\n[roles.frontend]\npath = \"../frontend\"\nconsumes = [\"{service}\"]\n\n[watch]\ndebounce_ms = {DEBOUNCE_MS}\n"
    )
}

fn measure(contracts: &Path, name: String, project: &Path, spec: &Path) -> Result<Row, String> {
    let frontend = project.parent().unwrap_or(project).join("frontend");
    let _ = std::fs::remove_dir_all(&frontend);
    std::fs::create_dir_all(&frontend).map_err(|error| error.to_string())?;
    let inbox = frontend.join(".contracts/inbox.md");
    let (mut child, events) = start(contracts, &project.join("contracts.toml"))?;
    let result = (|| {
        wait(&events, "ready")?;
        let (original, _) = parse(&read(spec)?, spec).map_err(|error| error.to_string())?;
        let edited = with_extra_parameter(&original)?;
        let mut latencies = Vec::with_capacity(EDITS);
        for edit in 0..EDITS {
            let document = if edit % 2 == 0 { &edited } else { &original };
            let text = emit(document, format_for(spec));
            let before = std::fs::metadata(&inbox).map_or(0, |metadata| metadata.len());
            let start = Instant::now();
            write(spec, &text)?;
            while std::fs::metadata(&inbox).map_or(0, |metadata| metadata.len()) == before {
                if start.elapsed() > DEADLINE {
                    return Err(format!("{name}: edit {edit} reached no inbox"));
                }
                std::thread::sleep(Duration::from_micros(500));
            }
            latencies.push(
                start
                    .elapsed()
                    .saturating_sub(Duration::from_millis(DEBOUNCE_MS)),
            );
            // The change event ends the rebuild; the next edit starts from a quiet watch.
            wait(&events, "change")?;
        }
        latencies.sort();
        let percentile = |p: usize| latencies[(latencies.len() * p / 100).min(latencies.len() - 1)];
        Ok(Row {
            work: "`watch`: spec write -> inbox entry, minus the debounce",
            input: name.clone(),
            rounds: EDITS,
            ours: Side::new("p95", (percentile(95), None)),
            other: None,
            target: "p95 <= 150 ms",
            note: format!(
                "p50 {:.0} ms, max {:.0} ms",
                millis(percentile(50)),
                millis(latencies[latencies.len() - 1])
            ),
        })
    })();
    let _ = child.kill();
    let _ = child.wait();
    result
}

/// The spec with one more optional query parameter on its first operation.
fn with_extra_parameter(document: &Value) -> Result<Value, String> {
    let mut document = document.clone();
    let operation = document["paths"]
        .as_object_mut()
        .and_then(|paths| paths.values_mut().next())
        .and_then(Value::as_object_mut)
        .and_then(|item| {
            item.iter_mut()
                .find(|(method, _)| {
                    ["get", "post", "put", "patch", "delete"].contains(&method.as_str())
                })
                .map(|(_, operation)| operation)
        })
        .ok_or("the spec has no operation to edit")?;
    let parameter = json!({"name": "benchEdit", "in": "query", "schema": {"type": "string"}});
    match operation
        .get_mut("parameters")
        .and_then(Value::as_array_mut)
    {
        Some(parameters) => parameters.push(parameter),
        None => operation["parameters"] = json!([parameter]),
    }
    Ok(document)
}

fn start(contracts: &Path, config: &Path) -> Result<(Child, Receiver<String>), String> {
    let mut child = Command::new(contracts)
        .args(["watch", "--format", "json", "--config"])
        .arg(config)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|error| error.to_string())?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let (sender, receiver) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let kind = serde_json::from_str::<Value>(&line)
                .ok()
                .and_then(|event| event["event"].as_str().map(str::to_owned))
                .unwrap_or_default();
            if sender.send(kind).is_err() {
                break;
            }
        }
    });
    Ok((child, receiver))
}

fn wait(events: &Receiver<String>, kind: &str) -> Result<(), String> {
    let deadline = Instant::now() + DEADLINE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Ok(event) if event == kind => return Ok(()),
            Ok(_) => {}
            Err(_) => return Err(format!("contracts watch sent no `{kind}` event")),
        }
    }
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|error| format!("{}: {error}", path.display()))
}
