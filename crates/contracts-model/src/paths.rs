//! Where the file part of a `$ref` points, decided lexically (no IO), so the
//! loader, the in-memory documents and the merger agree on file identity.

use std::path::{Component, Path, PathBuf};

use percent_encoding::percent_decode_str;

/// Lexically resolves `.` and `..` (the file may not exist).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The file a `$ref`'s file part (`../common.yaml`, `a%20b.yaml`) names,
/// relative to the file the ref is written in.
pub fn ref_target_file(referring_file: &Path, file_part: &str) -> Result<PathBuf, String> {
    let decoded = percent_decode_str(file_part)
        .decode_utf8()
        .map_err(|_| format!("`{file_part}` is not valid percent-encoded UTF-8"))?;
    let base = referring_file.parent().unwrap_or(Path::new(""));
    Ok(normalize(&base.join(decoded.as_ref())))
}

/// True for refs that name a network location (never fetched).
pub fn is_remote(file_part: &str) -> bool {
    file_part.to_ascii_lowercase().contains("://") || file_part.starts_with("//")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ref_files_resolve_relative_to_the_referring_file() {
        let target =
            ref_target_file(Path::new("/p/api/openapi.yaml"), "../common/a%20b.yaml").unwrap();
        assert_eq!(target, Path::new("/p/common/a b.yaml"));
        assert_eq!(
            ref_target_file(Path::new("api.yaml"), "./x.yaml").unwrap(),
            Path::new("x.yaml")
        );
        assert!(is_remote("HTTPS://example.com/a.yaml"));
        assert!(is_remote("//cdn.example.com/a.yaml"));
        assert!(!is_remote("a.yaml"));
    }
}
