//! The diagnostic codes `gen --rust` raises. Tools match on these; never rename one.

contracts_diagnostics::codes! {
    /// A schema typify cannot represent became `serde_json::Value` (a warning).
    RUST_TYPE_DEGRADED = "rust-type-degraded";
    /// The Rust code could not be generated or printed (an error; nothing is written).
    RUST_GENERATION_FAILED = "rust-generation-failed";
}
