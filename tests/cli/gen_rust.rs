//! `contracts gen --rust` end to end: the generated modules of the shop
//! gateway, the Swagger 2.0 fixtures, every corpus spec that loads and (a
//! slow test, see [`slow_tests`]) the GitHub REST spec compile in one crate
//! (a scratch copy of `tests/rust`), and every example of those specs that
//! is valid against its schema round-trips through its generated type
//! (`cargo test` in that crate).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use contracts_gen_rust::{Example, Options, generate_with_examples};
use contracts_load::{Input, load};
use contracts_model::{Contract, Schema, codes, json_schema};

use crate::{contracts, merge_shop, project_root, work_dir};

const GITHUB_SPEC: &str = "tests/node_modules/@octokit/openapi/generated/api.github.com.json";

/// The contract of `spec`, or `None` when it does not load (the CLI refuses those too).
fn contract_of(spec: &Path) -> Option<Contract> {
    let loaded = load(&Input::File(spec.to_owned()), None);
    let fatal = loaded
        .diagnostics
        .iter()
        .any(|diagnostic| codes::is_fatal(diagnostic.code));
    loaded.contract.filter(|_| !fatal)
}

/// The examples that are valid against their schemas (draft 7, formats
/// checked), validated against one document holding every schema.
fn valid_examples<'a>(contract: &Contract, examples: &'a [Example]) -> Vec<&'a Example> {
    let mut document = json_schema::draft7_document(contract);
    let definitions = document["definitions"].as_object_mut().unwrap();
    let pointers: Vec<String> = examples
        .iter()
        .enumerate()
        .map(|(index, example)| match &example.schema {
            Schema::Ref(id) => json_schema::definition_pointer(*id),
            inline => {
                let key = format!("example-{index}");
                definitions.insert(
                    key.clone(),
                    json_schema::draft7(inline, &json_schema::definition_pointer),
                );
                format!("#/definitions/{key}")
            }
        })
        .collect();
    let validators = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build_map(&document)
        .expect("the draft-7 document compiles");
    examples
        .iter()
        .zip(&pointers)
        .filter(|(example, pointer)| {
            validators
                .get(pointer)
                .expect("every definition is compiled")
                .is_valid(&example.value)
        })
        .map(|(example, _)| example)
        .collect()
}

/// The label of oasdiff's specs, which are outside the repository.
const OASDIFF_GROUP: &str = "oasdiff pairs";

/// Whether the slow tests run: compiling the GitHub spec's module (10,000
/// types, 15 MB of Rust) takes rustc about ten minutes on one core and
/// 13 GB, more than the rest of CI's tests together. As rust-analyzer does
/// with its slow tests, it runs when `CONTRACTS_SLOW_TESTS` is set; without
/// it the module is still generated, checked for degraded types, and its
/// examples counted.
fn slow_tests() -> bool {
    std::env::var_os("CONTRACTS_SLOW_TESTS").is_some()
}

/// One source of specs and what its examples did.
struct Group {
    label: &'static str,
    specs: Vec<PathBuf>,
    /// Our own fixtures and GitHub's spec: each must load with no degraded
    /// type, and its module is named after its file.
    yardstick: bool,
    /// Its modules are compiled and its examples round-tripped.
    compiled: bool,
    /// The round-trip table's rows.
    cases: String,
    counts: Counts,
}

#[derive(Default)]
struct Counts {
    specs: usize,
    loaded: usize,
    /// Schemas typify could not represent (`serde_json::Value`).
    degraded: usize,
    examples: usize,
    /// Valid against their schemas, and so round-tripped (any failure fails the test).
    valid: usize,
}

impl Counts {
    fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "specs": self.specs,
            "loaded": self.loaded,
            "degraded": self.degraded,
            "examples": self.examples,
            "valid": self.valid,
        })
    }
}

impl Group {
    fn new(label: &'static str, specs: Vec<PathBuf>) -> Group {
        Group {
            label,
            yardstick: false,
            compiled: true,
            counts: Counts {
                specs: specs.len(),
                ..Counts::default()
            },
            specs,
            cases: String::new(),
        }
    }
}

/// A Rust string literal holding `text`.
fn literal(text: &str) -> String {
    format!("{text:?}")
}

#[test]
fn generated_rust_compiles_and_examples_round_trip() {
    let root = project_root();
    let dir = work_dir("rust-");
    let krate = dir.path();
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        "src/lib.rs",
        "src/round_trip.rs",
    ] {
        let target = krate.join(file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(root.join("tests/rust").join(file), target).unwrap();
    }
    let gateway = merge_shop(krate);
    add_shop_crate(krate);
    let github = root.join(GITHUB_SPEC);
    assert!(
        github.exists(),
        "run `npm ci --prefix tests` (cargo xtask ci does)"
    );
    let examples = root.join("tests/node_modules/@readme/oas-examples");
    let specs_under = |folders: &[PathBuf]| -> Vec<PathBuf> {
        folders
            .iter()
            .flat_map(|folder| {
                assert!(folder.exists(), "{} is missing", folder.display());
                crate::real_specs::files_under(folder, &["json", "yaml", "yml"])
            })
            .collect()
    };
    // The sources, each counted apart: oasdiff's specs are third-party
    // material outside the repository, present or not.
    // Swagger 2.0, read as 3.0: one service alone, and both merged with a
    // 3.0 and a 3.1 service.
    let legacy = crate::merge_fixture("swagger2", &krate.join("legacy_gateway.json"));
    let inventory = root.join("fixtures/swagger2/services/inventory/swagger.json");
    let yardstick = |label, specs| Group {
        yardstick: true,
        ..Group::new(label, specs)
    };
    let mut groups: Vec<Group> = vec![
        yardstick("shop and Swagger 2.0", vec![gateway, legacy, inventory]),
        Group {
            compiled: slow_tests(),
            ..yardstick("GitHub", vec![github])
        },
    ];
    groups.extend(
        [
            (
                "ReadMe's examples",
                specs_under(&[
                    examples.join("2.0"),
                    examples.join("3.0"),
                    examples.join("3.1"),
                ]),
            ),
            (
                "fixtures/gen-rust",
                specs_under(&[root.join("fixtures/gen-rust")]),
            ),
        ]
        .into_iter()
        .chain(
            crate::oasdiff_data("generated_rust_compiles_and_examples_round_trip")
                .map(|data| (OASDIFF_GROUP, specs_under(&[data]))),
        )
        .map(|(label, specs)| Group::new(label, specs)),
    );

    let started = Instant::now();
    let mut modules = String::new();
    let mut compiled: HashMap<String, String> = HashMap::new();
    for group in &mut groups {
        for spec in &group.specs {
            let name = if group.yardstick {
                spec.file_stem()
                    .unwrap()
                    .to_string_lossy()
                    .replace(['.', '-'], "_")
            } else {
                spec.strip_prefix(&root)
                    .unwrap_or(spec)
                    .display()
                    .to_string()
            };
            let Some(contract) = contract_of(spec) else {
                assert!(!group.yardstick, "{name} loads");
                continue;
            };
            group.counts.loaded += 1;
            let (generated, examples) = generate_with_examples(&contract, &Options::default());
            let code = generated
                .code()
                .unwrap_or_else(|| panic!("{name}: {:?}", generated.diagnostics));
            group.counts.degraded += generated.diagnostics.len();
            // typify represents every schema of the yardsticks.
            assert!(
                !group.yardstick || generated.diagnostics.is_empty(),
                "{name}: {:?}",
                generated.diagnostics
            );
            group.counts.examples += examples.len();
            let valid = valid_examples(&contract, &examples);
            group.counts.valid += valid.len();
            if !group.compiled {
                continue;
            }
            // The corpora hold YAML and JSON twins and unchanged revisions:
            // the same text compiles the same, so it is compiled once (their
            // examples may differ, so they still count).
            let count = compiled.len();
            let module = compiled
                .entry(code.to_owned())
                .or_insert_with(|| {
                    if group.yardstick {
                        name.clone()
                    } else {
                        format!("corpus_{count}")
                    }
                })
                .clone();
            if compiled.len() > count {
                std::fs::write(krate.join(format!("src/{module}.rs")), code).unwrap();
                writeln!(modules, "/// {name}\npub mod {module};").unwrap();
            }
            for example in valid {
                writeln!(
                    group.cases,
                    "        ({}, check::<generated::{module}::{}>, {}),",
                    literal(&format!("{name}: {}", example.source)),
                    example.rust_type,
                    literal(&example.value.to_string()),
                )
                .unwrap();
            }
        }
    }
    let generating = started.elapsed();
    // The round trip is the library's own test: `cargo test --lib` builds
    // only the test binary, where an integration test would also need the
    // library's rlib and metadata (over a gigabyte for the GitHub types).
    let lib = krate.join("src/lib.rs");
    let text =
        std::fs::read_to_string(&lib).unwrap() + &modules + "\n#[cfg(test)]\nmod examples;\n";
    std::fs::write(&lib, text).unwrap();
    let mut tables = String::new();
    for (index, group) in groups
        .iter()
        .enumerate()
        .filter(|(_, group)| group.compiled)
    {
        writeln!(
            tables,
            "    let group_{index}: &[Case] = &[\n{}    ];\n    passed &= run({}, group_{index});",
            group.cases,
            literal(group.label)
        )
        .unwrap();
    }
    std::fs::write(
        krate.join("src/examples.rs"),
        format!(
            "use crate as generated;\nuse crate::round_trip::{{Case, check, run}};\n\n#[test]\nfn examples_round_trip() {{\n    let mut passed = true;\n{tables}    assert!(passed, \"examples changed in a round trip\");\n}}\n"
        ),
    )
    .unwrap();

    // Building the test also compiles every module (more than `cargo
    // check` would), so one cargo run proves both.
    let started = Instant::now();
    let output = Command::new(env!("CARGO"))
        .args(["test", "--quiet", "--lib", "--manifest-path"])
        .arg(krate.join("Cargo.toml"))
        .args(["--", "--nocapture"])
        .env("CARGO_TARGET_DIR", root.join("target/rust-check"))
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!(
        "gen --rust: generated in {generating:.1?} ({} distinct modules); compiled and tested in {:.1?}",
        compiled.len(),
        started.elapsed()
    );
    let built = stdout.contains("running 1 test");
    assert!(
        built,
        "the generated Rust does not compile:\n{}",
        stderr
            .lines()
            .filter(|line| line.starts_with("error"))
            .take(20)
            .collect::<Vec<_>>()
            .join("\n")
    );
    // Names from the spec must not trip rustc's lints in the user's crate.
    let warnings: Vec<&str> = (stderr.lines())
        .filter(|line| line.starts_with("warning"))
        .collect();
    assert!(
        warnings.is_empty(),
        "the generated Rust has warnings:\n{}",
        warnings.join("\n")
    );
    assert!(
        output.status.success(),
        "round trip failed:\n{}",
        stdout.lines().take(60).collect::<Vec<_>>().join("\n")
    );
    for group in &groups {
        let label = group.label;
        assert_eq!(
            group.counts.loaded,
            group.specs.len(),
            "every {label} spec loads"
        );
        if !group.compiled {
            eprintln!(
                "round trip ({label}): not compiled, a slow test (set CONTRACTS_SLOW_TESTS); {} valid examples counted",
                group.counts.valid
            );
            continue;
        }
        let summary = stdout
            .lines()
            .find(|line| line.starts_with(&format!("round trip ({label}):")))
            .expect("the round trip reports its counts");
        eprintln!("{summary}");
        let valid = group.counts.valid;
        assert!(
            summary.ends_with(&format!(" 0 failed of {valid}")),
            "{summary}"
        );
    }
    // Every count, so that a change in any shows in review (the README's figures).
    let counts = |oasdiff: bool| -> BTreeMap<&str, serde_json::Value> {
        groups
            .iter()
            .filter(|group| (group.label == OASDIFF_GROUP) == oasdiff)
            .map(|group| (group.label, group.counts.to_json()))
            .collect()
    };
    insta::assert_json_snapshot!(counts(false));
    if groups.iter().any(|group| group.label == OASDIFF_GROUP) {
        insta::assert_json_snapshot!("oasdiff_pairs_round_trip", counts(true));
    }
}

/// Generates the shop's Rust types as a crate folder (the config's
/// `[generate.rust]` pointed at a folder, with the options a backend team
/// would set) and makes it a dependency of the test crate, so the same
/// cargo run builds it. The crate ignores undeclared members, so the plain
/// serde structs compile too.
fn add_shop_crate(krate: &Path) {
    let shop = krate.join("shop");
    crate::copy_dir(&project_root().join("fixtures/shop"), &shop);
    let config = shop.join("contracts.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let rust_section = "[generate.rust]\noutput = \"generated/rust/types.rs\"\n";
    assert!(text.contains(rust_section), "the shop config changed");
    let text = text.replace(
        rust_section,
        "[generate.rust]\noutput = \"generated/Shop Types\"\nunknown_fields = \"drop\"\nderives = [\"PartialEq\"]\ndependencies = { itoa = \"1\" }\n",
    );
    std::fs::write(&config, text).unwrap();
    let run = contracts(&["gen", "--rust", "--config", config.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let folder = shop.join("generated/Shop Types");
    let manifest = std::fs::read_to_string(folder.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"shop-types\""), "{manifest}");
    assert!(manifest.contains("itoa = \"1\""), "{manifest}");
    let lib = std::fs::read_to_string(folder.join("src/lib.rs")).unwrap();
    assert!(lib.contains("PartialEq"), "{lib}");
    assert!(!lib.contains("pub extra:"), "{lib}");
    let check = contracts(&[
        "gen",
        "--rust",
        "--check",
        "--config",
        config.to_str().unwrap(),
    ]);
    assert_eq!(check.code, 0, "{}", check.stderr);

    let cargo_toml = krate.join("Cargo.toml");
    let text = std::fs::read_to_string(&cargo_toml).unwrap().replacen(
        "[dependencies]\n",
        &format!(
            "[dependencies]\nshop-types = {{ path = {:?} }}\n",
            folder.display().to_string()
        ),
        1,
    );
    std::fs::write(&cargo_toml, text).unwrap();
    let lib = krate.join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap()
        + "/// The shop as a generated crate folder.\npub use shop_types;\n";
    std::fs::write(&lib, text).unwrap();
}

#[test]
fn gen_rust_writes_response_enums_and_parameter_structs() {
    let run = contracts(&["gen", "--rust", "fixtures/shop/services/order/openapi.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("pub enum "), "{}", run.stdout);
    assert!(run.stdout.contains("Params {"), "{}", run.stdout);
    assert!(
        run.stdout.contains("pub fn status(&self) -> u16"),
        "{}",
        run.stdout
    );
}

#[test]
fn shapes_typify_panics_on_are_reshaped_not_degraded() {
    let run = contracts(&["gen", "--rust", "fixtures/gen-rust/typify-shapes.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("rust-type-degraded"), "{}", run.stderr);
    for expected in ["pub enum Problem", "pub enum Limits", "pub links:"] {
        assert!(run.stdout.contains(expected), "{expected}\n{}", run.stdout);
    }
}

#[test]
fn shop_rust_snapshot() {
    let dir = work_dir("rust-snapshot-");
    let gateway = merge_shop(dir.path());
    let run = contracts(&["gen", "--rust", gateway.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout);
}
