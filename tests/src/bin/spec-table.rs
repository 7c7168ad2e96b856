//! Writes `portone-macros/src/spec/table.rs` from the vendored spec and its history:
//! `cargo run -p portone-tests --bin spec-table`. Review the diff before committing it.

use std::process::ExitCode;

fn main() -> ExitCode {
    let path = portone_tests::spec_table::table_path();
    match std::fs::write(&path, portone_tests::spec_table::generate()) {
        Ok(()) => {
            eprintln!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot write {}: {e}", path.display());
            ExitCode::FAILURE
        }
    }
}
