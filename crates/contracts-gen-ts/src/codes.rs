//! The diagnostic codes `gen --ts` raises (warnings: the output is made all
//! the same). Tools match on these; never rename one.

contracts_diagnostics::codes! {
    /// `additionalProperties` beside `allOf`/`oneOf`/`anyOf` does not see the
    /// parts' properties, so taken literally no object (`false`) or not every
    /// declared property (a schema) fits; the types follow the parts.
    ADDITIONAL_PROPERTIES_BESIDE_COMPOSITION = "additional-properties-beside-composition";
    /// A schema's `type` admits no value of its `allOf`/`oneOf`/`anyOf`
    /// (`type: 'null'` beside a `oneOf` of string and number), so taken
    /// literally it is `never`; the types follow the composition.
    TYPE_CONTRADICTS_COMPOSITION = "type-contradicts-composition";
}
