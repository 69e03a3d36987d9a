//! Writing generated files: atomically, and only when the content changed.

use std::io::Write;
use std::path::Path;

/// What happened to an output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// The file already held exactly this content; it was not touched (mtime kept).
    Unchanged,
    Written,
}

/// Writes `content` to `path` through a temporary file in the same folder
/// and a rename, so readers never see half a file and a failure leaves the
/// previous file intact.
pub fn write_if_changed(path: &Path, content: &str) -> std::io::Result<Written> {
    if std::fs::read(path).is_ok_and(|existing| existing == content.as_bytes()) {
        return Ok(Written::Unchanged);
    }
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

/// A unified diff from the file on disk to the expected content, or `None` when equal.
pub fn stale_diff(path: &Path, expected: &str) -> Option<String> {
    let current = std::fs::read_to_string(path).unwrap_or_default();
    if current == expected {
        return None;
    }
    let name = path.display().to_string();
    Some(
        similar::TextDiff::from_lines(&current, expected)
            .unified_diff()
            .context_radius(3)
            .header(&format!("{name} (on disk)"), &format!("{name} (expected)"))
            .to_string(),
    )
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
        assert_eq!(stale_diff(&path, "a: 1\nb: 2\n"), None);
        let diff = stale_diff(&path, "a: 1\nb: 3\n").unwrap();
        assert!(diff.contains("-b: 2\n+b: 3\n"), "{diff}");
        assert!(diff.contains("(on disk)"), "{diff}");
    }
}
