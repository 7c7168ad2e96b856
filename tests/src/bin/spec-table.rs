//! Writes the tables generated from the vendored spec and the money routes:
//! `portone-macros/src/spec/table.rs`, `portone-macros/src/money/table.rs` and
//! `portone-core/src/money_routes/table.rs`: `cargo run -p portone-tests --bin spec-table`.
//! Review the diff before committing it.

use std::process::ExitCode;

use portone_tests::{money_table, spec_table};

fn main() -> ExitCode {
    let files = [
        (spec_table::table_path(), spec_table::generate()),
        (money_table::macro_table_path(), money_table::macro_table()),
        (
            money_table::runtime_table_path(),
            money_table::runtime_table(),
        ),
    ];
    let mut status = ExitCode::SUCCESS;
    for (path, text) in files {
        match std::fs::write(&path, text) {
            Ok(()) => eprintln!("wrote {}", path.display()),
            Err(e) => {
                eprintln!("cannot write {}: {e}", path.display());
                status = ExitCode::FAILURE;
            }
        }
    }
    status
}
