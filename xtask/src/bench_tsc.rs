//! `cargo xtask bench tsc`: what the generated types cost the compiler (and
//! so an editor). `tsc --strict --noEmit` on the GitHub REST spec's types
//! plus a client of 100 `openapi-fetch` calls, for our types and for
//! openapi-typescript's, with the same client and flags (`tests/tsc-flags`).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::bench_table::{Compare, Row, Side};
use crate::bench_ts::{PeerBench, contracts_types, measure_interleaved, peer_types};
use crate::project_root;

const ROUNDS: usize = 5;
const CALLS: usize = 100;

pub fn run() -> Result<Vec<Row>, String> {
    let PeerBench {
        contracts,
        spec,
        peer,
        work,
    } = PeerBench::new("openapi-typescript/bin/cli.js", "tsc")?;
    // Module resolution walks up from the client: give it the harness's packages.
    let modules = work.join("node_modules");
    if !modules.exists() {
        link(&project_root().join("tests/node_modules"), &modules)?;
    }
    let document: Value = serde_json::from_slice(&crate::bench::read_spec(&spec)?)
        .map_err(|error| error.to_string())?;
    let client = client(&document);
    let ours = work.join("contracts");
    let theirs = work.join("openapi-typescript");
    for (folder, generate) in [
        (
            &ours,
            contracts_types(&contracts, &spec, &ours.join("types.ts")),
        ),
        (&theirs, peer_types(&peer, &spec, &theirs.join("types.ts"))),
    ] {
        std::fs::create_dir_all(folder).map_err(|error| error.to_string())?;
        std::fs::write(folder.join("client.ts"), &client).map_err(|error| error.to_string())?;
        succeed(generate)?;
    }
    // The same types as a declaration file: with `--skipLibCheck`, tsc
    // checks only what the client uses of them, not the file itself. What
    // is left is the client's and the libraries' share: our file's shape
    // moves it only by the types the client's calls meet.
    let declared = work.join("contracts-declared");
    std::fs::create_dir_all(&declared).map_err(|error| error.to_string())?;
    std::fs::write(declared.join("client.ts"), &client).map_err(|error| error.to_string())?;
    std::fs::copy(ours.join("types.ts"), declared.join("types.d.ts"))
        .map_err(|error| error.to_string())?;
    let flags = crate::conformance::compile::tsc_flags()?;
    let tsc = project_root().join("tests/node_modules/typescript/bin/tsc");
    let check = |folder: &Path| {
        let (tsc, flags, client) = (tsc.clone(), flags.clone(), folder.join("client.ts"));
        move || {
            let mut command = Command::new("node");
            command.arg(&tsc).args(&flags).arg("--noEmit").arg(&client);
            command
        }
    };
    // Interleaved: the sides take alike long, so drift would decide the ratio.
    let measured =
        measure_interleaved(ROUNDS, &[&check(&ours), &check(&declared), &check(&theirs)])?;
    let [ours_time, declared_time, peer_time] = measured[..] else {
        unreachable!("one measurement per side")
    };
    // What the times only hint at through the noise: tsc's own counts.
    let counted = format!(
        "types / instantiations: ours {}, theirs {}",
        counts(check(&ours)())?,
        counts(check(&theirs)())?
    );
    let input = format!("GitHub REST spec's types + {CALLS} openapi-fetch calls");
    let against_peer = || {
        Some((
            Side::new("tsc on openapi-typescript's", peer_time),
            Compare::Faster,
        ))
    };
    Ok(vec![
        Row {
            work: "`tsc --strict` on the generated types",
            input: input.clone(),
            rounds: ROUNDS,
            ours: Side::new("tsc on contracts' types", ours_time),
            other: against_peer(),
            target: ">= 1.25x faster (<= 0.8 of its time), same types",
            note: counted,
        },
        Row {
            work: "`tsc --strict`, our types' own check left out",
            input,
            rounds: ROUNDS,
            ours: Side::new("tsc on contracts' types as a .d.ts", declared_time),
            other: against_peer(),
            target: "none: the floor for a cheaper file of this shape",
            note: "what is left of the row above when our file costs nothing to check".into(),
        },
    ])
}

/// A module with the first `CALLS` GET operations of the spec called
/// through `openapi-fetch`, each with its required path and query
/// parameters, so checking it instantiates the types a client uses.
fn client(document: &Value) -> String {
    let mut calls = String::new();
    let paths = document["paths"].as_object().into_iter().flatten();
    for (path, item) in paths
        .filter(|(_, item)| item.get("get").is_some())
        .take(CALLS)
    {
        let parameters = (item["parameters"].as_array().into_iter().flatten())
            .chain(item["get"]["parameters"].as_array().into_iter().flatten())
            .map(|parameter| resolve(document, parameter));
        let mut by_location: Vec<(&str, Vec<String>)> = vec![("path", vec![]), ("query", vec![])];
        for parameter in parameters {
            let location = parameter["in"].as_str().unwrap_or_default();
            let required = parameter["required"].as_bool().unwrap_or(false);
            let Some((_, members)) = by_location.iter_mut().find(|(l, _)| *l == location) else {
                continue;
            };
            if required {
                let name = serde_json::to_string(&parameter["name"]).unwrap_or_default();
                members.push(format!("{name}: {}", value(document, &parameter["schema"])));
            }
        }
        let params: Vec<String> = (by_location.into_iter())
            .filter(|(_, members)| !members.is_empty())
            .map(|(location, members)| format!("{location}: {{ {} }}", members.join(", ")))
            .collect();
        let path = serde_json::to_string(path).unwrap_or_default();
        let call = if params.is_empty() {
            format!("client.GET({path})")
        } else {
            format!(
                "client.GET({path}, {{ params: {{ {} }} }})",
                params.join(", ")
            )
        };
        calls.push_str(&format!("  results.push((await {call}).data);\n"));
    }
    format!(
        "import createClient from \"openapi-fetch\";\nimport type {{ paths }} from \"./types\";\n\n\
         const client = createClient<paths>({{ baseUrl: \"https://api.github.com\" }});\n\n\
         export async function calls(): Promise<unknown[]> {{\n  const results: unknown[] = [];\n{calls}  return results;\n}}\n"
    )
}

/// A parameter, its `$ref` (to `#/components/parameters/...`) followed.
fn resolve<'d>(document: &'d Value, parameter: &'d Value) -> &'d Value {
    match parameter["$ref"].as_str() {
        Some(reference) => document
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or(parameter),
        None => parameter,
    }
}

/// A TypeScript literal the schema accepts: its first enum member, a number, a boolean or a string.
fn value(document: &Value, schema: &Value) -> String {
    let schema = resolve(document, schema);
    if let Some(first) = schema["enum"]
        .as_array()
        .and_then(|members| members.first())
    {
        return first.to_string();
    }
    match schema["type"].as_str() {
        Some("integer" | "number") => "1".to_owned(),
        Some("boolean") => "true".to_owned(),
        _ => "\"x\"".to_owned(),
    }
}

/// `types / instantiations` from `tsc --extendedDiagnostics`: the same on every run.
fn counts(mut command: Command) -> Result<String, String> {
    let output = command
        .arg("--extendedDiagnostics")
        .output()
        .map_err(|error| error.to_string())?;
    let text = String::from_utf8_lossy(&output.stdout);
    let count = |name: &str| {
        (text.lines())
            .find_map(|line| line.strip_prefix(name)?.trim().parse::<u64>().ok())
            .ok_or_else(|| format!("tsc printed no {name}\n{text}"))
    };
    Ok(format!(
        "{} / {}",
        count("Types:")?,
        count("Instantiations:")?
    ))
}

fn succeed(mut command: Command) -> Result<(), String> {
    let output = command.output().map_err(|error| error.to_string())?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

fn link(target: &Path, link: &PathBuf) -> Result<(), String> {
    #[cfg(unix)]
    return std::os::unix::fs::symlink(target, link).map_err(|error| error.to_string());
    #[cfg(not(unix))]
    return Err(format!(
        "link {} to {} by hand",
        link.display(),
        target.display()
    ));
}
