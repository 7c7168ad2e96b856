//! Each method against PortOne's V1 spec: the route exists with that verb, every `#[query]`
//! is a parameter the spec lists for it, the required ones are sent, and a `#[body]` is
//! there exactly when the spec has body fields. A route marked `undocumented` skips this,
//! and must not be one the spec documents.
//!
//! The spec is data compiled into the macro (`table.rs`, generated from the vendored copy,
//! its rows typed in `operation.rs`): no file is read and no JSON parsed while compiling a
//! user's crate. This file checks the arguments; `route.rs` finds the route, by position, so
//! a placeholder's name is the user's choice; `suggest.rs` finds what a mistaken route or
//! name may have meant.

mod operation;
mod route;
mod suggest;
// Generated; `tests/tests/spec_table.rs` compares it byte for byte with what it generates.
#[rustfmt::skip]
mod table;

pub(crate) use self::operation::is_param;
use self::operation::{Field, Operation};
pub(crate) use self::route::{documented, fits};
use self::suggest::list;
use crate::ast::Method;
use crate::attr::ArgAttr;
use crate::ctxt::Ctxt;

pub(crate) fn check(method: &Method<'_>, cx: &mut Ctxt) {
    if let Some(op) = route::check(method, cx) {
        check_arguments(method, op, cx);
    }
}

fn check_arguments(method: &Method<'_>, op: &Operation, cx: &mut Ctxt) {
    let verb = method.route.verb;
    let route = format!("{} {}", verb.http(), op.path);
    let mut sent: Vec<String> = Vec::new();
    let mut flattened = false;
    let mut has_body = false;
    for arg in &method.args {
        let Some(marker) = &arg.marker else { continue };
        match &marker.attr {
            // A marked argument that fills a placeholder is `valid`'s to report.
            ArgAttr::Query(_) if method.template.params().any(|(name, _)| name == arg.name) => {}
            ArgAttr::Query(key) => {
                let (name, span, bare) = match key {
                    Some(key) => (key.value(), key.span(), false),
                    None => (arg.name.clone(), arg.ident.span(), true),
                };
                if op.query.iter().any(|field| field.name == name) {
                    sent.push(name);
                } else {
                    let (message, suggested) = unknown_query(&name, bare, op, &route);
                    // The parameter the typo stands for is not reported missing as well.
                    sent.extend(suggested.map(str::to_owned));
                    cx.error(span, message);
                }
            }
            ArgAttr::Flatten => {
                flattened = true;
                if op.query.is_empty() {
                    cx.error_spanned(
                        marker.tokens,
                        format!("PortOne documents no query parameters for `{route}`: remove this argument"),
                    );
                }
            }
            ArgAttr::Body => {
                has_body = true;
                // Where the verb takes no body, `valid` has said so already.
                if op.body.is_empty() && verb.allows_body() {
                    cx.error_spanned(
                        marker.tokens,
                        format!("PortOne documents no body for `{route}`: remove `#[body]`"),
                    );
                }
            }
            ArgAttr::Header(_) => {}
        }
    }
    // A malformed argument might be the one that sends what looks missing.
    if !method.complete {
        return;
    }
    let span = method.route.template.span();
    if !flattened {
        let missing = op
            .query
            .iter()
            .filter(|field| field.required && !sent.iter().any(|name| name == field.name));
        if let Some(message) = required(missing, "query parameter", &route, QUERY_FIX) {
            cx.error(span, message);
        }
    }
    if !has_body && verb.allows_body() {
        let missing = op.body.iter().filter(|field| field.required);
        if let Some(message) = required(missing, "body field", &route, BODY_FIX) {
            cx.error(span, message);
        }
    }
}

/// How to send one missing field, or several.
const QUERY_FIX: [&str; 2] = [
    "add a `#[query]` argument for it",
    "add a `#[query]` argument for each",
];
const BODY_FIX: [&str; 2] = [
    "add a `#[body]` argument that holds it",
    "add a `#[body]` argument that holds them",
];

/// "PortOne requires the query parameters `from` and `to` for `GET /x`: add a `#[query]`
/// argument for each", or `None` when nothing is missing.
fn required<'a>(
    missing: impl Iterator<Item = &'a Field>,
    what: &str,
    route: &str,
    fix: [&str; 2],
) -> Option<String> {
    let names: Vec<String> = missing.map(|field| format!("`{}`", field.name)).collect();
    let (plural, fix) = match names.len() {
        0 => return None,
        1 => ("", fix[0]),
        _ => ("s", fix[1]),
    };
    Some(format!(
        "PortOne requires the {what}{plural} {} for `{route}`: {fix}",
        list(&names, "and")
    ))
}

/// The message for a query parameter the spec does not list, and the parameter suggested
/// in its place.
fn unknown_query(
    name: &str,
    bare: bool,
    op: &Operation,
    route: &str,
) -> (String, Option<&'static str>) {
    let head = format!("PortOne documents no query parameter `{name}` for `{route}`");
    if let Some(near) = suggest::query(name, op) {
        return (format!("{head}; did you mean `{near}`?"), Some(near));
    }
    let message = if op.body.iter().any(|field| field.name == name) {
        format!("{head}: `{name}` is a body field, send it in the `#[body]` argument")
    } else if op.query.is_empty() {
        format!("{head}: it takes none")
    } else {
        let names: Vec<String> = op.query.iter().map(|f| format!("`{}`", f.name)).collect();
        let mut message = format!("{head} (it lists {})", list(&names, "and"));
        if bare {
            message.push_str(&format!(
                "; if `{name}` is a struct of parameters, write `#[query(flatten)]`"
            ));
        }
        message
    };
    (message, None)
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;
    use crate::ast::Api;

    /// Every error the macro reports for `tokens`, a whole trait.
    fn errors(tokens: proc_macro2::TokenStream) -> Vec<String> {
        let item: syn::ItemTrait = syn::parse2(tokens).expect("a trait");
        let mut cx = Ctxt::new();
        let api = Api::from_syn(&item, &mut cx);
        crate::valid::check(&api, &mut cx);
        match cx.check() {
            Ok(()) => Vec::new(),
            Err(error) => error.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    fn assert_errors(tokens: proc_macro2::TokenStream, expected: &[&str]) {
        assert_eq!(errors(tokens), expected);
    }

    #[test]
    fn reports_routes_the_spec_does_not_document() {
        assert_errors(
            quote!(
                trait T {
                    #[get("/payments/<imp_uid>/balanse")]
                    async fn a(&self, imp_uid: &str) -> R;
                    #[post("/payments/<imp_uid>")]
                    async fn b(&self, imp_uid: &str) -> R;
                    #[put("/receipts/<imp_uid>")]
                    async fn c(&self, imp_uid: &str) -> R;
                    #[get("/vbanks/holder")]
                    async fn d(&self) -> R;
                    #[put("/tiers/<code>")]
                    async fn e(&self, code: &str) -> R;
                    #[post("/subscribe/payments/foreign")]
                    async fn f(&self) -> R;
                    #[get("/foo")]
                    async fn g(&self) -> R;
                }
            ),
            &[
                "no PortOne V1 route `GET /payments/{imp_uid}/balanse`; did you mean `GET /payments/{imp_uid}/balance`?",
                "PortOne documents `GET` for `/payments/{imp_uid}`, not `POST`",
                "PortOne documents `GET`, `POST` and `DELETE` for `/receipts/{imp_uid}`, not `PUT`",
                "no PortOne V1 route `GET /vbanks/holder`: last documented in the 2025-09 revision of PortOne's spec, hidden from its docs since 2026-03; mark it `undocumented` to declare it anyway",
                "no PortOne V1 route `PUT /tiers/{code}`: last documented in the 2024-03 revision of PortOne's spec, removed by 2025-09; mark it `undocumented` to declare it anyway",
                "no PortOne V1 route `POST /subscribe/payments/foreign` (nearest: `POST /subscribe/payments/again`, `POST /subscribe/payments/onetime` or `POST /subscribe/payments/schedule`); if PortOne serves it anyway, mark it `undocumented`",
                "no PortOne V1 route `GET /foo`; if PortOne serves it anyway, mark it `undocumented`",
            ],
        );
    }

    #[test]
    fn undocumented_skips_the_check_and_stays_true() {
        assert_errors(
            quote!(
                trait T {
                    #[get("/vbanks/holder", undocumented)]
                    async fn a(&self, #[query] bank_code: &str) -> R;
                    #[post("/subscribe/payments/foreign", undocumented)]
                    async fn b(&self, #[body] body: &B) -> R;
                    #[put("/payments/<imp_uid>", undocumented)]
                    async fn c(&self, imp_uid: &str) -> R;
                    #[get("/payments/<id>", undocumented)]
                    async fn d(&self, id: &str, #[query] anything: u8) -> R;
                }
            ),
            &["PortOne documents `GET /payments/{imp_uid}`: remove `undocumented`"],
        );
    }

    #[test]
    fn reports_query_parameters_the_spec_does_not_list() {
        assert_errors(
            quote!(
                trait T {
                    #[get("/payments/<imp_uid>")]
                    async fn a(&self, imp_uid: &str, #[query] include_sandbx: bool) -> R;
                    #[get("/payments")]
                    async fn b(
                        &self,
                        #[query] imp_uid: &[&str],
                        #[query("merchant_uid")] m: &[&str],
                    ) -> R;
                    #[get("/payments/status/<s>")]
                    async fn c(&self, s: &str, #[query] filter: &F) -> R;
                    #[get("/payments/status/<s>")]
                    async fn d(&self, s: &str, #[query("filter")] f: &F) -> R;
                    #[post("/payments/cancel")]
                    async fn e(&self, #[query] imp_uid: &str) -> R;
                    #[get("/payments/<imp_uid>/balance")]
                    async fn f(&self, imp_uid: &str, #[query] page: u32) -> R;
                    #[get("/payments/<imp_uid>/balance")]
                    async fn g(&self, imp_uid: &str, #[query(flatten)] page: &P) -> R;
                }
            ),
            &[
                "PortOne documents no query parameter `include_sandbx` for `GET /payments/{imp_uid}`; did you mean `include_sandbox`?",
                "PortOne documents no query parameter `imp_uid` for `GET /payments`; did you mean `imp_uid[]`?",
                "PortOne documents no query parameter `merchant_uid` for `GET /payments`; did you mean `merchant_uid[]`?",
                "PortOne documents no query parameter `filter` for `GET /payments/status/{payment_status}` (it lists `page`, `limit`, `from`, `to` and `sorting`); if `filter` is a struct of parameters, write `#[query(flatten)]`",
                // Named explicitly, it is not a struct.
                "PortOne documents no query parameter `filter` for `GET /payments/status/{payment_status}` (it lists `page`, `limit`, `from`, `to` and `sorting`)",
                "PortOne documents no query parameter `imp_uid` for `POST /payments/cancel`: `imp_uid` is a body field, send it in the `#[body]` argument",
                "PortOne documents no query parameter `page` for `GET /payments/{imp_uid}/balance`: it takes none",
                "PortOne documents no query parameters for `GET /payments/{imp_uid}/balance`: remove this argument",
            ],
        );
    }

    #[test]
    fn reports_required_query_parameters_no_argument_sends() {
        assert_errors(
            quote!(
                trait T {
                    #[get("/naver/reviews")]
                    async fn a(&self, #[query] from: u64) -> R;
                    #[get("/subscribe/customers")]
                    async fn b(&self) -> R;
                    // The typo is reported; the parameter it stands for is not reported missing.
                    #[get("/subscribe/customers/<c>/schedules")]
                    async fn c(&self, c: &str, #[query] fro: u64, #[query] to: u64) -> R;
                    // A struct of parameters may send them.
                    #[get("/subscribe/customers/<c>/schedules")]
                    async fn d(&self, c: &str, #[query(flatten)] range: &Range) -> R;
                    // A malformed argument may be the one that sends it.
                    #[get("/subscribe/customers")]
                    async fn e(&self, (a, b): (u8, u8)) -> R;
                }
            ),
            &[
                "PortOne requires the query parameters `channel_key`, `to` and `review_type` for `GET /naver/reviews`: add a `#[query]` argument for each",
                "PortOne requires the query parameter `customer_uid[]` for `GET /subscribe/customers`: add a `#[query]` argument for it",
                "PortOne documents no query parameter `fro` for `GET /subscribe/customers/{customer_uid}/schedules`; did you mean `from`?",
                "an api argument must be a plain name, like `imp_uid: &str`",
            ],
        );
    }

    #[test]
    fn reports_a_body_the_spec_does_not_have_or_needs() {
        assert_errors(
            quote!(
                trait T {
                    #[post("/payments/<imp_uid>/naver/point")]
                    async fn a(&self, imp_uid: &str, #[body] body: &B) -> R;
                    #[post("/payments/prepare")]
                    async fn b(&self) -> R;
                    #[post("/partners/receipts/<imp_uid>")]
                    async fn c(&self, imp_uid: &str) -> R;
                    // Optional fields only: no body is fine.
                    #[post("/payments/cancel")]
                    async fn d(&self) -> R;
                    // `valid` reports the body of a GET; the spec check adds nothing.
                    #[get("/payments/<imp_uid>")]
                    async fn e(&self, imp_uid: &str, #[body] body: &B) -> R;
                }
            ),
            &[
                "PortOne documents no body for `POST /payments/{imp_uid}/naver/point`: remove `#[body]`",
                "PortOne requires the body fields `merchant_uid` and `amount` for `POST /payments/prepare`: add a `#[body]` argument that holds them",
                "PortOne requires the body field `data` for `POST /partners/receipts/{imp_uid}`: add a `#[body]` argument that holds it",
                "`get` requests have no body: pass the fields as `#[query]` arguments",
            ],
        );
    }

    #[test]
    fn accepts_own_placeholder_names_optional_segments_and_array_names() {
        assert_errors(
            quote!(
                trait T {
                    #[get("/payments/<id>")]
                    async fn a(&self, id: &str, #[query] include_sandbox: bool) -> R;
                    #[get("/payments/find/<order>/<status?>")]
                    async fn b(&self, order: &str, status: Option<S>) -> R;
                    #[get("/payments/find/<order>/<status>")]
                    async fn c(&self, order: &str, status: S) -> R;
                    #[get("/payments/findAll/<order>")]
                    async fn d(&self, order: &str, #[query] page: u32) -> R;
                    #[get("/payments")]
                    async fn e(&self, #[query("imp_uid[]")] ids: &[&str]) -> R;
                    #[delete("/subscribe/customers/<uid>")]
                    async fn f(&self, uid: &str, #[query("extra[requester]")] r: &str) -> R;
                    #[get("/naver/reviews")]
                    async fn g(
                        &self,
                        #[query] channel_key: &str,
                        #[query(flatten)] range: &Range,
                    ) -> R;
                }
            ),
            &[],
        );
    }

    #[test]
    fn a_marked_argument_that_fills_a_placeholder_is_reported_once() {
        assert_errors(
            quote!(
                trait T {
                    #[get("/payments/<imp_uid>")]
                    async fn a(&self, #[query] imp_uid: &str) -> R;
                }
            ),
            &["argument `imp_uid` fills the path parameter `<imp_uid>`: remove `#[query]`"],
        );
    }
}
