//! `contracts gen --rust`: the generated types compile (`cargo check` of a
//! crate that includes them) for the shop gateway and the GitHub REST spec.

use std::process::Command;

use crate::{contracts, merge_shop, project_root, work_dir};

#[test]
fn generated_rust_compiles_for_the_shop_and_github() {
    let root = project_root();
    let dir = work_dir("rust-");
    let krate = dir.path();
    std::fs::create_dir_all(krate.join("src")).unwrap();
    for file in ["Cargo.toml", "Cargo.lock", "src/lib.rs"] {
        std::fs::copy(root.join("tests/rust").join(file), krate.join(file)).unwrap();
    }
    let gateway = merge_shop(krate);
    let github = root.join("tests/node_modules/@octokit/openapi/generated/api.github.com.json");
    let mut modules = String::new();
    for (module, spec) in [("shop", gateway.clone()), ("github", github)] {
        let output = krate.join("src").join(format!("{module}.rs"));
        let run = contracts(&[
            "gen",
            "--rust",
            spec.to_str().unwrap(),
            "-o",
            output.to_str().unwrap(),
        ]);
        assert_eq!(run.code, 0, "gen --rust {module}: {}", run.stderr);
        modules.push_str(&format!("pub mod {module};\n"));
    }
    let lib = krate.join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap() + &modules;
    std::fs::write(&lib, text).unwrap();
    let output = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--manifest-path"])
        .arg(krate.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target/rust-check"))
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the generated Rust does not compile:\n{}",
        String::from_utf8_lossy(&output.stderr)
            .lines()
            .filter(|l| l.starts_with("error"))
            .take(20)
            .collect::<Vec<_>>()
            .join("\n")
    );
}
