//! Compile-fail tests: every shape and attribute stream-sea cannot express
//! is a spanned error that says what to do instead. The expected messages
//! are in `tests/ui/*.stderr`.

#[test]
fn rejected_shapes_and_attributes() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
