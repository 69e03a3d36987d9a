//! `contracts diff` end to end: exit codes, the four formats, and specs read
//! from git (`REF:PATH`), multi-file ones included.

use std::path::Path;

use crate::{contracts, contracts_in, git};

const BASE: &str = "openapi: 3.0.3
info: {title: items, version: 1.0.0}
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: verbose, in: query, schema: {type: boolean}}
      responses:
        '200':
          description: The item.
          content:
            application/json:
              schema: {$ref: './schemas.yaml#/Item'}
";

const SCHEMAS: &str = "Item:
  type: object
  required: [id, name]
  properties:
    id: {type: string}
    name: {type: string, maxLength: 100}
";

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir.join(name).parent().unwrap()).unwrap();
    std::fs::write(dir.join(name), text).unwrap();
}

/// A base and a revision folder with the two-file spec; `edit` changes the revision.
fn pair(edit: impl Fn(&str, &str) -> (String, String)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base/openapi.yaml", BASE);
    write(dir.path(), "base/schemas.yaml", SCHEMAS);
    let (spec, schemas) = edit(BASE, SCHEMAS);
    write(dir.path(), "revision/openapi.yaml", &spec);
    write(dir.path(), "revision/schemas.yaml", &schemas);
    dir
}

fn diff_in(dir: &Path, extra: &[&str]) -> crate::Run {
    let mut args = vec!["diff", "base/openapi.yaml", "revision/openapi.yaml"];
    args.extend_from_slice(extra);
    contracts_in(Some(dir), &args, None)
}

#[test]
fn compatible_changes_exit_0_and_breaking_ones_exit_1() {
    let added_optional = pair(|spec, schemas| {
        (
            spec.to_owned(),
            schemas.replace(
                "    id: {type: string}",
                "    id: {type: string}\n    tag: {type: string}",
            ),
        )
    });
    let run = diff_in(added_optional.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("GET /items/{id}\n  info    [response-optional-property-added]"),
        "{}",
        run.stdout
    );

    let removed_required = pair(|spec, schemas| {
        (
            spec.to_owned(),
            schemas
                .replace("required: [id, name]", "required: [id]")
                .replace("    name: {type: string, maxLength: 100}\n", ""),
        )
    });
    let run = diff_in(removed_required.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("error   [response-required-property-removed]"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("base: base/schemas.yaml:1:1 (#/Item)"),
        "changes name the file and line:\n{}",
        run.stdout
    );
    assert!(run.stdout.contains("1 breaking"), "{}", run.stdout);

    assert_eq!(
        diff_in(added_optional.path(), &["--fail-on", "info"]).code,
        1
    );
}

#[test]
fn deprecation_days_flags_require_a_later_sunset() {
    let deprecated = pair(|spec, schemas| {
        (
            spec.replace(
                "      operationId: getItem\n",
                "      operationId: getItem\n      deprecated: true\n      x-sunset: '2030-01-01'\n",
            ),
            schemas.to_owned(),
        )
    });
    let run = diff_in(deprecated.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("[endpoint-deprecated-with-sunset]"),
        "{}",
        run.stdout
    );
    // A century of notice: 2030 comes too soon.
    let run = diff_in(deprecated.path(), &["--deprecation-days-stable", "36500"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("[api-sunset-date-too-small]"),
        "{}",
        run.stdout
    );
    // The operation has no stability level, so it counts as stable, not beta.
    let run = diff_in(deprecated.path(), &["--deprecation-days-beta", "36500"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn all_four_formats() {
    let dir = pair(|spec, schemas| {
        (
            spec.replace(
                "{name: verbose, in: query, schema: {type: boolean}}",
                "{name: verbose, in: query, required: true, schema: {type: boolean}}",
            ),
            schemas.to_owned(),
        )
    });
    let json = diff_in(dir.path(), &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        report["summary"],
        serde_json::json!({"error": 1, "warning": 0, "info": 0})
    );
    let changes = report["changes"].as_array().unwrap();
    assert_eq!(changes[0]["id"], "request-parameter-became-required");
    assert_eq!(changes[0]["level"], "error");
    assert_eq!(changes[0]["operation"], "GET /items/{id}");
    assert_eq!(changes[0]["revision"]["file"], "revision/openapi.yaml");
    assert_eq!(changes[0]["revision"]["line"], 9);

    let markdown = diff_in(dir.path(), &["--format", "markdown"]);
    assert!(
        markdown
            .stdout
            .contains("| error | `request-parameter-became-required` | GET /items/{id} |"),
        "{}",
        markdown.stdout
    );

    let github = diff_in(dir.path(), &["--format", "github"]);
    assert!(github.stdout.starts_with("::error file=revision/openapi.yaml,line=9,title=request-parameter-became-required GET /items/{id}::"), "{}", github.stdout);
}

#[test]
fn unreadable_input_exits_2() {
    let dir = pair(|spec, schemas| {
        (
            spec.replace("./schemas.yaml#/Item", "./missing.yaml#/Item"),
            schemas.to_owned(),
        )
    });
    let run = diff_in(dir.path(), &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("error[ref-missing-file]"),
        "{}",
        run.stderr
    );
}

#[test]
fn git_revisions_with_multi_file_specs() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    assert!(
        git(repo, &["init", "-q", "-b", "main"]).status.success(),
        "git failed"
    );
    write(repo, "api/openapi.yaml", BASE);
    write(repo, "api/schemas.yaml", SCHEMAS);
    assert!(git(repo, &["add", "."]).status.success(), "git failed");
    assert!(
        git(repo, &["commit", "-q", "-m", "base"]).status.success(),
        "git failed"
    );
    // Only the referenced file changes: the diff must follow the ref into it.
    write(
        repo,
        "api/schemas.yaml",
        &SCHEMAS.replace("maxLength: 100", "maxLength: 50"),
    );
    let run = contracts_in(
        Some(repo),
        &["diff", "HEAD:api/openapi.yaml", "api/openapi.yaml"],
        None,
    );
    assert_eq!(
        run.code, 0,
        "a tighter response is not breaking:\n{}{}",
        run.stdout, run.stderr
    );
    assert!(
        run.stdout
            .contains("[response-property-max-length-decreased]"),
        "{}",
        run.stdout
    );
    assert!(
        git(repo, &["commit", "-q", "-am", "shorter names"])
            .status
            .success(),
        "git failed"
    );
    let run = contracts_in(
        Some(&repo.join("api")),
        &[
            "diff",
            "HEAD~1:openapi.yaml",
            "HEAD:openapi.yaml",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("response-property-max-length-decreased"),
        "paths are relative to the working folder:\n{}",
        run.stdout
    );
    let run = contracts_in(
        Some(repo),
        &["diff", "nosuchref:api/openapi.yaml", "api/openapi.yaml"],
        None,
    );
    assert_eq!(run.code, 2);
}

#[test]
fn diffing_the_shop_against_itself_is_clean() {
    let spec = "fixtures/shop/services/order/openapi.yaml";
    let run = contracts(&["diff", spec, spec]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("0 changes"), "{}", run.stdout);
}
