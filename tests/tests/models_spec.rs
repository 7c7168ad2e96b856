//! Every response definition of the vendored spec decodes a payload generated from its
//! own schema into the Rust type mapped to it, and no definition used by an operation is
//! left without a type.

use std::collections::{BTreeMap, BTreeSet};

use portone::model::{
    AnyBillingKey, BalanceAmounts, BalanceHistory, BenepiaPoint, BillingKey, Certification,
    CertificationOtp, EscrowLogis, ExternalReceipt, FailedChannel, KcpQuickAutoPayKey,
    KcpQuickFidoError, KcpQuickFidoRelease, KcpQuickMember, NaverAddress, NaverCashAmount,
    NaverOrderer, NaverProductOrder, NaverReview, PartnerReceiptResult, PaycoStatus, Payment,
    PaymentBalance, PaymentCancelHistory, PaymentList, PaymentPrepare, PaymentwallDeliveryResult,
    PgSetting, Receipt, Schedule, ScheduleList, StandardCode, SucceededChannel, SuperBillingKey,
    TierInfo, VbankDeposit, VbankHolder,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

const SPEC: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../portone/spec/openapi.json"
));

/// Definitions the runtime owns: the access token is not a model of this crate.
const RUNTIME_OWNED: &[&str] = &["AuthAnnotation", "AuthResponse"];

type Check = fn(&Value) -> Result<(), String>;

fn spec() -> Value {
    serde_json::from_str(SPEC).expect("the vendored spec is JSON")
}

/// Decodes `value` into `T`, naming the JSON path that failed.
fn inner<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    serde_json::from_value(value.clone()).map_err(|error| error.to_string())
}

fn plain<T: DeserializeOwned>(value: &Value) -> Result<(), String> {
    inner::<T>(value).map(drop)
}

/// An envelope `{code, message, response}` whose `response` is a `T`.
fn envelope<T: DeserializeOwned>(value: &Value) -> Result<(), String> {
    for key in ["code", "message"] {
        if value.get(key).is_none() {
            return Err(format!("envelope without `{key}`: {value}"));
        }
    }
    plain::<T>(value.get("response").unwrap_or(&Value::Null))
}

/// Definition name → how its generated payload must decode.
fn table() -> BTreeMap<&'static str, Check> {
    let entries: [(&'static str, Check); 62] = [
        ("BenepiaPointAnnotation", plain::<BenepiaPoint>),
        ("BenepiaPointResponse", envelope::<BenepiaPoint>),
        ("CertificationAnnotation", plain::<Certification>),
        ("CertificationResponse", envelope::<Certification>),
        ("CertificationOTPAnnotation", plain::<CertificationOtp>),
        ("CertificationOTPResponse", envelope::<CertificationOtp>),
        ("CustomerAnnotation", plain::<BillingKey>),
        ("CustomerResponse", |value| {
            let any: AnyBillingKey = inner(&value["response"])?;
            match any {
                AnyBillingKey::Single(_) => envelope::<BillingKey>(value),
                other => Err(format!("a plain billing key read as {other:?}")),
            }
        }),
        ("MultipleCustomersResponse", envelope::<Vec<BillingKey>>),
        ("SuperBillingKeyAnnotation", plain::<SuperBillingKey>),
        ("SuperBillingKeyResponse", |value| {
            let any: AnyBillingKey = inner(&value["response"])?;
            match any {
                AnyBillingKey::Super(_) => envelope::<SuperBillingKey>(value),
                other => Err(format!("a super billing key read as {other:?}")),
            }
        }),
        ("SucceededChannelAnnotation", plain::<SucceededChannel>),
        ("FailedChannelAnnotation", plain::<FailedChannel>),
        ("EscrowLogisAnnotation", plain::<EscrowLogis>),
        ("EscrowLogisResponse", envelope::<EscrowLogis>),
        ("KcpQuickMemberAnnotation", plain::<KcpQuickMember>),
        ("KcpQuickMemberResponse", envelope::<KcpQuickMember>),
        ("NaverAddress", plain::<NaverAddress>),
        ("NaverOrderer", plain::<NaverOrderer>),
        ("NaverCashAmountAnnotation", plain::<NaverCashAmount>),
        ("NaverCashAmountResponse", envelope::<NaverCashAmount>),
        ("NaverProductOrderAnnotation", plain::<NaverProductOrder>),
        ("NaverProductOrderResponse", envelope::<NaverProductOrder>),
        (
            "NaverProductOrderArrayResponse",
            envelope::<Vec<NaverProductOrder>>,
        ),
        ("NaverReviewAnnotation", plain::<NaverReview>),
        ("NaverReviewsResponse", envelope::<Vec<NaverReview>>),
        (
            "PartnerReceiptResultAnnotation",
            plain::<PartnerReceiptResult>,
        ),
        ("PartnerReceiptResponse", envelope::<PartnerReceiptResult>),
        ("PaycoStatusAnnotation", plain::<PaycoStatus>),
        ("PaycoStatusResponse", envelope::<PaycoStatus>),
        ("PaymentAnnotation", plain::<Payment>),
        ("PaymentResponse", envelope::<Payment>),
        ("MultiplePaymentsResponse", envelope::<Vec<Payment>>),
        ("PaymentCancelAnnotation", plain::<PaymentCancelHistory>),
        ("VbankDepositAnnotation", plain::<VbankDeposit>),
        ("PagedPaymentAnnotation", plain::<PaymentList>),
        ("PaymentListResponse", envelope::<PaymentList>),
        ("PaymentBalanceAnnotation", plain::<BalanceAmounts>),
        ("PaymentBalanceHistoriesAnnotation", plain::<BalanceHistory>),
        ("PaymentBalanceResponseAnnotation", plain::<PaymentBalance>),
        ("PaymentBalanceResponse", envelope::<PaymentBalance>),
        ("PaymentPrepareAnnotation", plain::<PaymentPrepare>),
        ("PaymentPrepareResponse", envelope::<PaymentPrepare>),
        (
            "PaymentwallDeliveryDetailAnnotation",
            plain::<PaymentwallDeliveryResult>,
        ),
        (
            "PaymentwallDeliveryAnnotation",
            envelope::<PaymentwallDeliveryResult>,
        ),
        ("PgSettingAnnotation", plain::<PgSetting>),
        ("MultiplePgSettingResponse", envelope::<Vec<PgSetting>>),
        ("ReceiptAnnotation", plain::<Receipt>),
        ("ReceiptResponse", envelope::<Receipt>),
        ("ExternalReceiptAnnotation", plain::<ExternalReceipt>),
        ("ExternalReceiptResponse", envelope::<ExternalReceipt>),
        // Operations that answer only `code` and `message`.
        ("ResponseAnnotation", envelope::<()>),
        ("ScheduleResultAnnotation", plain::<Schedule>),
        // The array of schedule and unschedule; the three listings read it as one page.
        ("ScheduleResponse", |value| {
            envelope::<Vec<Schedule>>(value)?;
            envelope::<ScheduleList>(value)
        }),
        ("SingleScheduleResponse", envelope::<Schedule>),
        ("StandardCodeAnnotation", plain::<StandardCode>),
        ("StandardCodeResponse", envelope::<StandardCode>),
        ("StandardCodeListResponse", envelope::<Vec<StandardCode>>),
        ("TierAnnotation", plain::<TierInfo>),
        ("TierResponse", envelope::<TierInfo>),
        // Not used by a documented operation: the hidden `GET /vbanks/holder`.
        ("VbankHolderAnnotation", plain::<VbankHolder>),
        ("VbankHolderResponse", envelope::<VbankHolder>),
    ];
    entries.into_iter().collect()
}

/// Operations whose 200 answer is an inline schema rather than a definition.
fn inline_table() -> BTreeMap<&'static str, Check> {
    let entries: [(&'static str, Check); 2] = [
        ("DELETE /kcpquick/autopay/{customer_uid}", |value| {
            envelope::<KcpQuickAutoPayKey>(value)
        }),
        ("POST /kcpquick/members/{member_id}/fido/release", |value| {
            envelope::<KcpQuickFidoRelease>(value)?;
            plain::<KcpQuickFidoError>(&value["error"])
        }),
    ];
    entries.into_iter().collect()
}

/// A payload for `schema`: strings, integers, numbers and booleans get a sample value,
/// arrays hold one item, objects every property, `$ref` and `allOf` are followed, an
/// enum takes its first value.
fn generate(schema: &Value, definitions: &Map<String, Value>, depth: usize) -> Value {
    assert!(depth < 16, "schema nests too deep: {schema}");
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/definitions/");
        let definition = definitions
            .get(name)
            .unwrap_or_else(|| panic!("dangling reference {reference}"));
        return generate(definition, definitions, depth + 1);
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return first.clone();
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for part in parts {
            if let Value::Object(object) = generate(part, definitions, depth + 1) {
                merged.extend(object);
            }
        }
        return Value::Object(merged);
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        return Value::Object(
            properties
                .iter()
                .map(|(key, property)| (key.clone(), generate(property, definitions, depth + 1)))
                .collect(),
        );
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => json!("string"),
        Some("integer") => json!(1),
        Some("number") => json!(1.5),
        Some("boolean") => json!(true),
        Some("array") => {
            let items = schema
                .get("items")
                .cloned()
                .unwrap_or(json!({"type": "string"}));
            json!([generate(&items, definitions, depth + 1)])
        }
        _ => json!({}),
    }
}

fn collect_refs(value: &Value, found: &mut BTreeSet<String>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                match (key.as_str(), child.as_str()) {
                    ("$ref", Some(reference)) => {
                        found.insert(reference.trim_start_matches("#/definitions/").to_owned());
                    }
                    _ => collect_refs(child, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, found)),
        _ => {}
    }
}

/// Every definition reachable from the operations' responses.
fn response_definitions(spec: &Value) -> BTreeSet<String> {
    let definitions = spec["definitions"].as_object().expect("definitions");
    let mut found = BTreeSet::new();
    for operations in spec["paths"].as_object().expect("paths").values() {
        for operation in operations.as_object().expect("operations").values() {
            collect_refs(&operation["responses"], &mut found);
        }
    }
    loop {
        let mut next = found.clone();
        for name in &found {
            collect_refs(&definitions[name], &mut next);
        }
        if next == found {
            return found;
        }
        found = next;
    }
}

fn operations(spec: &Value) -> Vec<(String, &Value)> {
    let mut all = Vec::new();
    for (path, operations) in spec["paths"].as_object().expect("paths") {
        for (verb, operation) in operations.as_object().expect("operations") {
            all.push((format!("{} {path}", verb.to_uppercase()), operation));
        }
    }
    all
}

#[test]
fn every_response_definition_has_a_type() {
    let spec = spec();
    let table = table();
    let missing: Vec<String> = response_definitions(&spec)
        .into_iter()
        .filter(|name| !table.contains_key(name.as_str()))
        .filter(|name| !RUNTIME_OWNED.contains(&name.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "definitions without a type: {missing:?}"
    );

    let definitions = spec["definitions"].as_object().expect("definitions");
    let stale: Vec<&&str> = table
        .keys()
        .filter(|name| !definitions.contains_key(**name))
        .collect();
    assert!(
        stale.is_empty(),
        "table names unknown definitions: {stale:?}"
    );
    assert_eq!(operations(&spec).len(), 80, "the spec has 80 operations");
}

#[test]
fn generated_payloads_decode() {
    let spec = spec();
    let definitions = spec["definitions"].as_object().expect("definitions");
    let mut failures = Vec::new();
    for (name, check) in table() {
        if RUNTIME_OWNED.contains(&name) {
            continue;
        }
        let payload = generate(&json!({ "$ref": name }), definitions, 0);
        if let Err(error) = check(&payload) {
            failures.push(format!("{name}: {error}\n    payload: {payload}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_operation_answer_is_decodable() {
    let spec = spec();
    let definitions = spec["definitions"].as_object().expect("definitions");
    let (table, inline) = (table(), inline_table());
    let (mut failures, mut without_schema) = (Vec::new(), Vec::new());
    for (route, operation) in operations(&spec) {
        let Some(schema) = operation["responses"]["200"].get("schema") else {
            without_schema.push(route);
            continue;
        };
        let mut refs = BTreeSet::new();
        collect_refs(schema, &mut refs);
        let payload = generate(schema, definitions, 0);
        let direct = schema["$ref"]
            .as_str()
            .map(|reference| reference.trim_start_matches("#/definitions/"));
        let outcome = match (direct, inline.get(route.as_str())) {
            (_, Some(check)) => check(&payload),
            (Some(name), None) if RUNTIME_OWNED.contains(&name) => Ok(()),
            (Some(name), None) => match table.get(name) {
                Some(check) => check(&payload),
                None => Err(format!("no type for {name}")),
            },
            // `{CustomerResponse: ..., SuperBillingKeyResponse: ...}`: one of them.
            (None, None) if !refs.is_empty() => {
                refs.iter()
                    .try_for_each(|name| match table.get(name.as_str()) {
                        Some(check) => check(&payload[name.as_str()]),
                        None => Err(format!("no type for {name}")),
                    })
            }
            (None, None) => Err(format!("inline answer without a type: {schema}")),
        };
        if let Err(error) = outcome {
            failures.push(format!("{route}: {error}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Only the KCP Quick pre-registration answers a bare envelope.
    assert_eq!(
        without_schema,
        [
            "POST /kcpquick/prepare/{merchant_uid}",
            "PUT /kcpquick/prepare/{merchant_uid}",
        ]
    );
}

#[test]
fn generator_follows_refs_all_of_and_arrays() {
    let spec = spec();
    let definitions = spec["definitions"].as_object().expect("definitions");
    let payload = generate(
        &json!({"$ref": "#/definitions/ScheduleResponse"}),
        definitions,
        0,
    );
    assert_eq!(payload["code"], json!(1));
    assert_eq!(payload["response"].as_array().map(Vec::len), Some(1));
    assert_eq!(payload["response"][0]["amount"], json!(1.5));
    let schedules: Vec<Schedule> = inner(&payload["response"]).expect("schedules");
    assert_eq!(schedules[0].amount.to_string(), "1.5");
    assert_eq!(schedules[0].schedule_status.as_str(), "string");
}
