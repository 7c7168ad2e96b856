//! Empty without the `browser` feature: the check is the `browser-check` binary
//! (`src/main.rs`), which `.ci/run` runs once Chromium and ChromeDriver are installed.
