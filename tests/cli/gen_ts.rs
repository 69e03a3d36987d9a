//! `contracts gen --ts` and `contracts build` end to end, with the real
//! TypeScript compiler (`tsc --strict`, pinned in tests/package-lock.json)
//! checking the output for the shop, the GitHub REST spec and the corpora,
//! and openapi-fetch proving the types drive a typed client.

use std::path::{Path, PathBuf};

use crate::{contracts, contracts_in, copy_dir, project_root, work_dir};

const SHOP: &str = "fixtures/shop/contracts.toml";
const SHOP_SERVICES: [&str; 4] = [
    "fixtures/shop/services/user/openapi.yaml",
    "fixtures/shop/services/product/openapi.yaml",
    "fixtures/shop/services/order/openapi.yaml",
    "fixtures/shop/services/payment/openapi.json",
];
const GITHUB_SPEC: &str = "tests/node_modules/@octokit/openapi/generated/api.github.com.json";

fn generate_to(spec: &str, output: &Path) {
    let run = contracts(&["gen", "--ts", spec, "--output", output.to_str().unwrap()]);
    assert_eq!(run.code, 0, "gen --ts {spec}:\n{}", run.stderr);
}

/// `tsc --strict --noEmit` over the files; panics with the compiler's report.
fn tsc(files: &[PathBuf]) {
    let (passed, report) = crate::tsc_no_emit(files);
    let errors = report
        .lines()
        .filter(|line| line.contains("error TS"))
        .count();
    assert!(
        passed,
        "tsc found {errors} errors:\n{}",
        report.lines().take(40).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn shop_types_snapshots() {
    let dir = work_dir("gen-ts-");
    let gateway = dir.path().join("types.ts");
    let run = contracts(&[
        "gen",
        "--ts",
        "--config",
        SHOP,
        "--output",
        gateway.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(
        "shop_gateway_types",
        std::fs::read_to_string(&gateway).unwrap()
    );
    for spec in SHOP_SERVICES {
        let run = contracts(&["gen", "--ts", spec]);
        assert_eq!(run.code, 0, "{spec}: {}", run.stderr);
        let service = spec.split('/').nth(3).unwrap();
        insta::assert_snapshot!(format!("shop_{service}_types"), run.stdout);
    }
}

#[test]
fn generated_types_compile_under_strict_tsc() {
    let dir = work_dir("gen-ts-");
    let mut files = Vec::new();

    // The shop gateway, with the openapi-fetch type test beside it.
    let shop = dir.path().join("shop");
    std::fs::create_dir_all(&shop).unwrap();
    let run = contracts(&[
        "gen",
        "--ts",
        "--config",
        SHOP,
        "--output",
        shop.join("types.ts").to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::copy(
        project_root().join("tests/ts/shop-client.ts"),
        shop.join("shop-client.ts"),
    )
    .unwrap();
    files.push(shop.join("shop-client.ts"));

    for spec in SHOP_SERVICES.iter().copied().chain([GITHUB_SPEC]) {
        let output = dir.path().join(format!("{}.ts", files.len()));
        generate_to(spec, &output);
        files.push(output);
    }
    // As the README says: of GitHub's 1,223 operations, 417 write their
    // parameters out and the others name one of those.
    let github = std::fs::read_to_string(files.last().unwrap()).unwrap();
    let operations = github.split("export interface operations").nth(1).unwrap();
    let count = |start: &str| {
        (operations.lines())
            .filter(|l| l.starts_with(start))
            .count()
    };
    assert_eq!(
        (
            count("        parameters: {"),
            count("        parameters: operations[")
        ),
        (417, 806)
    );

    // Every corpus spec that loads: generation may warn, never fail.
    let examples = project_root().join("tests/node_modules/@readme/oas-examples");
    let corpora = [
        examples.join("2.0"),
        examples.join("3.0"),
        examples.join("3.1"),
    ]
    .into_iter()
    .chain(crate::oasdiff_data(
        "generated_types_compile_under_strict_tsc",
    ));
    let mut specs = Vec::new();
    for corpus in corpora {
        assert!(corpus.exists(), "{} is missing", corpus.display());
        specs.extend(crate::real_specs::files_under(
            &corpus,
            &["json", "yaml", "yml"],
        ));
    }
    let mut generated = 0;
    for spec in &specs {
        let output = dir.path().join(format!("{}.ts", files.len()));
        // With `--enum-values`: its consts' types must compile too.
        let run = contracts(&[
            "gen",
            "--ts",
            "--enum-values",
            spec.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
        ]);
        match run.code {
            0 => {
                files.push(output);
                generated += 1;
            }
            // Only specs that do not load at all may fail (none do today).
            _ => assert!(
                run.stderr.contains("cannot generate"),
                "{}: {}",
                spec.display(),
                run.stderr
            ),
        }
    }
    assert_eq!(generated, specs.len(), "every corpus spec generates");
    tsc(&files);
}

#[test]
fn check_detects_stale_types_and_writes_are_stable() {
    let dir = work_dir("gen-ts-");
    let output = dir.path().join("types.ts");
    let path = output.to_str().unwrap();
    let spec = SHOP_SERVICES[2];
    assert_eq!(
        contracts(&["gen", "--ts", spec, "-o", path, "--check"]).code,
        1
    );
    generate_to(spec, &output);
    let first = std::fs::read(&output).unwrap();
    generate_to(spec, &output);
    assert_eq!(
        std::fs::read(&output).unwrap(),
        first,
        "byte-for-byte deterministic"
    );
    assert_eq!(
        contracts(&["gen", "--ts", spec, "-o", path, "--check"]).code,
        0
    );
    std::fs::write(
        &output,
        String::from_utf8(first)
            .unwrap()
            .replace("cancelled", "canceled"),
    )
    .unwrap();
    let run = contracts(&["gen", "--ts", spec, "-o", path, "--check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("+") && run.stdout.contains("cancelled"),
        "{}",
        run.stdout
    );
}

#[test]
fn warnings_do_not_stop_generation_unless_strict() {
    let dir = work_dir("gen-ts-");
    let spec = dir.path().join("api.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Maybe: {type: 'null'}\n    Loose: {type: object, properties: {x: null}}\n",
    )
    .unwrap();
    let spec = spec.to_str().unwrap();
    let run = contracts(&["gen", "--ts", spec]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning[type-null-in-3.0]")
            && run.stderr.contains("warning[null-schema]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("Maybe: null;") && run.stdout.contains("x?: unknown;"),
        "{}",
        run.stdout
    );
    assert_eq!(contracts(&["gen", "--ts", "--strict", spec]).code, 2);
}

#[test]
fn unresolvable_input_stops_generation() {
    let dir = work_dir("gen-ts-");
    let spec = dir.path().join("api.yaml");
    std::fs::write(&spec, "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/Missing'}\n").unwrap();
    let output = dir.path().join("types.ts");
    let run = contracts(&[
        "gen",
        "--ts",
        spec.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("error[ref-unresolved]"),
        "{}",
        run.stderr
    );
    assert!(!output.exists());
}

#[test]
fn build_writes_gateway_and_types_then_leaves_them_alone() {
    let dir = tempfile::tempdir().unwrap();
    let shop = dir.path().join("shop");
    copy_dir(&project_root().join("fixtures/shop"), &shop);
    let _ = std::fs::remove_dir_all(shop.join("gateway"));
    let _ = std::fs::remove_dir_all(shop.join("generated"));
    let run = contracts_in(Some(&shop), &["build"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("gateway/openapi.yaml: written"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("generated/web/types.ts: written"),
        "{}",
        run.stderr
    );
    let types = std::fs::read_to_string(shop.join("generated/web/types.ts")).unwrap();
    assert!(
        types.contains("\"/orders/{orderId}\""),
        "gateway paths carry their prefixes"
    );
    let run = contracts_in(Some(&shop), &["build"], None);
    assert!(run.stderr.contains("types.ts: unchanged"), "{}", run.stderr);
    assert_eq!(
        contracts_in(Some(&shop), &["build", "--check"], None).code,
        0
    );
}

#[test]
fn openapi_typescript_options_layer_over_the_config() {
    let dir = work_dir("gen-ts-");
    std::fs::write(
        dir.path().join("api.yaml"),
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Page: {type: object, properties: {size: {type: integer, default: 20}}}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("contracts.toml"),
        "[services.api]\nspec = \"api.yaml\"\n\n[[generate.ts]]\noutput = \"types.ts\"\nsource = [\"api\"]\ndefault_non_nullable = false\nadditional_properties = true\n",
    )
    .unwrap();
    let types = || std::fs::read_to_string(dir.path().join("types.ts")).unwrap();

    // The defaults: a defaulted property is required, objects stay closed.
    let spec = dir.path().join("api.yaml");
    let run = contracts(&["gen", "--ts", spec.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("size: number;\n        };"),
        "{}",
        run.stdout
    );

    // The config turns both around.
    let run = contracts_in(Some(dir.path()), &["gen", "--ts"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        types().contains("size?: number;\n        } & {\n            [key: string]: unknown;"),
        "{}",
        types()
    );

    // Flags win over the config.
    let run = contracts_in(
        Some(dir.path()),
        &[
            "gen",
            "--ts",
            "--default-non-nullable",
            "--additional-properties=false",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(types().contains("size: number;\n        };"), "{}", types());
}

/// Every option of openapi-typescript's that `gen --ts` takes is a key of
/// `[[generate.ts]]`, and its flag wins over it.
#[test]
fn every_openapi_typescript_option_is_a_config_key() {
    let dir = work_dir("gen-ts-");
    std::fs::write(
        dir.path().join("api.yaml"),
        "openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /pets/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
    get: {operationId: getPet, responses: {'204': {description: ok}}}
    delete: {operationId: dropPet, deprecated: true, responses: {'204': {description: ok}}}
  /owners/{name}:
    parameters: [{name: name, in: path, required: true, schema: {type: string}}]
    get: {responses: {'204': {description: ok}}}
  /owners/{name}/pets/:
    parameters: [{name: name, in: path, required: true, schema: {type: string}}]
    put: {responses: {'204': {description: ok}}}
  /owners/:
    post:
      parameters: [{name: sort, in: query, schema: {type: string, enum: [asc, desc]}}]
      responses: {'204': {description: ok}}
components:
  schemas:
    pet: {type: object, properties: {tags: {type: array, items: {type: string}, minItems: 1, maxItems: 1}, id: {type: string, readOnly: true}, old: {type: string, deprecated: true}}}
    Color: {type: string, enum: [red, green]}
    Colour: {type: string, enum: [green, red]}
",
    )
    .unwrap();
    let keys = [
        "alphabetize",
        "exclude_deprecated",
        "array_length",
        "path_params_as_types",
        "root_types",
        "root_types_no_schema_prefix",
        "root_types_keep_casing",
        "read_write_markers",
        "make_paths_enum",
        "dedupe_enums",
        "enum_values",
    ];
    let entry: String = keys.iter().map(|key| format!("{key} = true\n")).collect();
    std::fs::write(
        dir.path().join("contracts.toml"),
        format!("[services.api]\nspec = \"api.yaml\"\n\n[[generate.ts]]\noutput = \"types.ts\"\nsource = [\"api\"]\nenums = true\n{entry}"),
    )
    .unwrap();
    let types = || std::fs::read_to_string(dir.path().join("types.ts")).unwrap();

    let run = contracts_in(Some(dir.path()), &["gen", "--ts"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let code = types();
    for expected in [
        "export type $Read<T> = {",
        "    [path: `/pets/${number}`]: {",
        "        delete?: never;",
        "        Color: Color;\n        Colour: Color;\n        pet: {",
        "            id?: $Read<string>;\n            tags?: [string];\n        };",
        "export type pet = components[\"schemas\"][\"pet\"];",
        "    getPet = \"/pets/{id}\",\n    dropPet = \"/pets/{id}\",\n",
        "export const pathsOwnersPostParametersQuerySortValues: ReadonlyArray<FlattenedDeepRequired<paths>[\"/owners/\"][\"post\"][\"parameters\"][\"query\"][\"sort\"]> = [\"asc\", \"desc\"];",
    ] {
        assert!(code.contains(expected), "{expected}\n{code}");
    }
    // `/owners/` and `/owners/${string}/pets/` would not fit `/owners/${string}` in one object type.
    tsc(&[dir.path().join("types.ts")]);

    let flags: Vec<String> = keys
        .iter()
        .map(|key| format!("--{}=false", key.replace('_', "-")))
        .collect();
    let mut args = vec!["gen", "--ts"];
    args.extend(flags.iter().map(String::as_str));
    let run = contracts_in(Some(dir.path()), &args, None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let code = types();
    for expected in [
        "    \"/pets/{id}\": {",
        "        delete: operations[\"dropPet\"];",
        "        pet: {\n            tags?: string[];\n            /** @readOnly sent by the server only */\n            readonly id?: string;\n            /** @deprecated */\n            old?: string;\n        };\n        Color: Color;\n        Colour: Colour;",
    ] {
        assert!(code.contains(expected), "{expected}\n{code}");
    }
    assert!(
        !code.contains("ApiPaths")
            && !code.contains("export type pet =")
            && !code.contains("Values"),
        "{code}"
    );
}

#[test]
fn a_failing_output_leaves_every_output_as_it_was() {
    let dir = work_dir("gen-ts-");
    let plain = "openapi: 3.1.0\ninfo: {title: a, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: string}\n";
    // `additionalProperties: false` beside an `allOf` is a generator warning,
    // which `--strict` makes fatal.
    let warned = "openapi: 3.1.0\ninfo: {title: b, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    B: {additionalProperties: false, allOf: [{type: object, properties: {x: {type: string}}}]}\n";
    std::fs::write(dir.path().join("a.yaml"), plain).unwrap();
    std::fs::write(dir.path().join("b.yaml"), warned).unwrap();
    std::fs::write(
        dir.path().join("contracts.toml"),
        "[services.a]\nspec = \"a.yaml\"\n\n[services.b]\nspec = \"b.yaml\"\n\n[[generate.ts]]\noutput = \"a.ts\"\nsource = [\"a\"]\n\n[[generate.ts]]\noutput = \"b.ts\"\nsource = [\"b\"]\n",
    )
    .unwrap();
    for output in ["a.ts", "b.ts"] {
        std::fs::write(dir.path().join(output), "// before\n").unwrap();
    }
    let run = contracts_in(Some(dir.path()), &["gen", "--ts", "--strict"], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("additional-properties-beside-composition"),
        "{}",
        run.stderr
    );
    for output in ["a.ts", "b.ts"] {
        let kept = std::fs::read_to_string(dir.path().join(output)).unwrap();
        assert_eq!(kept, "// before\n", "{output} was rendered but not written");
    }
    // Without `--strict` the warning is shown and both are written.
    let run = contracts_in(Some(dir.path()), &["gen", "--ts"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let a = std::fs::read_to_string(dir.path().join("a.ts")).unwrap();
    assert!(a.contains("A: string;"), "{a}");
}
