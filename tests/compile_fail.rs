//! Misuse of `#[cross_origin]` is a compile error that says how to fix it: below the route
//! macro or without one, an unknown option, a value of the wrong type, a route method actix-web
//! would refuse, and every problem the runtime's checks would find in the literal options (an
//! origin not as browsers send it, credentials with any origin, a forbidden method, a bad
//! regex, `max_age` too large, several at once), each at its literal. Each case's expected
//! message is the `.stderr` beside it (`TRYBUILD=overwrite` rewrites them).

#[test]
fn misuse_of_the_route_attribute_does_not_compile() {
    trybuild::TestCases::new().compile_fail("tests/compile_fail/*.rs");
}
