//! Procedural macros of `portone`. Use them through the `portone` crate.
