//! UI and integration tests of the `portone` workspace live in `tests/` and `ui/`.
