//! The diagnostic codes the loader raises: input that cannot be read, and
//! `$ref`s it refuses to follow. It also raises the model's `ref-*` codes
//! ([`contracts_model::codes`]) for refs it cannot resolve.

contracts_diagnostics::codes! {
    /// A file cannot be read (permissions, a folder, a broken link).
    IO = "io";
    /// A file is not valid UTF-8.
    NOT_UTF8 = "not-utf8";
    /// A file is not valid JSON or YAML (or nests deeper than 128 levels).
    SYNTAX = "syntax";
    /// A file is larger than 256 MB.
    TOO_LARGE = "too-large";
    /// A `$ref`ed file exists but cannot be read or parsed.
    REF_UNREADABLE = "ref-unreadable";
    /// A `$ref` to a URL: remote references are refused, never fetched.
    REF_REMOTE = "ref-remote";
    /// A `$ref` to a file outside the project root (lexically or through a symlink).
    REF_OUTSIDE_ROOT = "ref-outside-root";
    /// A Swagger 2.0 construct that OpenAPI 3 cannot say, met while reading
    /// a 2.0 document as 3.0 (a `collectionFormat` of `tsv`, or one other
    /// than `csv` outside the query); the converted document does without it.
    SWAGGER_UNCONVERTED = "swagger-unconverted";
}

/// Faults that leave no usable contract behind: the loader's and the
/// model's ([`contracts_model::codes::is_fatal`]).
pub fn is_fatal(code: &str) -> bool {
    matches!(
        code,
        IO | NOT_UTF8 | SYNTAX | TOO_LARGE | REF_UNREADABLE | REF_REMOTE | REF_OUTSIDE_ROOT
    ) || contracts_model::codes::is_fatal(code)
}
