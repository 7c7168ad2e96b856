//! Hostile input for the route-template parser of `#[portone::api]`, at thousands of cases.
//!
//! The parser is crate-private in a proc-macro crate, which can export nothing but macros,
//! so its source file is compiled into this test as a module: the very code the macro runs.
//! (Its own unit tests come along and run here too.) The runtime's encoders and envelope
//! decoder have their property tests, at 4096 cases each, in `portone-core/tests/properties.rs`.

#[allow(dead_code, unreachable_pub, clippy::all)]
#[path = "../../portone-macros/src/template.rs"]
mod template;

use std::collections::BTreeSet;

use proptest::prelude::*;
use template::{Piece, Segment, parse};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 8192,
        ..ProptestConfig::default()
    }
}

/// Text that never belongs in a template, or only in the right place.
fn junk() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("/".to_owned()),
        Just("<".to_owned()),
        Just(">".to_owned()),
        Just("?".to_owned()),
        Just(".".to_owned()),
        Just("..".to_owned()),
        Just("r#type".to_owned()),
        Just("#".to_owned()),
        Just("{id}".to_owned()),
        Just("%2F".to_owned()),
        Just("_".to_owned()),
        Just("결제".to_owned()),
        Just("\u{0}".to_owned()),
        any::<String>(),
    ]
}

/// Mostly well-formed templates (literal segments and placeholders, some optional, names
/// that may repeat), with junk mixed in, so that both sides of every check are reached.
fn template_like() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        4 => "[A-Za-z0-9~!$&'()*+,;=:@._-]{1,6}",
        3 => "[a-z_][a-z0-9_]{0,3}".prop_map(|name| format!("<{name}>")),
        1 => "[a-z_][a-z0-9_]{0,3}".prop_map(|name| format!("<{name}?>")),
        1 => junk(),
    ];
    let template = prop::collection::vec(segment, 1..6).prop_map(|v| format!("/{}", v.join("/")));
    let raw = prop::collection::vec(junk(), 0..8).prop_map(|v| v.concat());
    prop_oneof![4 => template, 1 => raw]
}

/// The template text rebuilt from what the generated code will append.
fn render(pieces: &[Piece<'_>]) -> String {
    pieces
        .iter()
        .map(|piece| match piece {
            Piece::Literal(text) => text.clone(),
            Piece::Param { name, optional } => {
                format!("/<{name}{}>", if *optional { "?" } else { "" })
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_template_parser_never_panics_on_any_string(text in any::<String>()) {
        let _ = parse(&text);
    }

    #[test]
    fn accepted_templates_are_what_the_macro_promises(text in template_like()) {
        let Ok(template) = parse(&text) else {
            // Refused: the message names the problem and never panics to do so.
            let message = parse(&text).err().map(|e| e.to_string()).unwrap_or_default();
            prop_assert!(!message.is_empty());
            return Ok(());
        };
        // The pieces rebuild exactly the text, so nothing is dropped or reordered.
        prop_assert_eq!(render(&template.pieces()), text.clone());
        let last = template.segments.len() - 1;
        let mut names = BTreeSet::new();
        for (index, segment) in template.segments.iter().enumerate() {
            match segment {
                Segment::Literal(literal) => {
                    prop_assert!(!literal.is_empty());
                    prop_assert!(literal != "." && literal != "..");
                    prop_assert!(literal.chars().all(|c| {
                        c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@".contains(c)
                    }), "literal {:?} needs encoding", literal);
                }
                Segment::Param { name, optional } => {
                    prop_assert!(!*optional || index == last, "optional placeholder not last");
                    prop_assert!(names.insert(name.clone()), "duplicate {}", name);
                    prop_assert!(name != "_" && !name.starts_with("r#"));
                    prop_assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
                    prop_assert!(!name.starts_with(|c: char| c.is_ascii_digit()));
                }
            }
        }
        prop_assert_eq!(
            template.params().map(|(name, _)| name.to_owned()).collect::<BTreeSet<_>>(),
            names
        );
    }
}
