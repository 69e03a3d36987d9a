//! `cargo xtask dist npm [--binary PATH] [--out DIR]`: the npm packages in
//! `target/dist/` (or `--out`): `@contracts-cli/contracts`, the wrapper with
//! the `contracts` bin that runs the binary of the machine's platform, and
//! the platform package of this machine holding that binary (built with the
//! `dist` profile unless `--binary` names one). Each is packed with
//! `npm pack`; the tarballs' paths are printed, one per line.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::json;

use crate::project_root;

const SCOPE: &str = "@contracts-cli";

pub fn run(args: &[String]) -> Result<(), String> {
    if args.first().map(String::as_str) != Some("npm") {
        return Err("usage: cargo xtask dist npm [--binary PATH] [--out DIR]".to_owned());
    }
    let value = |flag: &str| {
        (args.iter().position(|arg| arg == flag)).and_then(|index| args.get(index + 1))
    };
    let root = project_root();
    let binary = match value("--binary") {
        Some(path) => PathBuf::from(path),
        None => {
            crate::run(
                "cargo",
                &[
                    "build",
                    "--profile",
                    "dist",
                    "--quiet",
                    "--package",
                    "contracts-cli",
                ],
            )?;
            root.join("target/dist/contracts")
        }
    };
    let out = value("--out").map_or_else(|| root.join("target/dist/npm"), PathBuf::from);
    let version = cli_version(&root)?;
    let key = platform_key()?;
    let size = std::fs::metadata(&binary)
        .map_err(|error| format!("{}: {error}", binary.display()))?
        .len();
    eprintln!("binary: {} ({:.1} MB)", binary.display(), size as f64 / 1e6);

    // The platform package: the binary, and what npm matches it on.
    let platform = out.join(&key);
    let _ = std::fs::remove_dir_all(&platform);
    std::fs::create_dir_all(platform.join("bin")).map_err(|error| error.to_string())?;
    let executable = if key.starts_with("win32") {
        "contracts.exe"
    } else {
        "contracts"
    };
    std::fs::copy(&binary, platform.join("bin").join(executable))
        .map_err(|error| error.to_string())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            platform.join("bin").join(executable),
            std::fs::Permissions::from_mode(0o755),
        )
        .map_err(|error| error.to_string())?;
    }
    let (os, cpu, libc) = npm_fields(&key);
    let mut manifest = json!({
        "name": format!("{SCOPE}/{key}"),
        "version": version,
        "description": format!("The contracts binary for {key}."),
        "license": "MIT OR Apache-2.0",
        "os": [os],
        "cpu": [cpu],
        "files": ["bin"],
        "preferUnplugged": true,
    });
    if let Some(libc) = libc {
        manifest["libc"] = json!([libc]);
    }
    write_json(&platform.join("package.json"), &manifest)?;

    // The wrapper: every platform package an optional dependency, npm installs the matching one.
    let wrapper = out.join("contracts");
    let _ = std::fs::remove_dir_all(&wrapper);
    std::fs::create_dir_all(wrapper.join("bin")).map_err(|error| error.to_string())?;
    let script = root.join("npm/contracts/bin/contracts.js");
    std::fs::copy(&script, wrapper.join("bin/contracts.js")).map_err(|error| error.to_string())?;
    let optional: serde_json::Map<String, serde_json::Value> = (platforms(&script)?.into_iter())
        .map(|key| (format!("{SCOPE}/{key}"), json!(version)))
        .collect();
    write_json(
        &wrapper.join("package.json"),
        &json!({
            "name": format!("{SCOPE}/contracts"),
            "version": version,
            "description": "Keep OpenAPI contracts in sync across services: merge, generate TypeScript, Rust and MSW mocks, check breaking changes, watch.",
            "license": "MIT OR Apache-2.0",
            "bin": {"contracts": "bin/contracts.js"},
            "files": ["bin"],
            "engines": {"node": ">=18"},
            "optionalDependencies": optional,
        }),
    )?;
    for folder in [&platform, &wrapper] {
        let output = Command::new("npm")
            .args(["pack", "--silent", "--pack-destination"])
            .arg(&out)
            .current_dir(folder)
            .output()
            .map_err(|error| format!("cannot run npm: {error}"))?;
        if !output.status.success() {
            return Err(format!(
                "npm pack in {}: {}",
                folder.display(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let tarball = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        println!("{}", out.join(tarball).display());
    }
    Ok(())
}

/// The platforms the wrapper looks up: its `PLATFORMS` list, the one list
/// of them (the optional dependencies follow it).
fn platforms(script: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(script)
        .map_err(|error| format!("{}: {error}", script.display()))?;
    let list = (text.split_once("const PLATFORMS = ["))
        .and_then(|(_, rest)| rest.split_once("];"))
        .map(|(list, _)| list)
        .ok_or_else(|| format!("{}: no `const PLATFORMS = [...]`", script.display()))?;
    Ok((list.split(','))
        .map(|item| item.trim().trim_matches('"').to_owned())
        .filter(|item| !item.is_empty())
        .collect())
}

/// This machine's platform key, as the wrapper names it.
fn platform_key() -> Result<String, String> {
    let os = match std::env::consts::OS {
        "linux" => "linux",
        "macos" => "darwin",
        "windows" => "win32",
        other => return Err(format!("no npm platform for {other}")),
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        other => return Err(format!("no npm platform for {other}")),
    };
    let libc = if cfg!(target_env = "musl") {
        "-musl"
    } else {
        "-gnu"
    };
    Ok(match os {
        "linux" => format!("{os}-{arch}{libc}"),
        _ => format!("{os}-{arch}"),
    })
}

/// npm's `os`, `cpu` and `libc` of a platform key.
fn npm_fields(key: &str) -> (&str, &str, Option<&str>) {
    let mut parts = key.split('-');
    let os = parts.next().unwrap_or_default();
    let cpu = parts.next().unwrap_or_default();
    let libc = parts
        .next()
        .map(|libc| if libc == "gnu" { "glibc" } else { libc });
    (os, cpu, libc)
}

/// The CLI crate's version: what the packages are published as.
fn cli_version(root: &Path) -> Result<String, String> {
    let path = root.join("crates/contracts-cli/Cargo.toml");
    let text =
        std::fs::read_to_string(&path).map_err(|error| format!("{}: {error}", path.display()))?;
    let manifest: toml::Value = toml::from_str(&text).map_err(|error| error.to_string())?;
    (manifest
        .get("package")
        .and_then(|package| package.get("version")))
    .and_then(toml::Value::as_str)
    .map(str::to_owned)
    .ok_or_else(|| format!("{}: no package version", path.display()))
}

fn write_json(path: &Path, value: &serde_json::Value) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value).expect("a manifest serializes") + "\n";
    std::fs::write(path, text).map_err(|error| format!("{}: {error}", path.display()))
}
