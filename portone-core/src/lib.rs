//! Runtime of `portone`.
