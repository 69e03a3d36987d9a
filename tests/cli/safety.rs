//! Nothing a run reads, or did not write itself, is ever overwritten; user
//! text never reaches git as an option.

use std::path::Path;

use crate::{commit_all, contracts_in};

const SPEC: &str = "openapi: 3.1.0
info: {title: Users, version: '1'}
paths:
  /users:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: './schemas.yaml#/User'}
";

const SCHEMAS: &str = "User:
  type: object
  properties:
    id: {type: string}
";

/// A project with one service split over two files; returns (guard, folder).
fn project(config_tail: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_owned();
    std::fs::write(root.join("openapi.yaml"), SPEC).unwrap();
    std::fs::write(root.join("schemas.yaml"), SCHEMAS).unwrap();
    std::fs::write(
        root.join("contracts.toml"),
        format!("[services.user]\nspec = \"openapi.yaml\"\nprefix = \"/users\"\n{config_tail}"),
    )
    .unwrap();
    (dir, root)
}

/// Every file of `root` with its content, to show a run changed nothing.
fn snapshot(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = walk(root)
        .into_iter()
        .map(|path| {
            let name = path.strip_prefix(root).unwrap().display().to_string();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

fn walk(folder: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn an_output_that_is_an_input_of_the_run_is_refused_and_nothing_is_written() {
    let cases: [(&str, &[&str]); 6] = [
        (
            "",
            &["gen", "--ts", "openapi.yaml", "--output", "openapi.yaml"],
        ),
        (
            "",
            &[
                "gen",
                "--ts",
                "openapi.yaml",
                "--output",
                "./sub/../schemas.yaml",
            ],
        ),
        (
            "",
            &["gen", "--msw", "openapi.yaml", "-o", "contracts.toml"],
        ),
        ("[gateway]\noutput = \"openapi.yaml\"\n", &["merge"]),
        (
            "[gateway]\noutput = \"gateway.yaml\"\n[[generate.ts]]\noutput = \"contracts.toml\"\nsource = \"gateway\"\n",
            &["build"],
        ),
        (
            "[gateway]\noutput = \"gateway.yaml\"\n[[generate.ts]]\noutput = \"a.ts\"\nsource = \"gateway\"\n[[generate.ts]]\noutput = \"./a.ts\"\nsource = \"gateway\"\n",
            &["build"],
        ),
    ];
    for (config, args) in cases {
        let (_guard, root) = project(config);
        std::fs::create_dir(root.join("sub")).unwrap();
        let before = snapshot(&root);
        let run = contracts_in(Some(&root), args, None);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("refusing to write"),
            "{args:?}: {}",
            run.stderr
        );
        assert_eq!(snapshot(&root), before, "{args:?} changed files");
    }
}

#[cfg(unix)]
#[test]
fn an_input_reached_through_a_symlink_is_refused_too() {
    let (_guard, root) = project("");
    std::os::unix::fs::symlink(root.join("schemas.yaml"), root.join("types.ts")).unwrap();
    let run = contracts_in(
        Some(&root),
        &["gen", "--ts", "openapi.yaml", "-o", "types.ts"],
        None,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(root.join("schemas.yaml")).unwrap(),
        SCHEMAS
    );
}

#[cfg(unix)]
#[test]
fn symlinked_outputs_keep_their_link_and_devices_stay_devices() {
    use std::os::unix::fs::FileTypeExt;
    let (_guard, root) = project("");
    std::fs::create_dir(root.join("real")).unwrap();
    std::fs::write(root.join("real/types.ts"), "old").unwrap();
    std::os::unix::fs::symlink("real/types.ts", root.join("types.ts")).unwrap();
    let run = contracts_in(
        Some(&root),
        &["gen", "--ts", "openapi.yaml", "-o", "types.ts"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let link = std::fs::symlink_metadata(root.join("types.ts")).unwrap();
    assert!(link.file_type().is_symlink(), "the link stays a link");
    let written = std::fs::read_to_string(root.join("real/types.ts")).unwrap();
    assert!(written.contains("export interface paths"), "{written}");

    let run = contracts_in(
        Some(&root),
        &["gen", "--ts", "openapi.yaml", "-o", "/dev/null"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    let run = contracts_in(
        Some(&root),
        &["gen", "--ts", "openapi.yaml", "-o", "/dev/null", "--check"],
        None,
    );
    assert_eq!(run.code, 2, "a device cannot be checked: {}", run.stderr);
}

#[test]
fn a_hand_written_crate_is_only_taken_over_with_force() {
    let (_guard, root) = project("");
    let manifest = "[package]\nname = \"mine\"\nversion = \"0.1.0\"\n";
    std::fs::create_dir_all(root.join("types/src")).unwrap();
    std::fs::write(root.join("types/Cargo.toml"), manifest).unwrap();
    let args = ["gen", "--rust", "openapi.yaml", "-o", "types"];
    let run = contracts_in(Some(&root), &args, None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("Cargo.toml"),
        "names the file: {}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(root.join("types/Cargo.toml")).unwrap(),
        manifest
    );
    assert!(
        !root.join("types/src/lib.rs").exists(),
        "nothing is written"
    );

    let run = contracts_in(Some(&root), &[&args[..], &["--force"]].concat(), None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Taken over, the files carry the mark: later runs need no `--force`.
    std::fs::write(root.join("schemas.yaml"), SCHEMAS.replace("id:", "key:")).unwrap();
    let run = contracts_in(Some(&root), &args, None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let code = std::fs::read_to_string(root.join("types/src/lib.rs")).unwrap();
    assert!(code.contains("pub key:"), "{code}");
}

#[test]
fn revisions_never_reach_git_as_options() {
    let (_guard, root) = project("");
    commit_all(&root, "x");
    let victim = root.join("victim");
    for hostile in [
        format!("--output={}:openapi.yaml", victim.display()),
        format!("-o{}:openapi.yaml", victim.display()),
        "HEAD:../../../../etc/passwd".to_owned(),
    ] {
        let run = contracts_in(Some(&root), &["diff", "--", &hostile, "openapi.yaml"], None);
        assert_eq!(run.code, 2, "{hostile}: {}", run.stderr);
        assert!(!victim.exists(), "{hostile} wrote a file");
    }
    let run = contracts_in(Some(&root), &["check", "--base=--output=victim"], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!victim.exists());
    let run = contracts_in(
        Some(&root),
        &["diff", "HEAD:openapi.yaml", "openapi.yaml"],
        None,
    );
    assert_eq!(run.code, 0, "a real revision still works: {}", run.stderr);
}

/// A reader that goes away (`contracts gen --ts spec | head -1`) ends the
/// output, not the process with a panic: the command finishes with its own
/// exit code.
#[test]
fn a_closed_stdout_is_no_panic() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let spec = crate::project_root()
        .join("tests/node_modules/@octokit/openapi/generated/api.github.com.json");
    assert!(
        spec.exists(),
        "run `npm ci --prefix tests` (cargo xtask ci does)"
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_contracts"))
        .args(["gen", "--ts"])
        .arg(&spec)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("/**"), "{first}");
    // The reader is gone: every later write fails with a broken pipe.
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
