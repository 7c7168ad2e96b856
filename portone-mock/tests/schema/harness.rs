//! The harness: a subset of JSON Schema, enough to check answers against PortOne's
//! Swagger 2.0 spec, and a runner that calls one operation and checks its answer.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Map, Value, json};

use crate::common::Api;

/// A subset of JSON Schema, enough for the spec: `$ref`, `allOf`, `properties`,
/// `required`, `type`, `items`. As on PortOne's wire, an optional field may be `null`; a
/// required one may not. Extra fields are allowed (PortOne adds fields without notice).
pub(crate) struct Validator<'a> {
    pub(crate) defs: &'a Map<String, Value>,
    pub(crate) errors: Vec<String>,
}

impl Validator<'_> {
    pub(crate) fn check(&mut self, schema: &Value, value: &Value, at: &str) {
        if let Some(r) = schema["$ref"].as_str() {
            let name = r.trim_start_matches("#/definitions/");
            match self.defs.get(name) {
                Some(def) => self.check(def, value, at),
                None => self.errors.push(format!("{at}: unknown $ref {r}")),
            }
            return;
        }
        for part in schema["allOf"].as_array().into_iter().flatten() {
            self.check(part, value, at);
        }
        if let Some(kind) = schema["type"].as_str() {
            let fits = match kind {
                "string" => value.is_string(),
                "integer" => value.is_i64() || value.is_u64(),
                "number" => value.is_number(),
                "boolean" => value.is_boolean(),
                "array" => value.is_array(),
                "object" => value.is_object(),
                _ => true,
            };
            if !fits {
                self.errors
                    .push(format!("{at}: expected {kind}, got {value}"));
                return;
            }
        }
        if let (Some(items), Some(list)) = (schema.get("items"), value.as_array()) {
            for (i, item) in list.iter().enumerate() {
                self.check(items, item, &format!("{at}[{i}]"));
            }
        }
        let Some(props) = schema["properties"].as_object() else {
            return;
        };
        let Some(obj) = value.as_object() else {
            self.errors
                .push(format!("{at}: expected an object, got {value}"));
            return;
        };
        // Two definitions require fields they never declare (`PaymentPrepareAnnotation`
        // requires `total`, `previous`, `next`; `BenepiaPointAnnotation` `bank_holder`),
        // copy-paste slips of the spec: only declared fields are held to `required`.
        let required = schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str);
        for name in required.filter(|n| props.contains_key(*n)) {
            if obj.get(name).is_none_or(Value::is_null) {
                self.errors
                    .push(format!("{at}.{name}: required, missing or null"));
            }
        }
        for (name, sub) in props {
            if let Some(v) = obj.get(name).filter(|v| !v.is_null()) {
                self.check(sub, v, &format!("{at}.{name}"));
            }
        }
    }

    /// The spec writes "one of these responses" as an object whose properties are named
    /// after definitions (the billing-key routes).
    pub(crate) fn check_response(&mut self, schema: &Value, value: &Value) {
        let alternatives: Vec<&Value> = schema["properties"]
            .as_object()
            .filter(|p| p.keys().all(|k| self.defs.contains_key(k)))
            .map(|p| p.values().collect())
            .unwrap_or_default();
        if alternatives.is_empty() {
            return self.check(schema, value, "$");
        }
        let mut failures = Vec::new();
        for alt in alternatives {
            let mut v = Validator {
                defs: self.defs,
                errors: Vec::new(),
            };
            v.check(alt, value, "$");
            if v.errors.is_empty() {
                return;
            }
            failures.extend(v.errors);
        }
        self.errors.extend(failures);
    }
}

/// Operations whose answer the spec gets wrong, and PortOne's own SDKs get right: the
/// three schedule listings answer a page `{total, previous, next, list}` where the spec
/// says an array (NOTES, "Where the spec and the live server disagree"). Their `list` is
/// held to the spec's array.
pub(crate) const PAGED_IN_PRACTICE: [&str; 3] = [
    "GET /subscribe/payments/schedule",
    "GET /subscribe/payments/schedule/customers/{customer_uid}",
    "GET /subscribe/customers/{customer_uid}/schedules",
];

/// The answer as the spec describes it: for [`PAGED_IN_PRACTICE`], checks the page and
/// puts its `list` where the spec expects the array.
fn as_specified(operation: &str, body: &Value, errors: &mut Vec<String>) -> Value {
    if !PAGED_IN_PRACTICE.contains(&operation) {
        return body.clone();
    }
    let page = &body["response"];
    let counters_ok = ["total", "previous", "next"]
        .iter()
        .all(|k| page[*k].is_u64());
    if !counters_ok || !page["list"].is_array() {
        errors.push(format!("{operation}: not a page: {page}"));
    }
    let mut body = body.clone();
    body["response"] = page["list"].clone();
    body
}

pub(crate) struct Run<'a> {
    pub(crate) spec: &'a Value,
    pub(crate) api: Api,
    pub(crate) covered: BTreeSet<(String, String)>,
    pub(crate) errors: Vec<String>,
}

impl Run<'_> {
    /// Calls `method path` (the concrete form of `template`), expects 200 and a body valid
    /// for the spec's 200 schema of `template`; returns `response`.
    pub(crate) async fn call(
        &mut self,
        method: Method,
        template: &str,
        path: &str,
        body: Option<Value>,
    ) -> Value {
        let answer = match &body {
            Some(b) => self.api.call(method.clone(), path, b).await,
            None if method == Method::DELETE => self.api.delete(path).await,
            None => self.api.get(path).await,
        };
        let op = &self.spec["paths"][template][method.as_str().to_ascii_lowercase()];
        assert!(op.is_object(), "{method} {template} is not in the spec");
        self.covered
            .insert((method.to_string(), template.to_owned()));
        if answer.status != 200 || answer.code() != 0 {
            self.errors.push(format!(
                "{method} {path}: {} {}",
                answer.status, answer.body
            ));
            return Value::Null;
        }
        let schema = &op["responses"]["200"]["schema"];
        if schema.is_object() {
            let defs = self.spec["definitions"].as_object().expect("definitions");
            let mut v = Validator {
                defs,
                errors: Vec::new(),
            };
            let operation = format!("{method} {template}");
            let body = as_specified(&operation, &answer.body, &mut v.errors);
            v.check_response(schema, &body);
            self.errors.extend(
                v.errors
                    .into_iter()
                    .map(|e| format!("{method} {path}: {e}")),
            );
        }
        answer.response().clone()
    }
}

pub(crate) fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

#[test]
fn the_validator_catches_mistakes() {
    let spec = super::spec();
    let defs = spec["definitions"].as_object().expect("definitions");
    let schema = json!({ "$ref": "#/definitions/PaymentResponse" });
    let good = json!({"code": 0, "message": null, "response": {
        "imp_uid": "imp_1", "merchant_uid": "m", "sandbox": false, "amount": 1,
        "cancel_amount": 0, "currency": "KRW", "status": "paid", "cancel_history": [],
    }});
    let mut v = Validator {
        defs,
        errors: Vec::new(),
    };
    v.check_response(&schema, &good);
    assert!(v.errors.is_empty(), "{:?}", v.errors);
    let mut bad = good.clone();
    bad["response"]["amount"] = json!("1");
    bad["response"]["imp_uid"] = Value::Null;
    bad["response"]["cancel_history"] = json!([{"amount": 1}]);
    let mut v = Validator {
        defs,
        errors: Vec::new(),
    };
    v.check_response(&schema, &bad);
    let text = v.errors.join("\n");
    for needle in [
        "$.response.amount: expected number",
        "$.response.imp_uid: required",
        "$.response.cancel_history[0].pg_tid: required",
    ] {
        assert!(text.contains(needle), "{needle} not in {text}");
    }

    // The paged listings: a page passes on, a bare array is caught.
    let op = PAGED_IN_PRACTICE[0];
    let mut errors = Vec::new();
    let page = json!({"code": 0, "response": {"total": 1, "previous": 0, "next": 0, "list": [1]}});
    assert_eq!(as_specified(op, &page, &mut errors)["response"], json!([1]));
    assert!(errors.is_empty(), "{errors:?}");
    as_specified(op, &json!({"code": 0, "response": [1]}), &mut errors);
    assert_eq!(errors.len(), 1);
}
