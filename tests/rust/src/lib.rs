//! What the `gen --rust` test compiles: `round_trip` checks examples
//! against the generated types; the test writes one module per generated
//! file next to this one and lists them below.

pub mod round_trip;
