//! The generator of `portone-macros/src/spec/table.rs`, the table `#[portone::api]` checks
//! declared routes against, from the vendored spec (`portone/spec/openapi.json`) and its
//! earlier revisions (`portone/spec/history/`).
//!
//! The macro crate parses no JSON: it compiles this table, Rust source, into itself. The
//! generator lives here, unpublished, and runs as a binary that depends on neither `portone`
//! nor the macro, so it works even when the checked-in table does not compile:
//!
//! ```text
//! cargo run -p portone-tests --bin spec-table
//! ```
//!
//! `tests/tests/spec_table.rs` fails when the checked-in table differs from what this writes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The command that regenerates the table.
pub const REGENERATE: &str = "cargo run -p portone-tests --bin spec-table";

/// The repository's root.
pub(crate) fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Where the table is checked in.
#[must_use]
pub fn table_path() -> PathBuf {
    repo().join("portone-macros/src/spec/table.rs")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The verbs the macro knows, in the table's order, as `attr::Verb` names them.
const VERBS: &[(&str, &str)] = &[
    ("get", "Get"),
    ("post", "Post"),
    ("put", "Put"),
    ("patch", "Patch"),
    ("delete", "Delete"),
];

fn verb_rank(verb: &str) -> usize {
    VERBS
        .iter()
        .position(|(name, _)| *name == verb)
        .unwrap_or_else(|| panic!("unknown verb `{verb}`"))
}

/// `/payments/{imp_uid}/balance` → `/payments/{}/balance`: routes match by position.
fn normalised(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                "{}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

struct Field {
    name: String,
    required: bool,
}

struct Operation {
    verb: String,
    path: String,
    optional_last: bool,
    query: Vec<Field>,
    body: Vec<Field>,
}

/// Every operation of a spec document, with whether PortOne hides it from its docs.
fn operations(spec: &Value, source: &str) -> Vec<(Operation, bool)> {
    let Some(paths) = spec["paths"].as_object() else {
        panic!("{source}: no `paths`")
    };
    let mut out = Vec::new();
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            panic!("{source}: `{path}` is not an object")
        };
        for (verb, op) in item {
            assert!(
                verb != "parameters",
                "{source}: `{path}` has path-level parameters: teach the generator to merge them"
            );
            verb_rank(verb);
            let hidden = op["x-portone-hidden"].as_bool().unwrap_or(false);
            out.push((operation(verb, path, op, source), hidden));
        }
    }
    out.sort_by(|(a, _), (b, _)| (&a.path, verb_rank(&a.verb)).cmp(&(&b.path, verb_rank(&b.verb))));
    out
}

fn operation(verb: &str, path: &str, op: &Value, source: &str) -> Operation {
    let here = format!("{source}: {} {path}", verb.to_uppercase());
    let placeholders: Vec<&str> = path
        .split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .collect();
    let mut path_params = BTreeMap::new();
    let mut query = Vec::new();
    let mut body = Vec::new();
    for param in op["parameters"].as_array().into_iter().flatten() {
        let Some(name) = param["name"].as_str() else {
            panic!("{here}: a parameter without a name")
        };
        let field = Field {
            name: name.to_owned(),
            required: param["required"].as_bool().unwrap_or(false),
        };
        match param["in"].as_str() {
            Some("path") => {
                path_params.insert(field.name, field.required);
            }
            Some("query") => query.push(field),
            // A GET or DELETE has no body (the macro refuses `#[body]` on them), so the form
            // fields PortOne lists on one are sent as query parameters
            // (`GET /naver/reviews` lists `channel_key` so).
            Some("formData") if matches!(verb, "get" | "delete") => query.push(field),
            Some("formData") => body.push(field),
            other => panic!("{here}: parameter `{name}` in {other:?}: teach the generator it"),
        }
    }
    let names: BTreeSet<&str> = path_params.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        placeholders.iter().copied().collect::<BTreeSet<_>>(),
        "{here}: path parameters and placeholders differ"
    );
    let optional: Vec<&str> = placeholders
        .iter()
        .copied()
        .filter(|name| !path_params[*name])
        .collect();
    let optional_last = match optional[..] {
        [] => false,
        [name] if path.ends_with(&format!("/{{{name}}}")) => true,
        _ => panic!("{here}: an optional path parameter that is not the last segment"),
    };
    Operation {
        verb: verb.to_owned(),
        path: path.to_owned(),
        optional_last,
        query,
        body,
    }
}

/// How a revision lists a route.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Listing {
    Shown,
    Hidden,
    Absent,
}

impl Listing {
    fn name(self) -> &'static str {
        match self {
            Self::Shown => "Shown",
            Self::Hidden => "Hidden",
            Self::Absent => "Absent",
        }
    }
}

struct Former {
    verb: String,
    path: String,
    listed: Vec<Listing>,
}

/// `openapi.2024-03-07.json`, `openapi.raw-2026-03-04.json` → `2024-03`, `2026-03`: the
/// month of the first `YYYY-MM-DD` in a file name.
#[must_use]
pub fn revision_label(file: &str) -> Option<String> {
    let bytes = file.as_bytes();
    (0..bytes.len().saturating_sub(9)).find_map(|i| {
        let date = file.get(i..i + 10)?;
        let shape = date.bytes().enumerate().all(|(j, b)| match j {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
        shape.then(|| date[..7].to_owned())
    })
}

/// The revisions in `portone/spec/history/`, oldest first, with their operations.
fn history() -> Vec<(String, Vec<(Operation, bool)>)> {
    let dir = repo().join("portone/spec/history");
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.unwrap_or_else(|e| panic!("{e}")).path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            let label = revision_label(&name)
                .unwrap_or_else(|| panic!("{name}: no YYYY-MM-DD date in the file name"));
            (label, path)
        })
        .collect();
    files.sort();
    let labels: BTreeSet<&String> = files.iter().map(|(label, _)| label).collect();
    assert_eq!(labels.len(), files.len(), "two revisions in one month");
    files
        .into_iter()
        .map(|(label, path)| {
            let ops = operations(&read_json(&path), &label);
            (label, ops)
        })
        .collect()
}

/// Routes some revision lists (shown or hidden) and the current spec does not, compared by
/// verb and position, so a renamed placeholder is the same route.
fn former(current: &[Operation], history: &[(String, Vec<(Operation, bool)>)]) -> Vec<Former> {
    let key = |verb: &str, path: &str| (verb_rank(verb), normalised(path));
    let now: BTreeSet<_> = current.iter().map(|op| key(&op.verb, &op.path)).collect();
    let mut routes: BTreeMap<(usize, String), Former> = BTreeMap::new();
    for (index, (_, ops)) in history.iter().enumerate() {
        for (op, hidden) in ops {
            let route_key = key(&op.verb, &op.path);
            if now.contains(&route_key) {
                continue;
            }
            let route = routes.entry(route_key).or_insert_with(|| Former {
                verb: op.verb.clone(),
                path: op.path.clone(),
                listed: vec![Listing::Absent; history.len()],
            });
            // The latest revision's spelling of the path.
            route.path.clone_from(&op.path);
            route.listed[index] = if *hidden {
                Listing::Hidden
            } else {
                Listing::Shown
            };
        }
    }
    let mut out: Vec<Former> = routes.into_values().collect();
    out.sort_by(|a, b| (&a.path, verb_rank(&a.verb)).cmp(&(&b.path, verb_rank(&b.verb))));
    out
}

fn verb_name(verb: &str) -> &'static str {
    VERBS[verb_rank(verb)].1
}

fn fields(fields: &[Field]) -> String {
    let items: Vec<String> = fields
        .iter()
        .map(|f| format!("{}({:?})", if f.required { "req" } else { "opt" }, f.name))
        .collect();
    format!("&[{}]", items.join(", "))
}

/// The whole `spec/table.rs`, from the spec files in the repository.
///
/// # Panics
///
/// When a spec file cannot be read or parsed, or holds something the table cannot express
/// (path-level parameters, a `body` parameter, an optional path parameter that is not last,
/// a hidden operation in the current spec): the message says what to teach the generator.
#[must_use]
pub fn generate() -> String {
    let spec = read_json(&repo().join("portone/spec/openapi.json"));
    let current: Vec<Operation> = operations(&spec, "openapi.json")
        .into_iter()
        .map(|(op, hidden)| {
            assert!(
                !hidden,
                "{} {}: the current spec hides an operation: decide whether the macro \
                 treats it as documented",
                op.verb, op.path
            );
            op
        })
        .collect();
    let history = history();
    let former = former(&current, &history);

    let mut verbs = BTreeSet::new();
    let mut listings = BTreeSet::new();
    let mut makers = BTreeSet::new();
    for op in &current {
        verbs.insert(verb_rank(&op.verb));
        for field in op.query.iter().chain(&op.body) {
            makers.insert(if field.required { "req" } else { "opt" });
        }
    }
    for route in &former {
        verbs.insert(verb_rank(&route.verb));
        listings.extend(route.listed.iter().map(|l| l.name()));
    }

    let mut out = String::new();
    let w = &mut out;
    for line in HEADER {
        w.push_str(line);
        w.push('\n');
    }
    let _ = writeln!(w, "//! `{REGENERATE}`.\n");
    let verb_list: Vec<&str> = verbs.iter().map(|&i| VERBS[i].1).collect();
    let _ = writeln!(w, "use crate::attr::Verb::{{{}}};", verb_list.join(", "));
    if !listings.is_empty() {
        let list: Vec<&str> = listings.into_iter().collect();
        let _ = writeln!(w, "use super::operation::Listing::{{{}}};", list.join(", "));
    }
    let mut items = vec!["Former", "Operation"];
    items.extend(makers);
    let _ = writeln!(w, "use super::operation::{{{}}};\n", items.join(", "));

    let rows: Vec<String> = current.iter().map(operation_row).collect();
    table(
        w,
        "/// Every operation of the current spec, by path. Form fields of a GET or DELETE are\n\
         /// listed as query parameters: those requests have no body, so that is how they are sent.",
        "OPERATIONS: &[Operation]",
        &rows,
    );
    let labels: Vec<String> = history
        .iter()
        .map(|(label, _)| format!("{label:?}"))
        .collect();
    let _ = writeln!(
        w,
        "/// The revisions in `portone/spec/history/`, oldest first, by month.\n\
         pub(crate) static REVISIONS: &[&str] = &[{}];\n",
        labels.join(", ")
    );
    let rows: Vec<String> = former.iter().map(former_row).collect();
    table(
        w,
        "/// Routes an earlier revision lists and the current spec does not, with how each\n\
         /// revision of `REVISIONS` lists them.",
        "FORMER: &[Former]",
        &rows,
    );
    // One blank line between tables, none after the last.
    out.pop();
    out
}

/// The generated file's first lines, before the command that regenerates it.
const HEADER: &[&str] = &[
    "//! PortOne's V1 spec as `#[portone::api]` checks it: every operation of the vendored",
    "//! spec (`portone/spec/openapi.json`) and the routes only earlier revisions list",
    "//! (`portone/spec/history/`). The rows' types are in `operation.rs`.",
    "//!",
    "//! Generated by `tests/src/spec_table.rs`: do not edit. `tests/tests/spec_table.rs`",
    "//! fails when this file and the spec disagree; regenerate with",
];

/// A `static` of `rows`, one a line, with its doc comment, then a blank line.
fn table(w: &mut String, doc: &str, item: &str, rows: &[String]) {
    let _ = writeln!(w, "{doc}\npub(crate) static {item} = &[");
    for row in rows {
        let _ = writeln!(w, "    {row},");
    }
    w.push_str("];\n\n");
}

/// One row of `OPERATIONS`; a new column of the table is a new field here and in
/// `portone-macros/src/spec/operation.rs`.
fn operation_row(op: &Operation) -> String {
    format!(
        "Operation {{ verb: {}, path: {:?}, optional_last: {}, query: {}, body: {} }}",
        verb_name(&op.verb),
        op.path,
        op.optional_last,
        fields(&op.query),
        fields(&op.body),
    )
}

/// One row of `FORMER`.
fn former_row(route: &Former) -> String {
    let listed: Vec<&str> = route.listed.iter().map(|l| l.name()).collect();
    format!(
        "Former {{ verb: {}, path: {:?}, listed: &[{}] }}",
        verb_name(&route.verb),
        route.path,
        listed.join(", "),
    )
}
