//! `contracts check` and the pre-commit hook in a real git repository.

use std::path::Path;

use crate::{contracts_in, git};

const SPEC: &str = "openapi: 3.1.0
info: {title: users, version: 1.0.0}
paths:
  /users/{id}:
    get:
      operationId: getUser
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: The user.
          content:
            application/json:
              schema: {$ref: './schemas.yaml#/User'}
";

const SCHEMAS: &str = "User:
  type: object
  required: [id, email]
  properties:
    id: {type: string}
    email: {type: string}
";

/// A repository with one committed service; returns (guard, repo).
fn repository() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().to_owned();
    assert!(git(&repo, &["init", "-q", "-b", "main"]).status.success());
    std::fs::create_dir_all(repo.join("services/user")).unwrap();
    std::fs::write(
        repo.join("contracts.toml"),
        "[services.user]\nspec = \"services/user/openapi.yaml\"\nprefix = \"/users\"\n",
    )
    .unwrap();
    std::fs::write(repo.join("services/user/openapi.yaml"), SPEC).unwrap();
    std::fs::write(repo.join("services/user/schemas.yaml"), SCHEMAS).unwrap();
    assert!(git(&repo, &["add", "."]).status.success());
    assert!(
        git(&repo, &["commit", "-q", "-m", "user service"])
            .status
            .success()
    );
    (dir, repo)
}

const BREAKING: (&str, &str) = ("required: [id, email]", "required: [id]");
const COMPATIBLE: (&str, &str) = (
    "    email: {type: string}\n",
    "    email: {type: string}\n    name: {type: string}\n",
);

fn edit_schemas(repo: &Path, (from, to): (&str, &str)) {
    let path = repo.join("services/user/schemas.yaml");
    let text = std::fs::read_to_string(&path).unwrap().replace(from, to);
    std::fs::write(path, text).unwrap();
}

#[test]
fn check_compares_the_working_tree_and_the_index_with_head() {
    let (_guard, repo) = repository();
    let run = contracts_in(Some(&repo), &["check"], None);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    edit_schemas(&repo, BREAKING);
    let run = contracts_in(Some(&repo), &["check"], None);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("GET /users/{id}\n  error   [response-property-became-optional]"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("HEAD:services/user/schemas.yaml"),
        "{}",
        run.stdout
    );
    // Not staged yet: the index still matches HEAD.
    assert_eq!(
        contracts_in(Some(&repo), &["check", "--staged"], None).code,
        0
    );
    assert!(git(&repo, &["add", "."]).status.success());
    assert_eq!(
        contracts_in(Some(&repo), &["check", "--staged"], None).code,
        1
    );
}

#[test]
fn new_services_pass_and_removed_ones_fail() {
    let (_guard, repo) = repository();
    let config = "[services.user]\nspec = \"services/user/openapi.yaml\"\n\n[services.order]\nspec = \"services/order/openapi.yaml\"\n";
    std::fs::create_dir_all(repo.join("services/order")).unwrap();
    std::fs::write(
        repo.join("services/order/openapi.yaml"),
        SPEC.replace("/users/{id}", "/orders/{id}")
            .replace("./schemas.yaml", "../user/schemas.yaml"),
    )
    .unwrap();
    std::fs::write(repo.join("contracts.toml"), config).unwrap();
    let run = contracts_in(Some(&repo), &["check"], None);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("order: new since HEAD"),
        "{}",
        run.stderr
    );
    std::fs::write(
        repo.join("contracts.toml"),
        "[services.order]\nspec = \"services/order/openapi.yaml\"\n",
    )
    .unwrap();
    let run = contracts_in(Some(&repo), &["check"], None);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("service `user` was removed"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_installed_hook_blocks_a_breaking_commit_and_lets_a_compatible_one_through() {
    let (_guard, repo) = repository();
    let run = contracts_in(Some(&repo), &["hook", "install"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);

    edit_schemas(&repo, BREAKING);
    assert!(git(&repo, &["add", "."]).status.success());
    let commit = git(&repo, &["commit", "-q", "-m", "drop email from required"]);
    assert!(
        !commit.status.success(),
        "the hook must stop a breaking commit"
    );
    // git shows a hook's output on its stderr.
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&commit.stdout),
        String::from_utf8_lossy(&commit.stderr)
    );
    assert!(
        output.contains("response-property-became-optional"),
        "{output}"
    );

    assert!(
        git(&repo, &["checkout", "-q", "HEAD", "--", "."])
            .status
            .success()
    );
    edit_schemas(&repo, COMPATIBLE);
    assert!(git(&repo, &["add", "."]).status.success());
    let commit = git(&repo, &["commit", "-q", "-m", "add name"]);
    assert!(
        commit.status.success(),
        "{}{}",
        String::from_utf8_lossy(&commit.stdout),
        String::from_utf8_lossy(&commit.stderr)
    );
}

#[test]
fn a_foreign_hook_is_kept_unless_forced_and_then_chained() {
    let (_guard, repo) = repository();
    let hook = repo.join(".git/hooks/pre-commit");
    std::fs::write(&hook, "#!/bin/sh\necho foreign hook ran\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let run = contracts_in(Some(&repo), &["hook", "install"], None);
    assert_eq!(run.code, 2);
    assert!(
        std::fs::read_to_string(&hook)
            .unwrap()
            .contains("foreign hook")
    );
    assert_eq!(
        contracts_in(Some(&repo), &["hook", "install", "--force"], None).code,
        0
    );
    assert!(
        repo.join(".git/hooks/pre-commit.contracts-chained")
            .exists()
    );
    edit_schemas(&repo, COMPATIBLE);
    assert!(git(&repo, &["add", "."]).status.success());
    let commit = git(&repo, &["commit", "-q", "-m", "add name"]);
    assert!(commit.status.success());
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&commit.stdout),
        String::from_utf8_lossy(&commit.stderr)
    );
    assert!(output.contains("foreign hook ran"), "{output}");
}
