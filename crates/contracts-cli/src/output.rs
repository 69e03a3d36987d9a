//! Writing generated files: atomically, only when the content changed, and
//! never over a file the run reads or a file someone else wrote.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use contracts_config::Config;
use contracts_load::{Loaded, Sources};

use crate::status::{Status, out};

/// What happened to an output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// The file already held exactly this content; it was not touched (mtime kept).
    Unchanged,
    Written,
}

/// Symlinks one after another deeper than this are refused, as the kernel does.
const MAX_LINKS: usize = 40;

/// Writes (or with `check`, compares) one output and says what happened.
pub fn write_output(output: &Path, content: &str, check: bool) -> Status {
    match settle(output, content, check) {
        Ok((status, outcome)) => {
            eprintln!("{}: {outcome}", output.display());
            status
        }
        Err(error) => {
            let doing = if check { "check" } else { "write" };
            eprintln!("error: cannot {doing} `{}`: {error}", output.display());
            Status::Error
        }
    }
}

/// Writes (or with `check`, compares) one output; a stale file's diff goes
/// to stdout. The outcome and how it is called (`written`, `stale`, ...).
pub fn settle(output: &Path, content: &str, check: bool) -> Result<(Status, &'static str), String> {
    if check {
        return Ok(match stale_diff(output, content)? {
            None => (Status::Success, "up to date"),
            Some(diff) => {
                out!("{diff}");
                (Status::Failure, "stale")
            }
        });
    }
    match write_if_changed(output, content).map_err(|error| error.to_string())? {
        Written::Written => Ok((Status::Success, "written")),
        Written::Unchanged => Ok((Status::Success, "unchanged")),
    }
}

/// Writes `content` to `path`. A regular file (or a new one) is replaced
/// through a temporary file in the same folder and a rename, so readers
/// never see half a file and a failure leaves the previous file intact; a
/// symlink is written through (its target replaced, the link kept). A
/// device or FIFO (`/dev/stdout`, `/dev/null`, a pipe) is written to as a
/// stream, never read and never replaced.
pub fn write_if_changed(path: &Path, content: &str) -> std::io::Result<Written> {
    match std::fs::metadata(path) {
        Ok(metadata) if metadata.is_dir() => Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a folder",
        )),
        Ok(metadata) if !metadata.is_file() => {
            let mut stream = std::fs::OpenOptions::new().write(true).open(path)?;
            stream.write_all(content.as_bytes())?;
            Ok(Written::Written)
        }
        Ok(metadata) => {
            // The size first: a large unrelated file is not read just to differ.
            let same = metadata.len() == content.len() as u64
                && std::fs::read(path).is_ok_and(|existing| existing == content.as_bytes());
            if same {
                return Ok(Written::Unchanged);
            }
            replace(&link_target(path)?, content)
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            replace(&link_target(path)?, content)
        }
        Err(error) => Err(error),
    }
}

/// Atomically replaces (or creates) the regular file at `path`.
fn replace(path: &Path, content: &str) -> std::io::Result<Written> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(folder)?;
    let mut temporary = tempfile::Builder::new()
        .prefix(".contracts-")
        .tempfile_in(folder)?;
    temporary.write_all(content.as_bytes())?;
    // A temporary file is private (0600); the output keeps the old file's
    // permissions, or gets the usual ones for a new file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |metadata| metadata.permissions().mode());
        temporary
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|error| error.error)?;
    Ok(Written::Written)
}

/// Where writing `path` must land: the end of its chain of symlinks (which
/// may not exist yet), or `path` itself when it is no link.
fn link_target(path: &Path) -> std::io::Result<PathBuf> {
    let mut current = path.to_owned();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let link = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(folder) => folder.join(link),
                    None => link,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// A unified diff from the file on disk to the expected content, or `None`
/// when equal. A missing file counts as empty; a device or FIFO cannot be
/// compared (reading it could block or never end).
pub fn stale_diff(path: &Path, expected: &str) -> Result<Option<String>, String> {
    let current = match std::fs::metadata(path) {
        Ok(metadata) if metadata.is_file() => std::fs::read(path)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .map_err(|error| error.to_string())?,
        Ok(_) => return Err("only a regular file can be checked".to_owned()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(error) => return Err(error.to_string()),
    };
    if current == expected {
        return Ok(None);
    }
    let name = path.display().to_string();
    Ok(Some(
        similar::TextDiff::from_lines(&current, expected)
            .unified_diff()
            .context_radius(3)
            .header(&format!("{name} (on disk)"), &format!("{name} (expected)"))
            .to_string(),
    ))
}

/// The one file a path names, however it is spelled: links followed, `..`
/// resolved, relative to the working folder. For a file that does not
/// exist yet, its folder's canonical path and its name.
pub fn canonical(path: &Path) -> PathBuf {
    let target = link_target(path).unwrap_or_else(|_| path.to_owned());
    if let Ok(found) = std::fs::canonicalize(&target) {
        return found;
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let absolute = contracts_load::normalize(&cwd.join(&target));
    match (absolute.parent(), absolute.file_name()) {
        (Some(folder), Some(name)) => std::fs::canonicalize(folder)
            .map_or_else(|_| absolute.clone(), |folder| folder.join(name)),
        _ => absolute,
    }
}

/// The canonical path of every file a loaded spec read (and of those it
/// wanted but could not read), with how the user knows it.
pub fn spec_inputs(sources: &Sources) -> Vec<(PathBuf, String)> {
    (sources.files().iter().map(|file| file.path.as_path()))
        .chain(sources.failed().iter().map(PathBuf::as_path))
        .map(|path| (canonical(path), format!("a spec file `{}`", path.display())))
        .collect()
}

/// The files one run reads and writes, so that no output is an input of
/// the same run and no two outputs are the same file.
#[derive(Default)]
pub struct Plan {
    /// Canonical path of each input, and how the user knows it.
    inputs: HashMap<PathBuf, String>,
    /// Canonical path of each output claimed so far, and how it is named.
    outputs: HashMap<PathBuf, PathBuf>,
}

impl Plan {
    /// Marks `path` as read by this run (`what`: "the config", "a spec").
    pub fn input(&mut self, path: &Path, what: &str) {
        (self.inputs).insert(canonical(path), format!("{what} `{}`", path.display()));
    }

    /// Marks every file a loaded spec read (and those it wanted but could not read).
    pub fn spec(&mut self, sources: &Sources) {
        self.inputs.extend(spec_inputs(sources));
    }

    /// Marks inputs found by [`spec_inputs`] before (`watch` keeps them with
    /// each service's load, rather than resolving every file's links again
    /// on every edit).
    pub fn known_inputs(&mut self, inputs: &[(PathBuf, String)]) {
        self.inputs.extend(inputs.iter().cloned());
    }

    /// A plan whose inputs are the config and every file of its loaded services.
    pub fn project<'l>(config: &Config, loaded: impl IntoIterator<Item = &'l Loaded>) -> Plan {
        let mut plan = Plan::default();
        plan.input(&config.file, "the config");
        for spec in loaded {
            plan.spec(&spec.sources);
        }
        plan
    }

    /// Claims `output` for writing; the reason when it may not be written.
    pub fn output(&mut self, output: &Path) -> Result<(), String> {
        let target = canonical(output);
        if let Some(input) = self.inputs.get(&target) {
            return Err(format!(
                "refusing to write `{}`: it is {input}, an input of this run",
                output.display()
            ));
        }
        if let Some(first) = self.outputs.get(&target) {
            return Err(format!(
                "refusing to write `{}` twice in one run (also the output `{}`)",
                output.display(),
                first.display()
            ));
        }
        self.outputs.insert(target, output.to_owned());
        Ok(())
    }
}

/// Whether `path` may be overwritten by a generator that marks its files
/// with `mark` in their first line: it does not exist, is not a regular
/// file (a device, a FIFO), or starts with the mark.
pub fn generated_by_us(path: &Path, mark: &str) -> bool {
    let Ok(metadata) = std::fs::metadata(path) else {
        return true;
    };
    if !metadata.is_file() {
        return true;
    }
    let mut start = Vec::new();
    let read = std::fs::File::open(path)
        .and_then(|file| file.take(512).read_to_end(&mut start))
        .is_ok();
    let first_line = start
        .split(|&byte| byte == b'\n')
        .next()
        .unwrap_or_default();
    read && String::from_utf8_lossy(first_line).contains(mark)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_files_are_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deep/out.yaml");
        assert_eq!(write_if_changed(&path, "a: 1\n").unwrap(), Written::Written);
        let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(
            write_if_changed(&path, "a: 1\n").unwrap(),
            Written::Unchanged
        );
        assert_eq!(
            std::fs::metadata(&path).unwrap().modified().unwrap(),
            modified
        );
        assert_eq!(write_if_changed(&path, "a: 2\n").unwrap(), Written::Written);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a: 2\n");
        let leftovers = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(
                mode & 0o044,
                0o044,
                "readable by others like any new file: {mode:o}"
            );
        }
    }

    #[test]
    fn stale_diff_is_unified() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.yaml");
        std::fs::write(&path, "a: 1\nb: 2\n").unwrap();
        assert_eq!(stale_diff(&path, "a: 1\nb: 2\n"), Ok(None));
        let diff = stale_diff(&path, "a: 1\nb: 3\n").unwrap().unwrap();
        assert!(diff.contains("-b: 2\n+b: 3\n"), "{diff}");
        assert!(diff.contains("(on disk)"), "{diff}");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_written_through_and_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real/types.ts");
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, "old").unwrap();
        let link = dir.path().join("types.ts");
        std::os::unix::fs::symlink("real/types.ts", &link).unwrap();
        assert_eq!(write_if_changed(&link, "new").unwrap(), Written::Written);
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        // A dangling link gets its target created.
        let dangling = dir.path().join("later.ts");
        std::os::unix::fs::symlink("real/later.ts", &dangling).unwrap();
        write_if_changed(&dangling, "x").unwrap();
        assert!(
            std::fs::symlink_metadata(&dangling)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("real/later.ts")).unwrap(),
            "x"
        );
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_are_streams_never_read_or_replaced() {
        use std::os::unix::fs::FileTypeExt;
        write_if_changed(Path::new("/dev/null"), "anything").unwrap();
        assert!(
            std::fs::metadata("/dev/null")
                .unwrap()
                .file_type()
                .is_char_device()
        );
        assert!(
            stale_diff(Path::new("/dev/zero"), "x").is_err(),
            "never read to the end"
        );

        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|status| status.success()) {
            eprintln!("skipped the FIFO half: mkfifo is not available");
            return;
        }
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        assert_eq!(
            write_if_changed(&fifo, "through").unwrap(),
            Written::Written
        );
        assert_eq!(reader.join().unwrap(), "through");
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    }

    #[test]
    fn a_plan_refuses_inputs_and_second_writes_however_they_are_spelled() {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("spec.yaml");
        std::fs::write(&spec, "openapi: 3.1.0").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let mut plan = Plan::default();
        plan.input(&spec, "a spec");
        let error = plan
            .output(&dir.path().join("sub/../spec.yaml"))
            .unwrap_err();
        assert!(error.contains("an input of this run"), "{error}");
        #[cfg(unix)]
        {
            let link = dir.path().join("link.yaml");
            std::os::unix::fs::symlink(&spec, &link).unwrap();
            assert!(
                plan.output(&link).is_err(),
                "a link to an input is that input"
            );
        }
        plan.output(&dir.path().join("new/out.ts")).unwrap();
        let error = plan.output(&dir.path().join("new/./out.ts")).unwrap_err();
        assert!(error.contains("twice"), "{error}");
    }

    #[test]
    fn only_files_carrying_the_mark_are_ours() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lib.rs");
        assert!(generated_by_us(&path, "generated by us"), "a new file");
        std::fs::write(&path, "// generated by us\nfn x() {}\n").unwrap();
        assert!(generated_by_us(&path, "generated by us"));
        std::fs::write(&path, "fn mine() {}\n// generated by us\n").unwrap();
        assert!(
            !generated_by_us(&path, "generated by us"),
            "the mark must open the file"
        );
    }
}
