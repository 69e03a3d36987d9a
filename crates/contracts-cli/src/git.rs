//! Reading a revision of the repository: a tree exported to a temporary
//! folder, and git run with user text only after `--end-of-options`.

use std::path::Path;
use std::process::Command;

/// What [`export_tree`] exports.
#[derive(Debug, Clone, Copy)]
pub enum Revision<'a> {
    /// The staged version of every file: what a pre-commit hook must check.
    Index,
    /// A revision as the user wrote it (`HEAD`, `main~2`, a hash).
    Named(&'a str),
}

/// Where the project folder `dir` sits inside its repository, and so inside
/// an exported tree.
pub fn project_in_repository(dir: &Path) -> Result<std::path::PathBuf, String> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    Ok(dir
        .strip_prefix(top.trim())
        .map(Path::to_owned)
        .unwrap_or_default())
}

/// The whole tree of a git revision of the repository holding `repo`,
/// written to a temporary folder.
pub fn export_tree(repo: &Path, revision: Revision) -> Result<tempfile::TempDir, String> {
    let folder = tempfile::Builder::new()
        .prefix("contracts-git-")
        .tempdir()
        .map_err(|e| e.to_string())?;
    let top = git(repo, &["rev-parse", "--show-toplevel"])?;
    let top = Path::new(top.trim());
    let status = match revision {
        Revision::Index => {
            let prefix = format!("--prefix={}/", folder.path().display());
            Command::new("git")
                .arg("-C")
                .arg(top)
                .args(["checkout-index", "--all", &prefix])
                .status()
        }
        Revision::Named(reference) => {
            // Only the verified tree's hash reaches `git archive`: user text never becomes an option.
            let tree = tree_of(top, reference)?;
            let archive = Command::new("git")
                .arg("-C")
                .arg(top)
                .args(["archive", "--format=tar", "--end-of-options", &tree])
                .output()
                .map_err(|e| format!("cannot run git: {e}"))?;
            if !archive.status.success() {
                return Err(String::from_utf8_lossy(&archive.stderr).trim().to_owned());
            }
            let mut tar = Command::new("tar")
                .args(["-x", "-C"])
                .arg(folder.path())
                .stdin(std::process::Stdio::piped())
                .spawn()
                .map_err(|e| format!("cannot run tar: {e}"))?;
            use std::io::Write;
            tar.stdin
                .take()
                .expect("piped")
                .write_all(&archive.stdout)
                .map_err(|e| e.to_string())?;
            tar.wait()
        }
    };
    match status {
        Ok(status) if status.success() => Ok(folder),
        Ok(status) => Err(format!("git export failed ({status})")),
        Err(error) => Err(error.to_string()),
    }
}

/// The hash of the tree `reference` names in the repository at `top`. A
/// reference starting with `-` is refused outright: git would read it as an option.
fn tree_of(top: &Path, reference: &str) -> Result<String, String> {
    if reference.starts_with('-') {
        return Err(format!(
            "`{reference}` is not a revision (it starts with `-`)"
        ));
    }
    let tree = format!("{reference}^{{tree}}");
    let hash = git(
        top,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &tree,
        ],
    )
    .map_err(|_| format!("`{reference}` is not a revision of this repository"))?;
    let hash = hash.trim();
    if hash.is_empty() || !hash.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return Err(format!(
            "`{reference}` is not a revision of this repository"
        ));
    }
    Ok(hash.to_owned())
}

/// Runs git in `dir` and returns its output.
pub fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
    }
}
