//! The diagnostic codes merging raises. Tools match on these; never rename one.

contracts_diagnostics::codes! {
    /// A `$ref` of a service that cannot be followed while bundling it.
    MERGE_REF = "merge-ref";
    /// A service uses what the gateway's pinned OpenAPI version cannot
    /// express (`webhooks` or a 3.1 schema construct in a 3.0 gateway).
    MERGE_VERSION = "merge-version";
    /// Two services produce the same method and gateway path.
    PATH_CONFLICT = "merge-path-conflict";
    /// A component of the same name differs between services while
    /// `collisions = "error"`.
    COMPONENT_COLLISION = "merge-component-collision";
    /// Two services use the same `operationId` while `collisions = "error"`.
    OPERATION_ID_COLLISION = "merge-operation-id-collision";
    /// Two services describe a tag of the same name differently; the first
    /// service's description is kept (a warning).
    TAG_CONFLICT = "merge-tag-conflict";
}
