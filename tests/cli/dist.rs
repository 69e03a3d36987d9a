//! Installing the way each ecosystem expects. npm: the packages
//! `cargo xtask dist npm` makes (here from the test's own binary), packed,
//! installed from their tarballs into an empty project, then `npx contracts`
//! runs on a copy of the shop; without the platform package the wrapper says
//! what to do. cargo: `cargo install --path crates/contracts-cli`.

use std::path::Path;
use std::process::{Command, Output};

use crate::{copy_dir, project_root};

fn run(program: &str, args: &[&str], dir: &Path) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|error| panic!("{program} runs: {error}"))
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn npm_packages_install_from_their_tarballs_and_run() {
    let dir = tempfile::tempdir().unwrap();
    let packages = dir.path().join("packages");
    let made = Command::new(env!("CARGO"))
        .args([
            "xtask",
            "dist",
            "npm",
            "--binary",
            env!("CARGO_BIN_EXE_contracts"),
            "--out",
        ])
        .arg(&packages)
        .current_dir(project_root())
        .output()
        .expect("cargo runs");
    assert!(made.status.success(), "{}", text(&made));
    let tarballs: Vec<String> = String::from_utf8_lossy(&made.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(tarballs.len(), 2, "{}", text(&made));
    let install = |project: &Path, tarballs: &[&str]| {
        std::fs::create_dir_all(project).unwrap();
        std::fs::write(
            project.join("package.json"),
            "{\"name\": \"app\", \"private\": true}\n",
        )
        .unwrap();
        let mut args = vec!["install", "--no-audit", "--no-fund", "--offline"];
        args.extend(tarballs);
        let installed = run("npm", &args, project);
        assert!(installed.status.success(), "{}", text(&installed));
    };

    let app = dir.path().join("app");
    install(&app, &[&tarballs[0], &tarballs[1]]);
    let version = run("npx", &["contracts", "--version"], &app);
    assert!(version.status.success(), "{}", text(&version));
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("contracts {}", env!("CARGO_PKG_VERSION"))
    );
    copy_dir(&project_root().join("fixtures/shop"), &app.join("shop"));
    let build = run(
        "npx",
        &["contracts", "build", "--config", "shop/contracts.toml"],
        &app,
    );
    assert!(build.status.success(), "{}", text(&build));
    assert!(app.join("shop/gateway/openapi.yaml").exists());
    // Exit codes pass through the wrapper.
    let usage = run(
        "npx",
        &["contracts", "merge", "--config", "missing.toml"],
        &app,
    );
    assert_eq!(usage.status.code(), Some(2), "{}", text(&usage));

    // Only the wrapper (the optional platform package could not be fetched).
    let bare = dir.path().join("bare");
    let wrapper = tarballs
        .iter()
        .find(|t| t.contains("contracts-cli-contracts-"))
        .unwrap();
    install(&bare, &[wrapper]);
    let missing = run("npx", &["contracts", "--version"], &bare);
    assert_eq!(missing.status.code(), Some(2), "{}", text(&missing));
    assert!(
        text(&missing).contains("@contracts-cli/linux-x64-gnu, the binary for this machine (linux-x64-gnu), is not installed")
            && text(&missing).contains("npm i -D @contracts-cli/linux-x64-gnu"),
        "{}",
        text(&missing)
    );
}

#[test]
fn cargo_install_from_the_repository() {
    let root = tempfile::tempdir().unwrap();
    // The test build's own artifacts serve the install: no second full build.
    let installed = Command::new(env!("CARGO"))
        .args([
            "install",
            "--quiet",
            "--debug",
            "--path",
            "crates/contracts-cli",
            "--root",
        ])
        .arg(root.path())
        .env("CARGO_TARGET_DIR", project_root().join("target"))
        .current_dir(project_root())
        .output()
        .expect("cargo runs");
    assert!(installed.status.success(), "{}", text(&installed));
    let version = run(
        root.path().join("bin/contracts").to_str().unwrap(),
        &["--version"],
        root.path(),
    );
    assert!(version.status.success(), "{}", text(&version));
}

/// The GitHub Action's script, run as the action runs it (inputs in the
/// environment, a fake `GITHUB_STEP_SUMMARY`): annotations on stdout, the
/// Markdown report with who is affected in the summary, `check`'s exit code.
#[test]
fn the_action_script_annotates_the_diff_and_writes_the_job_summary() {
    let action = std::fs::read_to_string(project_root().join("action.yml")).unwrap();
    assert!(
        action.contains("using: composite")
            && action.contains("$GITHUB_ACTION_PATH/action/check.sh")
    );
    let dir = tempfile::tempdir().unwrap();
    let shop = dir.path().join("shop");
    copy_dir(&project_root().join("fixtures/shop"), &shop);
    crate::commit_all(&shop, "shop");
    let spec = shop.join("services/order/openapi.yaml");
    let edited = std::fs::read_to_string(&spec).unwrap().replacen(
        "        - name: customerId\n          in: query\n",
        "        - name: customerId\n          in: query\n          required: true\n",
        1,
    );
    std::fs::write(&spec, edited).unwrap();
    let summary = dir.path().join("summary.md");
    let script = |base: &str| {
        Command::new("bash")
            .arg(project_root().join("action/check.sh"))
            .current_dir(&shop)
            .env("CONTRACTS", env!("CARGO_BIN_EXE_contracts"))
            .env("CONTRACTS_BASE", base)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env_remove("GITHUB_BASE_REF")
            .env("NO_COLOR", "1")
            .output()
            .expect("bash runs")
    };
    let run = script("HEAD");
    assert_eq!(run.status.code(), Some(1), "{}", text(&run));
    assert!(
        String::from_utf8_lossy(&run.stdout)
            .contains("::error file=services/order/openapi.yaml,line=46,"),
        "{}",
        text(&run)
    );
    let written = std::fs::read_to_string(&summary).unwrap();
    assert!(
        written.contains("### API changes: `order @ HEAD`")
            && written.contains("| web | 1 | 1 | `GET /` |"),
        "{written}"
    );
    // Committed, and compared with the commit before (no base given, no pull request).
    assert!(
        crate::git(&shop, &["commit", "-q", "-am", "break"])
            .status
            .success()
    );
    assert_eq!(script("").status.code(), Some(1));
    assert!(
        crate::git(&shop, &["commit", "-q", "--allow-empty", "-m", "nothing"])
            .status
            .success()
    );
    assert_eq!(script("").status.code(), Some(0));
}
