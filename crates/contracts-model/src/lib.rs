//! The contract model: a typed, normalized view of an OpenAPI 3.0 or 3.1
//! document that merge, diff and the generators share.
//!
//! Architecture invariant: no IO, no YAML, no CLI. Documents arrive as
//! `serde_json::Value`s through the [`Documents`] trait; the loader crate
//! implements it over files.

mod build;
pub mod codes;
mod contract;
pub mod graph;
pub mod json_schema;
pub mod keywords;
mod memory;
pub mod paths;
pub mod pointer;
mod schema;
mod templates;

pub use build::{Documents, build};
pub use contract::*;
pub use keywords::is_annotation;
pub use memory::InMemory;
pub use schema::{Constraints, Discriminator, Schema, SchemaObject, Type};
pub use templates::{template_names, template_shape};
