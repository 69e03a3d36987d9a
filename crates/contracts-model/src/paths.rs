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

/// The file part of a `$ref` written in `referring_file` to `target` (both
/// normalized): `../common/errors.yaml`; `%` and `#` percent-encoded.
pub fn relative_ref(referring_file: &Path, target: &Path) -> String {
    let base: Vec<_> = referring_file
        .parent()
        .unwrap_or(Path::new(""))
        .components()
        .collect();
    let target: Vec<_> = target.components().collect();
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let ups = std::iter::repeat_n("..".to_owned(), base.len() - common);
    let downs =
        (target[common..].iter()).map(|part| part.as_os_str().to_string_lossy().into_owned());
    let parts: Vec<String> = ups.chain(downs).collect();
    parts.join("/").replace('%', "%25").replace('#', "%23")
}

/// True for refs that name a network location (never fetched).
pub fn is_remote(file_part: &str) -> bool {
    file_part.to_ascii_lowercase().contains("://") || file_part.starts_with("//")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_refs_climb_to_the_common_folder() {
        let from = Path::new("/p/services/catalog/parameters.yaml");
        for (target, expected) in [
            ("/p/services/catalog/definitions.yaml", "definitions.yaml"),
            ("/p/common/errors.yaml", "../../common/errors.yaml"),
            ("/p/services/catalog/paths/a b.yaml", "paths/a b.yaml"),
            ("/p/services/catalog/100%#1.yaml", "100%25%231.yaml"),
        ] {
            let written = relative_ref(from, Path::new(target));
            assert_eq!(written, expected);
            assert_eq!(ref_target_file(from, &written).unwrap(), Path::new(target));
        }
    }

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
