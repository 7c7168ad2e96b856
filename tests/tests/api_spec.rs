//! The ready-made traits against PortOne's own spec: every operation (verb + path) is
//! declared exactly once, with the spec's path and query parameter names, and a body
//! exactly where the spec has form fields. (That every body field exists in the request
//! type is `models_request_bodies.rs`.)

use std::collections::{BTreeMap, BTreeSet};

use portone::{Endpoint, Location};
use serde_json::Value;

const SPEC: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../portone/spec/openapi.json"
));

/// Where the spec cannot be followed to the letter.
/// `GET /naver/reviews` lists `channel_key` as a form field of a GET; a GET has no body,
/// so it is sent as a query parameter.
const FORM_FIELDS_AS_QUERY: &[(&str, &str)] = &[("GET /naver/reviews", "channel_key")];

/// Routes the ready-made traits declare beyond the spec, by name. None: routes PortOne hid
/// or never documented (`GET /vbanks/holder`, `POST /subscribe/payments/foreign`, ...) are
/// for users to declare with `#[portone::api]` (see `examples/custom_endpoint.rs`).
const BEYOND_SPEC: &[&str] = &[];

struct Operation {
    id: String,
    path_params: Vec<String>,
    query: BTreeSet<String>,
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
            let mut form: BTreeSet<String> = named("formData").into_iter().collect();
            form.extend(named("body"));
            let key = format!("{} {}", verb.to_uppercase(), path);
            let previous = out.insert(
                key.clone(),
                Operation {
                    id: op["operationId"].as_str().unwrap_or_default().to_owned(),
                    path_params: named("path"),
                    query: named("query").into_iter().collect(),
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
        let query: BTreeSet<String> = keys_at(endpoint, &[Location::Query]).into_iter().collect();
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
