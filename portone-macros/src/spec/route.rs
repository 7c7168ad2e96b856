//! Finding a method's route in the spec table: by verb and by position, so a placeholder's
//! name is the user's choice; and the message when the spec does not document it.

use super::operation::{Former, Listing, Operation, is_param};
use super::suggest::{self, Nearest, list};
use super::table::{FORMER, OPERATIONS, REVISIONS};
use crate::ast::Method;
use crate::attr::Verb;
use crate::ctxt::Ctxt;
use crate::template::{Segment, Template};

/// The operation the spec documents for the method's route, or `None` after reporting
/// why there is none. An `undocumented` route is `None` too: it is not checked further.
pub(super) fn check(method: &Method<'_>, cx: &mut Ctxt) -> Option<&'static Operation> {
    let route = &method.route;
    let lookup = lookup(route.verb, &method.template);
    if let Some(undocumented) = &route.undocumented {
        if let Lookup::Documented(op) = lookup {
            cx.error(
                undocumented.span(),
                format!(
                    "PortOne documents `{} {}`: remove `undocumented`",
                    op.verb.http(),
                    op.path
                ),
            );
        }
        return None;
    }
    let span = route.template.span();
    let declared = || format!("{} {}", route.verb.http(), display(&method.template));
    match lookup {
        Lookup::Documented(op) => return Some(op),
        Lookup::Former(former) => cx.error(
            span,
            format!(
                "no PortOne V1 route `{}`: {}; mark it `undocumented` to declare it anyway",
                declared(),
                history(former.listed)
            ),
        ),
        Lookup::OtherVerbs(ops) => {
            let verbs: Vec<String> = ops
                .iter()
                .map(|op| format!("`{}`", op.verb.http()))
                .collect();
            cx.error(
                span,
                format!(
                    "PortOne documents {} for `{}`, not `{}`",
                    list(&verbs, "and"),
                    ops.first().map_or("", |op| op.path),
                    route.verb.http()
                ),
            );
        }
        Lookup::Unknown => cx.error(
            span,
            unknown_route(&declared(), route.verb, &method.template),
        ),
    }
    None
}

/// What the spec says about a method's route.
/// The spec's path of the route, when the spec documents it with this verb.
pub(crate) fn documented(verb: Verb, template: &Template) -> Option<&'static str> {
    match lookup(verb, template) {
        Lookup::Documented(op) => Some(op.path),
        _ => None,
    }
}

enum Lookup {
    Documented(&'static Operation),
    /// Not with this verb, but an earlier revision listed it so.
    Former(&'static Former),
    /// Documented with these other verbs only.
    OtherVerbs(Vec<&'static Operation>),
    Unknown,
}

fn lookup(verb: Verb, template: &Template) -> Lookup {
    let mut others = Vec::new();
    for op in OPERATIONS {
        if fits(template, op.path, op.optional_last) {
            if op.verb == verb {
                return Lookup::Documented(op);
            }
            others.push(op);
        }
    }
    let former = FORMER
        .iter()
        .find(|former| former.verb == verb && fits(template, former.path, false));
    match former {
        Some(former) => Lookup::Former(former),
        None if !others.is_empty() => Lookup::OtherVerbs(others),
        None => Lookup::Unknown,
    }
}

/// Whether `template` is the route `path`: literal segments equal, placeholders where the
/// spec has one, whatever their names. An optional last segment of the spec may be left out
/// or written `<name?>` (or `<name>`, always sent); only it may be optional. Stops at the
/// first segment that differs: it runs for every operation of the table.
pub(crate) fn fits(template: &Template, path: &str, optional_last: bool) -> bool {
    let mut spec = path.split('/').skip(1);
    for segment in &template.segments {
        let Some(expected) = spec.next() else {
            return false;
        };
        let fits = match segment {
            Segment::Literal(text) => !is_param(expected) && text == expected,
            Segment::Param { optional, .. } => {
                is_param(expected)
                    && (!optional || (optional_last && spec.clone().next().is_none()))
            }
        };
        if !fits {
            return false;
        }
    }
    match spec.next() {
        None => true,
        // Only the optional last segment may be left out.
        Some(_) => optional_last && spec.next().is_none(),
    }
}

/// The template in the spec's notation: `/payments/{imp_uid}/balanse`.
fn display(template: &Template) -> String {
    let mut out = String::new();
    for segment in &template.segments {
        out.push('/');
        match segment {
            Segment::Literal(text) => out.push_str(text),
            Segment::Param { name, .. } => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
        }
    }
    out
}

/// The message for a route the spec does not know, with the routes it may have meant.
fn unknown_route(declared: &str, verb: Verb, template: &Template) -> String {
    const ANYWAY: &str = "if PortOne serves it anyway, mark it `undocumented`";
    let names = |ops: Vec<&Operation>| {
        let names: Vec<String> = ops
            .iter()
            .map(|op| format!("`{} {}`", op.verb.http(), op.path))
            .collect();
        list(&names, "or")
    };
    match suggest::routes(verb, template) {
        Nearest::Typo(ops) => format!(
            "no PortOne V1 route `{declared}`; did you mean {}?",
            names(ops)
        ),
        Nearest::Prefix(ops) => {
            format!(
                "no PortOne V1 route `{declared}` (nearest: {}); {ANYWAY}",
                names(ops)
            )
        }
        Nearest::None => format!("no PortOne V1 route `{declared}`; {ANYWAY}"),
    }
}

/// Why a former route is not in the spec, from how each revision listed it: "last documented
/// in the 2025-09 revision of PortOne's spec, hidden from its docs since 2026-03".
fn history(listed: &[Listing]) -> String {
    let at = |index: usize| REVISIONS.get(index).copied().unwrap_or("?");
    let last_shown = listed.iter().rposition(|l| *l == Listing::Shown);
    let Some(last_shown) = last_shown else {
        let hidden = listed
            .iter()
            .position(|l| *l == Listing::Hidden)
            .unwrap_or(0);
        return format!(
            "listed only as hidden from PortOne's docs, in the {} revision of its spec",
            at(hidden)
        );
    };
    let shown = format!(
        "last documented in the {} revision of PortOne's spec",
        at(last_shown)
    );
    match listed.get(last_shown + 1) {
        Some(Listing::Hidden) => {
            format!("{shown}, hidden from its docs since {}", at(last_shown + 1))
        }
        Some(_) => format!("{shown}, removed by {}", at(last_shown + 1)),
        None => format!("{shown}, removed since"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template;

    /// `/payments/find/{merchant_uid}/{payment_status}` with placeholders of other names.
    fn template(path: &str, last: &str) -> Template {
        let mut text = String::new();
        let segments: Vec<&str> = path.split('/').skip(1).collect();
        for (index, segment) in segments.iter().enumerate() {
            text.push('/');
            if is_param(segment) {
                let suffix = if index + 1 == segments.len() {
                    last
                } else {
                    ""
                };
                text.push_str(&format!("<p{index}{suffix}>"));
            } else {
                text.push_str(segment);
            }
        }
        template::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn found(verb: Verb, template: &Template) -> Option<&'static Operation> {
        match lookup(verb, template) {
            Lookup::Documented(op) => Some(op),
            _ => None,
        }
    }

    #[test]
    fn every_operation_is_found_by_position_and_only_with_its_verb() {
        assert_eq!(OPERATIONS.len(), 80);
        for op in OPERATIONS {
            let written = template(op.path, "");
            assert!(
                found(op.verb, &written).is_some_and(|hit| std::ptr::eq(hit, op)),
                "{} {}",
                op.verb.http(),
                op.path
            );
            // No other operation of that verb also fits: the table is unambiguous.
            let fitting = OPERATIONS
                .iter()
                .filter(|other| other.verb == op.verb)
                .filter(|other| fits(&written, other.path, other.optional_last))
                .count();
            assert_eq!(fitting, 1, "{}", op.path);
            if op.optional_last {
                let optional = template(op.path, "?");
                assert!(found(op.verb, &optional).is_some(), "{}", op.path);
                let short = op.path.rsplit_once('/').map_or("", |(short, _)| short);
                let short = template(short, "");
                assert!(found(op.verb, &short).is_some(), "{}", op.path);
            } else if op.path.ends_with('}') {
                let optional = template(op.path, "?");
                assert!(found(op.verb, &optional).is_none(), "{}", op.path);
            }
        }
    }

    #[test]
    fn literals_match_literals_and_placeholders_placeholders() {
        let t = |text: &str| template::parse(text).expect("a template");
        assert!(found(Verb::Get, &t("/payments/<x>")).is_some());
        // A literal where PortOne has a placeholder is not that route: it would hide typos.
        assert!(found(Verb::Get, &t("/payments/status/paid")).is_none());
        assert!(found(Verb::Get, &t("/<a>/<b>")).is_none());
        assert!(found(Verb::Get, &t("/payments/<x>/balance/<y>")).is_none());
        assert!(found(Verb::Get, &t("/payments/find/<m>/<s>/<t>")).is_none());
        assert!(found(Verb::Get, &t("/payments/find")).is_none());
    }

    #[test]
    fn former_routes_are_found_as_former() {
        for former in FORMER {
            let written = template(former.path, "");
            assert!(
                matches!(lookup(former.verb, &written), Lookup::Former(hit) if std::ptr::eq(hit, former)),
                "{}",
                former.path
            );
            assert_eq!(former.listed.len(), REVISIONS.len());
        }
    }

    #[test]
    fn history_names_the_last_revision_that_documented_the_route() {
        use Listing::{Absent, Hidden, Shown};
        // REVISIONS is 2024-03, 2025-09, 2026-03.
        assert_eq!(
            history(&[Shown, Shown, Hidden]),
            "last documented in the 2025-09 revision of PortOne's spec, hidden from its docs since 2026-03"
        );
        assert_eq!(
            history(&[Shown, Absent, Absent]),
            "last documented in the 2024-03 revision of PortOne's spec, removed by 2025-09"
        );
        assert_eq!(
            history(&[Absent, Shown, Shown]),
            "last documented in the 2026-03 revision of PortOne's spec, removed since"
        );
        assert_eq!(
            history(&[Absent, Hidden, Absent]),
            "listed only as hidden from PortOne's docs, in the 2025-09 revision of its spec"
        );
    }
}
