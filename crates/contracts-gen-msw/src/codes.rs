//! The diagnostic codes `gen --msw` raises (warnings: the handlers are made
//! all the same). Tools match on these; never rename one.

contracts_diagnostics::codes! {
    /// An example does not match its schema, so the mock uses generated data instead.
    INVALID_EXAMPLE = "invalid-example";
    /// The schemas could not be compiled for checking examples, so the mocks use none.
    EXAMPLES_UNCHECKED = "examples-unchecked";
    /// Only a member outside the TypeScript types makes a mock body match
    /// exactly one `oneOf` branch, so that body is not `satisfies`-checked.
    MOCK_OUTSIDE_TYPES = "mock-outside-types";
    /// A mock hit one of the generator's limits (depth, size, a schema with
    /// no finite value), so it may not match its schema or type.
    MOCK_LIMITED = "mock-limited";
}
