//! Rust client for the PortOne V1 REST API.

extern crate self as portone;

pub mod model;

pub use portone_core::*;
pub use portone_macros::api;

#[doc(hidden)]
pub use portone_core::__private;
