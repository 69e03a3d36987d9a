//! The `code` rules' cases (`fixtures/diff/code-*`) proved with the real
//! compilers: the case's small client compiles against the code generated
//! from `base.yaml` and no longer compiles against the code generated from
//! `revision.yaml`, though nothing changed on the wire. `client.ts` is
//! checked with tsc against `gen --ts` (with the flags in the case's
//! `ts-flags`, if any: `--enum`), `client.rs` with cargo against `gen --rust`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{contracts, project_root, tsc_no_emit, work_dir};

/// Whether cargo compiles the crate at `krate`; the errors either way.
fn cargo_accepts(krate: &Path) -> (bool, String) {
    let output = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--manifest-path"])
        .arg(krate.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", project_root().join("target/rust-check"))
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.success(), stderr)
}

/// Generates with `flags` (`--ts`, and a case's `ts-flags` such as `--enum`).
fn generate(flags: &[&str], spec: &Path, output: &Path) {
    let mut args = vec![
        "gen",
        spec.to_str().unwrap(),
        "--output",
        output.to_str().unwrap(),
    ];
    args.extend(flags);
    let run = contracts(&args);
    assert_eq!(
        run.code,
        0,
        "gen {flags:?} {}: {}",
        spec.display(),
        run.stderr
    );
}

/// The case's client compiled against the code of `base.yaml`, then of
/// `revision.yaml`: (compiles before, compiles after, the last report).
fn typescript(case: &Path) -> (bool, bool, String) {
    let dir = work_dir("code-ts-");
    let client = dir.path().join("client.ts");
    std::fs::copy(case.join("client.ts"), &client).unwrap();
    let extra = std::fs::read_to_string(case.join("ts-flags")).unwrap_or_default();
    let flags: Vec<&str> = std::iter::once("--ts")
        .chain(extra.split_whitespace())
        .collect();
    let mut outcomes = Vec::new();
    for side in ["base.yaml", "revision.yaml"] {
        generate(&flags, &case.join(side), &dir.path().join("types.ts"));
        outcomes.push(tsc_no_emit(std::slice::from_ref(&client)));
    }
    let (after, report) = outcomes.pop().unwrap();
    let (before, before_report) = outcomes.pop().unwrap();
    (before, after, if before { report } else { before_report })
}

fn rust(case: &Path) -> (bool, bool, String) {
    let root = project_root();
    let dir = work_dir("code-rs-");
    let krate = dir.path();
    std::fs::create_dir_all(krate.join("src")).unwrap();
    for file in ["Cargo.toml", "Cargo.lock"] {
        std::fs::copy(root.join("tests/rust").join(file), krate.join(file)).unwrap();
    }
    std::fs::write(
        krate.join("src/lib.rs"),
        "pub mod client;\npub mod generated;\n",
    )
    .unwrap();
    std::fs::copy(case.join("client.rs"), krate.join("src/client.rs")).unwrap();
    let mut outcomes = Vec::new();
    for side in ["base.yaml", "revision.yaml"] {
        generate(
            &["--rust"],
            &case.join(side),
            &krate.join("src/generated.rs"),
        );
        outcomes.push(cargo_accepts(krate));
    }
    let (after, report) = outcomes.pop().unwrap();
    let (before, before_report) = outcomes.pop().unwrap();
    (before, after, if before { report } else { before_report })
}

#[test]
fn every_code_case_breaks_its_client_and_only_in_the_revision() {
    let cases_dir = project_root().join("fixtures/diff");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&cases_dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let expected = std::fs::read_to_string(path.join("expected.yaml")).unwrap_or_default();
            expected.lines().any(|line| line == "category: code")
        })
        .collect();
    cases.sort();
    let (mut typescript_cases, mut rust_cases) = (0, 0);
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy();
        let mut proved = false;
        for (client, compile) in [
            ("client.ts", typescript as fn(&Path) -> (bool, bool, String)),
            ("client.rs", rust),
        ] {
            if !case.join(client).exists() {
                continue;
            }
            let (before, after, report) = compile(case);
            assert!(
                before,
                "{name}: {client} does not compile against the base's code:\n{report}"
            );
            assert!(
                !after,
                "{name}: {client} still compiles against the revision's code"
            );
            eprintln!("{name}: {client} compiles against the base, not the revision");
            proved = true;
            match client {
                "client.ts" => typescript_cases += 1,
                _ => rust_cases += 1,
            }
        }
        assert!(proved, "{name}: a code case needs client.ts or client.rs");
    }
    assert_eq!(
        (cases.len(), typescript_cases, rust_cases),
        (8, 6, 2),
        "code cases, TypeScript proofs, Rust proofs"
    );
}
