//! The table `#[portone::api]` checks routes against (`portone-macros/src/spec/table.rs`) is
//! exactly what the vendored spec and its history give (`tests/src/spec_table.rs`), and the
//! money routes' tables of the macro and the runtime are exactly the one list of
//! `tests/src/money_table.rs`, whose routes the spec documents (or older SDKs call).

use std::path::Path;

use portone_tests::money_table::{
    DOCUMENTED, UNDOCUMENTED, macro_table, macro_table_path, runtime_table, runtime_table_path,
};
use portone_tests::spec_table::{REGENERATE, generate, revision_label, table_path};

#[test]
fn the_checked_in_table_is_the_vendored_spec() {
    same_as_checked_in(&generate(), &table_path());
}

#[test]
fn the_money_tables_are_the_one_list() {
    same_as_checked_in(&macro_table(), &macro_table_path());
    same_as_checked_in(&runtime_table(), &runtime_table_path());
}

#[test]
fn every_money_route_is_documented_or_listed_as_undocumented() {
    let table = generate();
    let documented = |verb: &str, path: &str| {
        let verb = match verb {
            "POST" => "Post",
            "PUT" => "Put",
            "DELETE" => "Delete",
            other => panic!("no money route uses {other}"),
        };
        table.contains(&format!("Operation {{ verb: {verb}, path: {path:?},"))
    };
    for (verb, path, _) in DOCUMENTED {
        assert!(documented(verb, path), "{verb} {path} is not in the spec");
    }
    for (verb, path, _) in UNDOCUMENTED {
        assert!(
            !documented(verb, path),
            "{verb} {path} is documented now: move it"
        );
    }
    assert_eq!(DOCUMENTED.len(), 30);
}

/// Fails with the first line that differs and how to regenerate.
fn same_as_checked_in(generated: &str, file: &Path) {
    let checked_in = std::fs::read_to_string(file)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    if generated == checked_in {
        return;
    }
    let line = generated
        .lines()
        .zip(checked_in.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| generated.lines().count().min(checked_in.lines().count()));
    panic!(
        "{} does not match what generates it (first difference at line {}):\n  generated:  \
         {}\n  checked in: {}\nregenerate it with\n  {REGENERATE}\nand review the diff",
        file.display(),
        line + 1,
        generated.lines().nth(line).unwrap_or("<end of file>"),
        checked_in.lines().nth(line).unwrap_or("<end of file>"),
    );
}

#[test]
fn the_table_holds_the_80_operations_and_the_routes_portone_hid_or_removed() {
    let table = generate();
    let operations = table
        .lines()
        .filter(|l| l.trim_start().starts_with("Operation {"))
        .count();
    assert_eq!(operations, 80);
    let former: Vec<&str> = table
        .lines()
        .filter(|l| l.trim_start().starts_with("Former {"))
        .collect();
    let expected = [
        r#"Former { verb: Get, path: "/kakao/payment/orders", listed: &[Shown, Absent, Absent] },"#,
        r#"Former { verb: Post, path: "/tiers/{tier_code}", listed: &[Shown, Absent, Absent] },"#,
        r#"Former { verb: Put, path: "/tiers/{tier_code}", listed: &[Shown, Absent, Absent] },"#,
        r#"Former { verb: Delete, path: "/tiers/{tier_code}", listed: &[Shown, Absent, Absent] },"#,
        r#"Former { verb: Get, path: "/vbanks/holder", listed: &[Shown, Shown, Hidden] },"#,
    ];
    let former: Vec<&str> = former.iter().map(|l| l.trim()).collect();
    assert_eq!(former, expected);
    assert!(
        table.contains(
            r#"pub(crate) static REVISIONS: &[&str] = &["2024-03", "2025-09", "2026-03"];"#
        )
    );
    // A GET's form field is a query parameter; the optional status segment is known.
    assert!(table.contains(
        r#"Operation { verb: Get, path: "/naver/reviews", optional_last: false, query: &[req("channel_key"), req("from"), req("to"), req("review_type")], body: &[] },"#
    ));
    assert!(table.contains(
        r#"Operation { verb: Get, path: "/payments/find/{merchant_uid}/{payment_status}", optional_last: true, query: &[opt("sorting")], body: &[] },"#
    ));
}

#[test]
fn revision_labels_come_from_the_file_names() {
    assert_eq!(
        revision_label("openapi.2024-03-07.json").as_deref(),
        Some("2024-03")
    );
    assert_eq!(
        revision_label("openapi.raw-2026-03-04.json").as_deref(),
        Some("2026-03")
    );
    assert_eq!(revision_label("openapi.json"), None);
    assert_eq!(revision_label("openapi.2026-3-4.json"), None);
}
