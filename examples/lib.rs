//! Runnable examples of `portone`; see the `*.rs` files beside this one.
