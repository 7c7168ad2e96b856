//! Placeholder: the quickstart arrives with the mock server.
fn main() {}
