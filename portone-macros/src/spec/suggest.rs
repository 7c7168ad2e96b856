//! What the user may have meant: the documented routes nearest to one the spec does not
//! know, and the spec's name for a misspelt query parameter.

use super::operation::{Operation, is_param};
use super::table::OPERATIONS;
use crate::attr::Verb;
use crate::template::{Segment, Template};

/// How many routes a message suggests at most.
const SHOWN: usize = 3;

/// Documented routes near an unknown one, closest first.
pub(crate) enum Nearest {
    /// A few edits away (another verb counts as one), or the end of a documented route:
    /// most likely a typo.
    Typo(Vec<&'static Operation>),
    /// With the same verb under the longest run of the same leading segments.
    Prefix(Vec<&'static Operation>),
    None,
}

pub(crate) fn routes(verb: Verb, template: &Template) -> Nearest {
    let typed = normalise(template.segments.iter().map(|segment| match segment {
        Segment::Literal(text) => Some(text.as_str()),
        Segment::Param { .. } => None,
    }));
    let limit = (1 + typed.len() / 10).min(3);
    // `/payments/onetime` for `/subscribe/payments/onetime`: leading segments left out.
    let tail = (template.segments.len() >= 2).then_some(typed.as_str());
    let typos = OPERATIONS.iter().filter_map(|op| {
        let mut distance = distance_to(&typed, op);
        if tail.is_some_and(|tail| normalised(op).ends_with(tail)) {
            distance = distance.min(limit);
        }
        distance += usize::from(op.verb != verb);
        (distance <= limit).then_some((distance, op))
    });
    let typos = closest(typos);
    if !typos.is_empty() {
        return Nearest::Typo(typos);
    }

    let shared = |op: &Operation| {
        op.path
            .split('/')
            .skip(1)
            .zip(&template.segments)
            .take_while(|(spec, segment)| match segment {
                Segment::Literal(text) => spec == text,
                Segment::Param { .. } => is_param(spec),
            })
            .count()
    };
    let same_verb = || OPERATIONS.iter().filter(|op| op.verb == verb);
    let most = same_verb().map(shared).max().unwrap_or(0);
    if most == 0 {
        return Nearest::None;
    }
    let under = same_verb()
        .filter(|op| shared(op) == most)
        .map(|op| (distance_to(&typed, op), op));
    Nearest::Prefix(closest(under))
}

fn closest(
    candidates: impl Iterator<Item = (usize, &'static Operation)>,
) -> Vec<&'static Operation> {
    let mut candidates: Vec<_> = candidates.collect();
    candidates.sort_by_key(|(distance, op)| (*distance, op.path, op.verb.http()));
    candidates
        .into_iter()
        .take(SHOWN)
        .map(|(_, op)| op)
        .collect()
}

fn normalised(op: &Operation) -> String {
    normalise(
        op.path
            .split('/')
            .skip(1)
            .map(|s| (!is_param(s)).then_some(s)),
    )
}

/// Edits from the normalised `typed` to `op`'s route, or to its short form without the
/// optional last segment.
fn distance_to(typed: &str, op: &Operation) -> usize {
    let segments = op.path.split('/').skip(1);
    let full = levenshtein(typed, &normalised(op));
    if !op.optional_last {
        return full;
    }
    let count = segments.clone().count();
    let short = normalise(
        segments
            .take(count - 1)
            .map(|s| (!is_param(s)).then_some(s)),
    );
    full.min(levenshtein(typed, &short))
}

/// Placeholders as `{}` (`None`), so that distances compare routes, not placeholder names.
fn normalise<'a>(segments: impl Iterator<Item = Option<&'a str>>) -> String {
    let mut out = String::new();
    for segment in segments {
        out.push('/');
        out.push_str(segment.unwrap_or("{}"));
    }
    out
}

/// The spec's name for a misspelt or unbracketed one: `include_sandbx` → `include_sandbox`,
/// `imp_uid` → `imp_uid[]`, `requester` → `extra[requester]`.
pub(crate) fn query(name: &str, op: &Operation) -> Option<&'static str> {
    let bracketed = op.query.iter().find(|field| {
        field.name.strip_suffix("[]") == Some(name)
            || field
                .name
                .strip_suffix(']')
                .and_then(|rest| rest.rsplit_once('['))
                .is_some_and(|(_, inner)| inner == name)
    });
    if let Some(field) = bracketed {
        return Some(field.name);
    }
    let limit = (name.chars().count() / 3).max(1);
    op.query
        .iter()
        .map(|field| (levenshtein(name, field.name), field.name))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, name)| name)
}

/// "`a`", "`a` and `b`", "`a`, `b` and `c`".
pub(crate) fn list(items: &[String], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

/// Edits (insert, delete or replace a character) from `a` to `b`. A few lines instead of a
/// dependency such as `strsim`: the macro crate is compiled in every user's build, and this
/// is the only string metric it needs.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template;

    #[test]
    fn levenshtein_counts_edits() {
        assert_eq!(levenshtein("", ""), 0);
        assert_eq!(levenshtein("abc", ""), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("balanse", "balance"), 1);
        assert_eq!(levenshtein("include_sandbx", "include_sandbox"), 1);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("결제", "결재"), 1);
    }

    #[test]
    fn lists_read_as_english() {
        let items = |n: usize| -> Vec<String> {
            ["`a`", "`b`", "`c`"][..n]
                .iter()
                .map(|s| (*s).to_owned())
                .collect()
        };
        assert_eq!(list(&items(0), "or"), "");
        assert_eq!(list(&items(1), "or"), "`a`");
        assert_eq!(list(&items(2), "or"), "`a` or `b`");
        assert_eq!(list(&items(3), "and"), "`a`, `b` and `c`");
    }

    fn op(verb: Verb, path: &str) -> &'static Operation {
        OPERATIONS
            .iter()
            .find(|op| op.verb == verb && op.path == path)
            .unwrap_or_else(|| panic!("{path} is in the table"))
    }

    fn shown(nearest: &Nearest) -> (&'static str, Vec<String>) {
        let (kind, ops) = match nearest {
            Nearest::Typo(ops) => ("typo", ops.as_slice()),
            Nearest::Prefix(ops) => ("prefix", ops.as_slice()),
            Nearest::None => ("none", &[][..]),
        };
        let ops = ops
            .iter()
            .map(|op| format!("{} {}", op.verb.http(), op.path))
            .collect();
        (kind, ops)
    }

    fn near(verb: Verb, template: &str) -> (&'static str, Vec<String>) {
        shown(&routes(
            verb,
            &template::parse(template).expect("a template"),
        ))
    }

    #[test]
    fn suggests_routes_a_typo_away_then_under_the_same_segments() {
        assert_eq!(
            near(Verb::Get, "/payments/<id>/balanse"),
            ("typo", vec!["GET /payments/{imp_uid}/balance".to_owned()])
        );
        // Another verb is one edit more, so it is still suggested, with its own verb.
        assert_eq!(
            near(Verb::Post, "/payments/<id>/balanse"),
            ("typo", vec!["GET /payments/{imp_uid}/balance".to_owned()])
        );
        assert_eq!(
            near(Verb::Get, "/payment/<id>"),
            ("typo", vec!["GET /payments/{imp_uid}".to_owned()])
        );
        // The short form of a route with an optional last segment counts.
        assert_eq!(
            near(Verb::Get, "/payments/findall/<m>"),
            (
                "typo",
                vec![
                    "GET /payments/findAll/{merchant_uid}/{payment_status}".to_owned(),
                    "GET /payments/find/{merchant_uid}/{payment_status}".to_owned(),
                ]
            )
        );
        let (kind, ops) = near(Verb::Post, "/subscribe/payments/foreign");
        assert_eq!(kind, "prefix");
        assert_eq!(
            ops,
            [
                "POST /subscribe/payments/again",
                "POST /subscribe/payments/onetime",
                "POST /subscribe/payments/schedule",
            ]
        );
        assert_eq!(
            near(Verb::Get, "/payments/finds/<m>/<s?>"),
            (
                "typo",
                vec![
                    "GET /payments/find/{merchant_uid}/{payment_status}".to_owned(),
                    "GET /payments/findAll/{merchant_uid}/{payment_status}".to_owned(),
                ]
            )
        );
        // Leading segments left out.
        assert_eq!(
            near(Verb::Post, "/payments/onetime"),
            ("typo", vec!["POST /subscribe/payments/onetime".to_owned()])
        );
        assert_eq!(
            near(Verb::Get, "/customers/<uid>"),
            (
                "typo",
                vec![
                    "GET /subscribe/customers/{customer_uid}".to_owned(),
                    "GET /subscribe/payments/schedule/customers/{customer_uid}".to_owned(),
                ]
            )
        );
        assert_eq!(near(Verb::Get, "/foo/bar"), ("none", Vec::new()));
        assert_eq!(near(Verb::Patch, "/payments/<id>/x"), ("none", Vec::new()));
    }

    #[test]
    fn suggests_the_spec_s_query_names() {
        let payment = op(Verb::Get, "/payments/{imp_uid}");
        assert_eq!(query("include_sandbx", payment), Some("include_sandbox"));
        assert_eq!(query("sandbox", payment), None);
        let payments = op(Verb::Get, "/payments");
        assert_eq!(query("imp_uid", payments), Some("imp_uid[]"));
        assert_eq!(query("merchant_uid", payments), Some("merchant_uid[]"));
        let delete = op(Verb::Delete, "/subscribe/customers/{customer_uid}");
        assert_eq!(query("requester", delete), Some("extra[requester]"));
        assert_eq!(query("reasn", delete), Some("reason"));
        let schedules = op(Verb::Get, "/subscribe/customers/{customer_uid}/schedules");
        assert_eq!(query("schedule_status", schedules), Some("schedule-status"));
        assert_eq!(query("fro", schedules), Some("from"));
        assert_eq!(query("filter", schedules), None);
    }
}
