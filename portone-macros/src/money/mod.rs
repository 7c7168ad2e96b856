//! Each method against PortOne's money rules: a route that moves money is never declared
//! `idempotent`, and the rule of a route PortOne documents (or of an undocumented money route
//! older SDKs call) applies whatever the declaration says, so that a user who declares
//! `POST /subscribe/payments/again` without `charge` still gets a declined charge as an error.
//!
//! The routes are data (`table.rs`, generated with the runtime's copy from one list), matched
//! by position like the spec's.

// Generated: one route a line.
#[rustfmt::skip]
mod table;

use crate::ast::Method;
use crate::attr::Verb;
use crate::ctxt::Ctxt;
use crate::spec::{documented, fits, is_param};
use crate::template::{Segment, Template};

/// What a call does with money: the runtime's `Money`, as the macro knows it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Money {
    Untouched,
    Moves,
    Charges,
    Issues,
}

impl Money {
    /// The name of the runtime's variant.
    pub(crate) fn variant(self) -> &'static str {
        match self {
            Money::Untouched => "Untouched",
            Money::Moves => "Moves",
            Money::Charges => "Charges",
            Money::Issues => "Issues",
        }
    }

    pub(crate) fn moves_money(self) -> bool {
        self != Money::Untouched
    }
}

/// A route that moves money, in the spec's notation.
pub(crate) struct Route {
    pub(crate) verb: Verb,
    pub(crate) path: &'static str,
    pub(crate) money: Money,
}

/// The rule of the route itself, when it is one that moves money.
fn of_route(verb: Verb, template: &Template) -> Option<&'static Route> {
    table::ROUTES
        .iter()
        .find(|route| route.verb == verb && fits(template, route.path, false))
}

/// The money rule of a method: its route's own when the route moves money, otherwise what
/// the declaration says (`charge`).
pub(crate) fn money(method: &Method<'_>) -> Money {
    match of_route(method.route.verb, &method.template) {
        Some(route) => route.money,
        None if method.route.charge.is_some() => Money::Charges,
        None => Money::Untouched,
    }
}

/// Whether only the path sent can say the method's rule: a placeholder of its template can
/// stand for the literal of a money route (`#[post("/payments/<action>")]` sent with
/// `cancel`). The generated code then leaves the rule to the runtime, which looks the path
/// up when the request is built; every other method's rule is known here, so no request
/// pays for a lookup.
pub(crate) fn decided_by_path(method: &Method<'_>) -> bool {
    let (verb, template) = (method.route.verb, &method.template);
    of_route(verb, template).is_none()
        && table::ROUTES
            .iter()
            .filter(|route| route.verb == verb)
            .any(|route| placeholder_may_be(template, route.path))
}

/// Whether `template` can be sent as `path` with a placeholder standing for one of its
/// literals: the same number of segments, literals equal where both have one.
fn placeholder_may_be(template: &Template, path: &str) -> bool {
    let spec: Vec<&str> = path.split('/').skip(1).collect();
    if spec.len() != template.segments.len() {
        return false;
    }
    let mut stands_for_a_literal = false;
    for (segment, expected) in template.segments.iter().zip(spec) {
        match segment {
            Segment::Literal(text) if !is_param(expected) && text != expected => return false,
            Segment::Param { .. } if !is_param(expected) => stands_for_a_literal = true,
            _ => {}
        }
    }
    stands_for_a_literal
}

pub(crate) fn check(method: &Method<'_>, cx: &mut Ctxt) {
    let Some(route) = of_route(method.route.verb, &method.template) else {
        // A route PortOne documents and that is not in the table moves no money. (`valid`
        // already refuses `charge` on a verb without a body.)
        if let (Some(charge), true, Some(path)) = (
            &method.route.charge,
            method.route.verb.allows_body(),
            documented(method.route.verb, &method.template),
        ) {
            cx.error(
                charge.span(),
                format!(
                    "`{} {path}` charges nothing: its answer is no new payment; remove `charge`",
                    method.route.verb.http()
                ),
            );
        }
        return;
    };
    let declared = || format!("{} {}", route.verb.http(), route.path);
    // `valid` already refuses `idempotent` beside `charge`.
    if let (Some(idempotent), None) = (&method.route.idempotent, &method.route.charge) {
        cx.error(
            idempotent.span(),
            format!(
                "`{}` moves money and PortOne's V1 API has no idempotency key: a retry after a lost answer could {} twice; remove `idempotent`",
                declared(),
                match route.money {
                    Money::Charges | Money::Issues => "charge",
                    Money::Moves | Money::Untouched => "move money",
                }
            ),
        );
    }
    if let Some(charge) = &method.route.charge {
        match route.money {
            Money::Charges => {}
            Money::Issues => cx.error(
                charge.span(),
                format!(
                    "`{}` issues a payment the buyer makes later, settled by `ready` and not `paid`: remove `charge`",
                    declared()
                ),
            ),
            Money::Moves | Money::Untouched => cx.error(
                charge.span(),
                format!(
                    "`{}` charges nothing: its answer is no new payment; remove `charge`",
                    declared()
                ),
            ),
        }
    }
}
