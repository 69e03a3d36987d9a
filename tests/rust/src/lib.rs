// The test writes one module per generated file next to this one and lists them here.
