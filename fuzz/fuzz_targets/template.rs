//! The macro's route-template parser never panics. It is crate-private in a proc-macro
//! crate, so its source file is compiled in here as a module.

#[allow(dead_code)]
#[path = "../../portone-macros/src/template.rs"]
mod template;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        if let Ok(text) = std::str::from_utf8(data) {
            if let Ok(template) = template::parse(text) {
                let _ = template.pieces();
            }
        }
    });
}
