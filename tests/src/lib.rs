//! UI and integration tests of the `portone` workspace live in `tests/` and `ui/`; this library
//! holds what they share with the workspace's tools.

pub mod money_table;
pub mod readme;
pub mod spec_table;
