//! Misuse of `#[cross_origin]` is a compile error that says how to fix it: below the route
//! macro or without one, an unknown option, a value of the wrong type, a route method actix-web
//! would refuse. Each case's expected
//! message is the `.stderr` beside it (`TRYBUILD=overwrite` rewrites them).

#[test]
fn misuse_of_the_route_attribute_does_not_compile() {
    trybuild::TestCases::new().compile_fail("tests/compile_fail/*.rs");
}
