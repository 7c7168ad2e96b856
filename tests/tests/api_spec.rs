//! The ready-made traits against PortOne's own spec: every operation (verb + path) is
//! declared exactly once, with the spec's path parameters, every query parameter reachable
//! under its wire name (a positional argument where the spec requires it, a field of the
//! call's options value where it is optional), and a body exactly where the spec has form
//! fields. (That every body field exists in the request type is `models_request_bodies.rs`.)

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

use portone::model::{
    BillingKeyPayments, DeleteBillingKey, FindAllPayments, FindPayment, NaverReviews,
    PaymentLookup, PaymentStatus, PaymentsByIds, PaymentsByStatus, Requester, ScheduleSorting,
    ScheduleStatus, SchedulesByCustomer, SchedulesByRange, Sorting, UnixTime, VbankOptions,
};
use portone::{Endpoint, Location, Method, Param, Request};
use serde::Serialize;
use serde_json::Value;

const SPEC: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../portone/spec/openapi.json"
));

/// Where the spec cannot be followed to the letter.
/// `GET /naver/reviews` lists `channel_key` as a form field of a GET; a GET has no body,
/// so it is sent as a query parameter.
const FORM_FIELDS_AS_QUERY: &[(&str, &str)] = &[("GET /naver/reviews", "channel_key")];

/// Parameters the spec requires that are options here, with why. Only the 2026-03 revision
/// lists `channel_key` on `GET /naver/reviews`, and PortOne's own SDKs, updated against that
/// revision, do not send it.
const REQUIRED_BUT_OPTIONAL: &[(&str, &str)] = &[("GET /naver/reviews", "channel_key")];

/// Routes the ready-made traits declare beyond the spec, by name. None: routes PortOne hid
/// or never documented (`GET /vbanks/holder`, `POST /subscribe/payments/foreign`, ...) are
/// for users to declare with `#[portone::api]` (see `examples/custom_endpoint.rs`).
const BEYOND_SPEC: &[&str] = &[];

struct Operation {
    id: String,
    path_params: Vec<String>,
    query: BTreeSet<String>,
    required_query: BTreeSet<String>,
    form: BTreeSet<String>,
}

fn spec_operations() -> BTreeMap<String, Operation> {
    let spec: Value = serde_json::from_str(SPEC).unwrap_or_else(|e| panic!("{e}"));
    let mut out = BTreeMap::new();
    let Some(paths) = spec["paths"].as_object() else {
        panic!("no paths")
    };
    for (path, ops) in paths {
        let Some(ops) = ops.as_object() else { continue };
        for (verb, op) in ops {
            if verb == "parameters" {
                continue;
            }
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let named = |place: &str| {
                params
                    .iter()
                    .filter(|p| p["in"] == place)
                    .filter_map(|p| p["name"].as_str().map(str::to_owned))
                    .collect::<Vec<_>>()
            };
            let required_query = params
                .iter()
                .filter(|p| p["in"] == "query" && p["required"] == true)
                .filter_map(|p| p["name"].as_str().map(str::to_owned))
                .collect();
            let mut form: BTreeSet<String> = named("formData").into_iter().collect();
            form.extend(named("body"));
            let key = format!("{} {}", verb.to_uppercase(), path);
            let previous = out.insert(
                key.clone(),
                Operation {
                    id: op["operationId"].as_str().unwrap_or_default().to_owned(),
                    path_params: named("path"),
                    query: named("query").into_iter().collect(),
                    required_query,
                    form,
                },
            );
            assert!(previous.is_none(), "{key} twice in the spec");
        }
    }
    out
}

/// `/payments/find/<merchant_uid>/<payment_status?>` → `/payments/find/{merchant_uid}/{payment_status}`.
fn spec_path(template: &str) -> String {
    template
        .replace("?>", ">")
        .replace('<', "{")
        .replace('>', "}")
}

fn endpoint_key(endpoint: &Endpoint) -> String {
    format!("{} {}", endpoint.method, spec_path(endpoint.template))
}

/// The query names a value sends, through the crate's own query encoding. The value must
/// set every field (its `Debug` shows no unset one), so that no name goes unseen.
fn sent_names<T: Serialize + Debug>(value: T) -> Vec<String> {
    let shown = format!("{value:?}");
    assert!(!shown.contains("None"), "not every option is set: {shown}");
    Request::builder(Method::GET, "/options")
        .path("/options")
        .query("options", &value)
        .build()
        .unwrap_or_else(|e| panic!("{shown}: {e}"))
        .query()
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

/// The query names of the options value that the argument `param` of the ready-made
/// method `method` takes, or `None` when the argument is a single query parameter.
fn options_names(method: &str, param: &Param) -> Option<Vec<String>> {
    let t = UnixTime::from(1_700_000_000);
    let names = match (method, param.name) {
        ("payment_with", "options") => sent_names(PaymentLookup::new().include_sandbox(true)),
        ("payments", "ids") => {
            sent_names(PaymentsByIds::new().imp_uids(["i"]).merchant_uids(["m"]))
        }
        ("find_payment_with", "options") => sent_names(
            FindPayment::new()
                .payment_status(PaymentStatus::Paid)
                .sorting(Sorting::PaidAsc),
        ),
        ("find_all_payments", "options") => sent_names(
            FindAllPayments::new()
                .payment_status(PaymentStatus::Paid)
                .page(2)
                .limit(3)
                .sorting(Sorting::PaidAsc),
        ),
        ("payments_by_status", "options") => sent_names(
            PaymentsByStatus::new()
                .page(2)
                .limit(3)
                .from(t)
                .to(t)
                .sorting(Sorting::UpdatedDesc),
        ),
        ("schedules_by_range", "options") => sent_names(
            SchedulesByRange::new()
                .schedule_status(ScheduleStatus::Scheduled)
                .page(2)
                .limit(3)
                .sorting(ScheduleSorting::ScheduledAsc),
        ),
        ("schedules_by_customer" | "billing_key_schedules", "options") => sent_names(
            SchedulesByCustomer::new()
                .page(2)
                .schedule_status(ScheduleStatus::Revoked),
        ),
        ("billing_key_payments", "options") => sent_names(BillingKeyPayments::new().page(2)),
        ("delete_billing_key", "options") => sent_names(
            DeleteBillingKey::new()
                .reason("closed")
                .requester(Requester::Customer),
        ),
        ("create_vbank" | "revoke_vbank", "options") => {
            sent_names(VbankOptions::new().pg_api_key("key"))
        }
        ("naver_reviews", "options") => sent_names(NaverReviews::new().channel_key("key")),
        _ => return None,
    };
    Some(names)
}

/// The query names an endpoint can send: its single query arguments' keys (positional)
/// and the names its options values send.
fn query_names(endpoint: &Endpoint) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut positional = BTreeSet::new();
    let mut optional = BTreeSet::new();
    for param in endpoint.params_at(Location::Query) {
        assert!(
            options_names(endpoint.name, param).is_none(),
            "`{}({})` is an options value: declare it `#[query(flatten)]`",
            endpoint.name,
            param.name
        );
        positional.insert(param.key.to_owned());
    }
    for param in endpoint.params_at(Location::QueryFields) {
        let names = options_names(endpoint.name, param).unwrap_or_else(|| {
            panic!(
                "`{}({})` sends a struct's fields: add it to `options_names`",
                endpoint.name, param.name
            )
        });
        optional.extend(names);
    }
    (positional, optional)
}

fn keys_at(endpoint: &Endpoint, locations: &[Location]) -> Vec<String> {
    locations
        .iter()
        .flat_map(|&location| endpoint.params_at(location))
        .map(|p| p.key.to_owned())
        .collect()
}

#[test]
fn the_spec_has_80_operations_and_all_are_declared_exactly_once() {
    let operations = spec_operations();
    assert_eq!(operations.len(), 80);
    let mut declared: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for endpoint in portone::api::endpoints() {
        declared
            .entry(endpoint_key(endpoint))
            .or_default()
            .push(endpoint.name);
    }
    let missing: Vec<_> = operations
        .iter()
        .filter(|(key, _)| !declared.contains_key(*key))
        .map(|(key, op)| format!("{key} ({})", op.id))
        .collect();
    assert!(missing.is_empty(), "not declared: {missing:#?}");
    let twice: Vec<_> = declared
        .iter()
        .filter(|(_, names)| names.len() > 1)
        .collect();
    assert!(twice.is_empty(), "declared more than once: {twice:#?}");
    let beyond: Vec<&str> = declared
        .keys()
        .filter(|key| !operations.contains_key(*key))
        .map(String::as_str)
        .collect();
    assert_eq!(
        beyond, BEYOND_SPEC,
        "routes beyond the spec must be listed in BEYOND_SPEC"
    );
    assert_eq!(portone::api::endpoints().count(), 80);
}

#[test]
fn path_query_and_body_parameters_match_the_spec() {
    let operations = spec_operations();
    let mut problems = Vec::new();
    for endpoint in portone::api::endpoints() {
        let key = endpoint_key(endpoint);
        let Some(op) = operations.get(&key) else {
            continue;
        };
        let path = keys_at(endpoint, &[Location::Path, Location::OptionalPath]);
        if path != op.path_params {
            problems.push(format!("{key}: path {path:?}, spec {:?}", op.path_params));
        }
        let moved: BTreeSet<String> = FORM_FIELDS_AS_QUERY
            .iter()
            .filter(|(route, _)| *route == key)
            .map(|(_, field)| (*field).to_owned())
            .collect();
        let (positional, optional) = query_names(endpoint);
        let query: BTreeSet<String> = positional.union(&optional).cloned().collect();
        let want_query: BTreeSet<String> = op.query.union(&moved).cloned().collect();
        if query != want_query {
            problems.push(format!("{key}: query {query:?}, spec {want_query:?}"));
        }
        let has_body = !keys_at(endpoint, &[Location::Body]).is_empty();
        let spec_body = op.form.difference(&moved).next().is_some();
        if has_body != spec_body {
            problems.push(format!(
                "{key}: body {has_body}, spec form fields {:?}",
                op.form
            ));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn only_required_query_parameters_are_positional() {
    let operations = spec_operations();
    let mut problems = Vec::new();
    for endpoint in portone::api::endpoints() {
        let key = endpoint_key(endpoint);
        let Some(op) = operations.get(&key) else {
            continue;
        };
        let (positional, optional) = query_names(endpoint);
        // A form field sent as a query parameter is required by the spec as a form field.
        let required: BTreeSet<String> = FORM_FIELDS_AS_QUERY
            .iter()
            .filter(|(route, _)| *route == key)
            .map(|(_, field)| (*field).to_owned())
            .chain(op.required_query.iter().cloned())
            .filter(|name| !REQUIRED_BUT_OPTIONAL.contains(&(key.as_str(), name.as_str())))
            .collect();
        if positional != required {
            problems.push(format!(
                "{key}: positional {positional:?}, required by the spec {required:?}"
            ));
        }
        if let Some(name) = optional.intersection(&required).next() {
            problems.push(format!("{key}: the required `{name}` is an option"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_options_value_is_taken_by_a_declared_method() {
    // `options_names` names methods and arguments: a renamed one must not leave an entry
    // that checks nothing. (An options argument missing from it reads as one query
    // parameter named after the argument, which the spec comparison refuses.)
    let table = [
        ("payment_with", "options"),
        ("payments", "ids"),
        ("find_payment_with", "options"),
        ("find_all_payments", "options"),
        ("payments_by_status", "options"),
        ("schedules_by_range", "options"),
        ("schedules_by_customer", "options"),
        ("billing_key_schedules", "options"),
        ("billing_key_payments", "options"),
        ("delete_billing_key", "options"),
        ("create_vbank", "options"),
        ("revoke_vbank", "options"),
    ];
    for (method, argument) in table {
        let endpoint = portone::api::endpoints()
            .find(|e| e.name == method)
            .unwrap_or_else(|| panic!("no ready-made `{method}`"));
        let param = endpoint
            .params_at(Location::QueryFields)
            .find(|p| p.name == argument)
            .unwrap_or_else(|| panic!("`{method}` has no options argument `{argument}`"));
        assert!(
            options_names(method, param).is_some(),
            "{method}({argument})"
        );
    }
}

#[test]
fn optional_path_segments_are_the_spec_s_optional_status() {
    let optional: Vec<String> = portone::api::endpoints()
        .filter(|e| {
            e.params
                .iter()
                .any(|p| p.location == Location::OptionalPath)
        })
        .map(endpoint_key)
        .collect();
    assert_eq!(
        optional,
        [
            "GET /payments/find/{merchant_uid}/{payment_status}",
            "GET /payments/findAll/{merchant_uid}/{payment_status}",
        ]
    );
}

#[test]
fn only_reading_posts_are_marked_idempotent() {
    let marked: Vec<String> = portone::api::endpoints()
        .filter(|e| e.method == "POST" && e.idempotent)
        .map(endpoint_key)
        .collect();
    assert_eq!(marked, ["POST /users/getToken", "POST /benepia/point"]);
}

#[test]
fn method_names_are_unique_snake_case() {
    let mut seen = BTreeSet::new();
    for endpoint in portone::api::endpoints() {
        assert!(
            endpoint
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "{}",
            endpoint.name
        );
        assert!(seen.insert(endpoint.name), "{} twice", endpoint.name);
    }
}
