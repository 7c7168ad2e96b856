//! Compile-time behaviour of `#[portone::api]`: what compiles (`ui/pass`) and the exact error
//! for each mistake (`ui/fail/<topic>`, expected output in the `.stderr` beside each case).
//! After changing the macro's messages, re-bless with `TRYBUILD=overwrite cargo test -p
//! portone-tests --test ui` and review the diff of the `.stderr` files.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    t.compile_fail("ui/fail/*/*.rs");
}
