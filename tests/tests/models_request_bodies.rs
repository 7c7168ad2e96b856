//! Every body field of the spec exists in the request type: each operation's request,
//! with every setter called, serializes to exactly the spec's `formData` names, nested
//! where the spec nests, with JSON types and enum values the spec allows.

use std::collections::{BTreeMap, BTreeSet};

use portone::model::*;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value};

const SPEC: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../portone/spec/openapi.json"
));

/// Bodies the runtime owns: the token request.
const RUNTIME_OWNED: &[&str] = &["POST /users/getToken"];

/// Where the spec is wrong and the request follows PortOne's prose instead:
/// the cancel `extra` is documented as an array but described as `extra.requester`.
const DEVIATIONS: &[&str] = &["POST /payments/cancel.extra"];

fn json<T: Serialize>(request: &T) -> Value {
    serde_json::to_value(request).expect("request serializes")
}

fn ok<T>(result: Result<T, InvalidRequest>) -> T {
    result.expect("valid request")
}

fn cents(text: &str) -> Decimal {
    text.parse().expect("decimal literal")
}

fn custom() -> serde_json::Value {
    serde_json::json!({"k": "v"})
}

fn onetime() -> Value {
    let request = OnetimePayment::new("m", 1000, "1111-2222-3333-4444", "2030-01")
        .currency(Currency::Usd)
        .tax_free(0)
        .vat_amount(cents("90.9"))
        .vat(91)
        .birth("990101")
        .pwd_2digit("12")
        .cvc("123")
        .customer_uid("c")
        .pg("nice.mid")
        .channel_group_id("g")
        .name("n")
        .buyer_name("b")
        .buyer_email("e")
        .buyer_tel("t")
        .buyer_addr("a")
        .buyer_postcode("p")
        .card_quota(3u32)
        .interest_free_by_merchant(true)
        .use_card_point(false)
        .notice_url("https://example.com/hook")
        .browser_ip("127.0.0.1")
        .secure_3d_charge_id("charge")
        .secure_3d_token("token")
        .product_type(ProductType::Digital)
        .promotion_id("promotion-id-1")
        .custom_data(&custom())
        .and_then(|r| r.bypass(&custom()))
        .expect("json");
    json(&request)
}

fn again() -> Value {
    let request = AgainPayment::new("c", "m", 1000, "n")
        .currency(Currency::Krw)
        .tax_free(0)
        .vat_amount(90)
        .vat(91)
        .buyer_name("b")
        .buyer_email("e")
        .buyer_tel("t")
        .buyer_addr("a")
        .buyer_postcode("p")
        .card_quota(0u32)
        .interest_free_by_merchant(false)
        .use_card_point(true)
        .notice_url("u")
        .browser_ip("ip")
        .product_type(ProductType::Real)
        .product_count(2u32)
        .cash_receipt_type(CashReceiptType::Anonymous)
        .promotion_id("p")
        .channel_key("ck")
        .naver_use_cfm("20240101")
        .custom_data_raw("{}")
        .bypass_raw("{}");
    json(&request)
}

fn scheduled() -> ScheduledPayment {
    ScheduledPayment::new("m", 1_700_000_000, 1000, "n")
        .currency(Currency::Krw)
        .tax_free(0)
        .vat_amount(90)
        .buyer_name("b")
        .buyer_email("e")
        .buyer_tel("t")
        .buyer_addr("a")
        .buyer_postcode("p")
        .notice_url("u")
        .product_type(ProductType::Real)
        .cash_receipt_type(CashReceiptType::Person)
        .card_quota(2u32)
        .interest_free_by_merchant(true)
        .use_card_point(true)
        .product_count(1u32)
        .browser_ip("ip")
        .promotion_id("p")
        .naver_use_cfm("20240101")
        .custom_data_raw("{}")
        .bypass_raw("{}")
}

fn schedule() -> Value {
    json(
        &SchedulePayments::new("c", [scheduled()])
            .customer_id("id")
            .checking_amount(100)
            .card_number("1111-2222-3333-4444")
            .expiry("2030-01")
            .birth("990101")
            .pwd_2digit("12")
            .cvc("123")
            .channel_key("ck"),
    )
}

fn cancel() -> Value {
    json(
        &ok(CancelPayment::partial_by_imp_uid("imp", cents("10.5")))
            .currency(Currency::Usd)
            .checksum(cents("20.5"))
            .tax_free(0)
            .vat_amount(1)
            .reason("r")
            .refund_holder("h")
            .refund_bank("004")
            .refund_account("123456789")
            .refund_tel("t")
            .retain_promotion(true)
            .enable_webhook(false)
            .requester(Requester::Customer),
    )
    .as_object()
    .map(|body| {
        // The other identifier is an alternative, not an extra field.
        let mut body = body.clone();
        body.insert("merchant_uid".into(), Value::String("m".into()));
        Value::Object(body)
    })
    .expect("object")
}

fn vbank() -> Value {
    json(
        &CreateVbank::new("ck", "m", 1000, "004", 1_700_000_000)
            .product_type(ProductType::Real)
            .vbank_num("n")
            .vbank_holder("h")
            .vbank_key("k")
            .name("n")
            .buyer_name("b")
            .buyer_email("e")
            .buyer_tel("t")
            .business_registration_number("brn")
            .buyer_addr("a")
            .buyer_postcode("p")
            .notice_url(["u1", "u2"])
            .custom_data_raw("{}")
            .tax_free(0)
            .vat_amount(91)
            .product_count(1u32)
            .escrow_password("pw")
            .fixed_unlimited_vbank(true),
    )
}

fn escrow_parts() -> (EscrowSender, EscrowReceiver, EscrowLogisInfo, EscrowProduct) {
    let sender = EscrowSender::new()
        .name("s")
        .tel("t")
        .addr("a")
        .postcode("p")
        .relationship("self")
        .formed_address(EscrowAddress::new("l1", "l2"));
    let receiver = EscrowReceiver::new()
        .name("r")
        .tel("t")
        .addr("a")
        .postcode("p")
        .formed_address(EscrowAddress::new("l1", "l2"));
    let logis = EscrowLogisInfo::new("CJGLS", "123", 1_700_000_000)
        .receiving_at("20240101")
        .address("a");
    let product = EscrowProduct::new("id", "n", 1000)
        .code("c")
        .currency(Currency::Krw)
        .quantity(2u32)
        .tag("t");
    (sender, receiver, logis, product)
}

fn receipt() -> Value {
    json(
        &IssueReceipt::new("01012345678")
            .product_type(ProductType::Real)
            .identifier_type(IdentifierType::Phone)
            .kind(CashReceiptType::Person)
            .company_tel("t")
            .company_name("n")
            .corp_reg_no("c")
            .buyer_name("b")
            .buyer_email("e")
            .buyer_tel("t")
            .tax_free(0)
            .vat(91)
            .vat_amount(91),
    )
}

fn external_receipt() -> Value {
    json(
        &IssueExternalReceipt::new("ck", "n", 1000, "01012345678")
            .product_type(ProductType::Digital)
            .identifier_type(IdentifierType::Person)
            .kind(CashReceiptType::Company)
            .buyer_name("b")
            .buyer_email("e")
            .buyer_tel("t")
            .tax_free(0)
            .vat_amount(91)
            .corp_reg_no("c")
            .pay_method(PayMethod::Trans),
    )
}

fn ids() -> [&'static str; 2] {
    ["2024010112345678", "2024010112345679"]
}

/// "VERB path" → the request of that operation with every field set.
fn bodies() -> BTreeMap<&'static str, Value> {
    let (sender, receiver, logis, product) = escrow_parts();
    let mut bodies = BTreeMap::new();
    let mut add = |route: &'static str, body: Value| {
        assert!(bodies.insert(route, body).is_none(), "{route} twice");
    };
    add(
        "POST /benepia/point",
        json(&QueryBenepiaPoint::new("u", "pw", "ck")),
    );
    add(
        "POST /benepia/payment",
        json(
            &PayWithBenepiaPoint::new("u", "pw", "m", 1000, "n", "ck")
                .benepia_member_code("c")
                .buyer_name("b")
                .buyer_email("e")
                .buyer_tel("t")
                .buyer_addr("a")
                .buyer_postcode("p")
                .notice_url(["u"])
                .custom_data_raw("{}"),
        ),
    );
    add(
        "POST /certifications/otp/request",
        json(
            &RequestCertificationOtp::new("n", "010", "990101", "1", Carrier::Skt, "ck")
                .is_mvno(true)
                .company("c")
                .merchant_uid("m")
                .pg("danal.mid")
                .verification_method(OtpMethod::Sms)
                .bypass_raw("{}"),
        ),
    );
    add(
        "POST /certifications/otp/confirm/{imp_uid}",
        json(&ConfirmCertificationOtp::new("123456")),
    );
    add(
        "POST /subscribe/customers/{customer_uid}",
        json(
            &IssueBillingKey::new("ck", "1111-2222-3333-4444", "2030-01")
                .pg("p")
                .customer_id("id")
                .birth("990101")
                .pwd_2digit("12")
                .cvc("123")
                .customer_name("n")
                .customer_tel("t")
                .customer_email("e")
                .customer_addr("a")
                .customer_postcode("p")
                .channel_group_id("g"),
        ),
    );
    add(
        "POST /cvs",
        json(
            &IssueCvsPayment::new("ck", "m", 1000)
                .barcode("b")
                .expired_at(1_700_000_000)
                .name("n")
                .buyer_name("b")
                .buyer_email("e")
                .buyer_tel("t")
                .buyer_addr("a")
                .buyer_postcode("p")
                .confirm_url("c")
                .notice_url(["u"])
                .custom_data_raw("{}"),
        ),
    );
    add(
        "PUT /escrows/logis/{imp_uid}",
        json(
            &UpdateEscrowLogis::new(sender.clone(), receiver.clone(), logis.clone())
                .product(product.clone()),
        ),
    );
    add(
        "POST /escrows/logis/{imp_uid}",
        json(
            &RegisterEscrowLogis::new(sender, receiver, logis)
                .product(product)
                .send_email(true),
        ),
    );
    add(
        "POST /kcpquick/payment/money",
        json(&PayWithKcpQuickMoney::new("mem", "ck", "m", "n", 1000, "imp").notice_url("u")),
    );
    let prepare = KcpQuickPrepare::new("btid", "127.0.0.1", "verifier")
        .prepaid_auth_yn(true)
        .prepaid_amount(1000)
        .vender_type("VID2")
        .reward_id("R1");
    add("PUT /kcpquick/prepare/{merchant_uid}", json(&prepare));
    add("POST /kcpquick/prepare/{merchant_uid}", json(&prepare));
    add(
        "POST /kcpquick/payment/autopay",
        json(&PayWithKcpQuickAutoPay::new("c", "m", "n", "b", 1000).notice_url("u")),
    );
    add(
        "POST /kcpquick/members/{member_id}/fido/release",
        json(&ReleaseKcpQuickFido::new("ck")),
    );
    add(
        "POST /payments/{imp_uid}/naver/cancel",
        json(
            &ok(CancelNaverOrders::all().product_order_ids(ids()))
                .reason(NaverCancelReason::SoldOut),
        ),
    );
    let listed = json(&ok(NaverProductOrderIds::all().product_order_ids(ids())));
    for route in [
        "POST /payments/{imp_uid}/naver/approve-cancel",
        "POST /payments/{imp_uid}/naver/collect-exchanged",
        "POST /payments/{imp_uid}/naver/place",
        "POST /payments/{imp_uid}/naver/resolve-return",
    ] {
        add(route, listed.clone());
    }
    add(
        "POST /payments/{imp_uid}/naver/ship",
        json(
            &ok(
                ShipNaverOrders::new(NaverDeliveryMethod::Delivery, 1_700_000_000)
                    .product_order_ids(ids()),
            )
            .delivery_company(NaverDeliveryCompany::Cjgls)
            .tracking_number("123"),
        ),
    );
    add(
        "POST /payments/{imp_uid}/naver/ship-exchanged",
        json(
            &ok(ShipNaverExchange::new(NaverDeliveryMethod::Delivery).product_order_ids(ids()))
                .delivery_company(NaverDeliveryCompany::Hanjin)
                .tracking_number("123"),
        ),
    );
    add(
        "POST /payments/{imp_uid}/naver/request-return",
        json(
            &ok(RequestNaverReturn::new(NaverReturnDeliveryMethod::Delivery)
                .product_order_ids(ids()))
            .reason(NaverReturnReason::Broken)
            .delivery_company(NaverDeliveryCompany::Epost)
            .tracking_number("123"),
        ),
    );
    add(
        "POST /payments/{imp_uid}/naver/approve-return",
        json(&ok(ApproveNaverReturn::new().product_order_ids(ids())).memo("m")),
    );
    add(
        "POST /payments/{imp_uid}/naver/reject-return",
        json(&ok(RejectNaverReturn::new("m").product_order_ids(ids()))),
    );
    add(
        "POST /payments/{imp_uid}/naver/withhold-return",
        json(
            &ok(WithholdNaverReturn::new("m").product_order_ids(ids()))
                .reason(NaverWithholdReason::Etc)
                .extra_charge(3000),
        ),
    );
    add(
        "POST /payments/{imp_uid}/naver/confirm",
        json(&ConfirmNaverPayment::new().requester(Requester::Admin)),
    );
    add("GET /naver/reviews", json(&NaverReviewsChannel::new("ck")));
    add(
        "POST /partners/receipts/{imp_uid}",
        json(&IssuePartnerReceipts::new([PartnerReceipt::new(
            "123-45-67890",
            "c",
            1000,
        )
        .tax_free(0)
        .vat_amount(91)])),
    );
    add(
        "POST /payco/orders/status/{imp_uid}",
        json(&ChangePaycoOrderStatus::new(
            PaycoOrderStatus::DeliveryStart,
        )),
    );
    add("POST /payments/cancel", cancel());
    let prepare = PreparePayment::new("m", 1000).currency(Currency::Krw);
    add("PUT /payments/prepare", json(&prepare));
    add("POST /payments/prepare", json(&prepare));
    add(
        "POST /paymentwall/delivery",
        json(
            &RegisterPaymentwallDelivery::new(
                "imp",
                "m",
                PaymentwallProductType::Physical,
                PaymentwallDeliveryStatus::OrderPlaced,
                1_700_000_000,
                1_700_000_000,
                true,
                "e",
            )
            .carrier_tracking_id("c")
            .carrier_type("t")
            .reason("r")
            .details("d")
            .shipping_address_country("KR")
            .shipping_address_city("Seoul")
            .shipping_address_zip("z")
            .shipping_address_state("s")
            .shipping_address_street("st")
            .shipping_address_phone("p")
            .shipping_address_firstname("f")
            .shipping_address_lastname("l"),
        ),
    );
    add("POST /receipts/{imp_uid}", receipt());
    add("POST /receipts/external/{merchant_uid}", external_receipt());
    add("POST /subscribe/payments/onetime", onetime());
    add("POST /subscribe/payments/again", again());
    add("POST /subscribe/payments/schedule", schedule());
    add(
        "POST /subscribe/payments/unschedule",
        json(&ok(Unschedule::listed("c", ["m1", "m2"]))),
    );
    add(
        "PUT /subscribe/payments/schedule/{merchant_uid}",
        json(&Reschedule::new(1_700_000_000)),
    );
    add(
        "POST /subscribe/payments/schedule/{merchant_uid}/reschedule",
        json(&Reschedule::new(1_700_000_000)),
    );
    add("POST /vbanks", vbank());
    add(
        "PUT /vbanks/{imp_uid}",
        json(&ModifyVbank::new().amount(1000).vbank_due(1_700_000_000)),
    );
    bodies
}

fn resolve<'a>(schema: &'a Value, definitions: &'a Map<String, Value>) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => &definitions[reference.trim_start_matches("#/definitions/")],
        None => schema,
    }
}

/// Compares `value` with `schema`, collecting every mismatch under `path`.
fn compare(
    path: &str,
    value: &Value,
    schema: &Value,
    definitions: &Map<String, Value>,
    errors: &mut Vec<String>,
) {
    let schema = resolve(schema, definitions);
    if DEVIATIONS.contains(&path) {
        return;
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        let Some(object) = value.as_object() else {
            return errors.push(format!("{path}: expected an object, got {value}"));
        };
        let sent: BTreeSet<&String> = object.keys().collect();
        let documented: BTreeSet<&String> = properties.keys().collect();
        if sent != documented {
            errors.push(format!(
                "{path}: missing {:?}, undocumented {:?}",
                documented.difference(&sent).collect::<Vec<_>>(),
                sent.difference(&documented).collect::<Vec<_>>()
            ));
        }
        for (key, child) in object {
            if let Some(property) = properties.get(key) {
                compare(
                    &format!("{path}.{key}"),
                    child,
                    property,
                    definitions,
                    errors,
                );
            }
        }
        return;
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        errors.push(format!("{path}: {value} is not one of {allowed:?}"));
    }
    let fits = match schema.get("type").and_then(Value::as_str) {
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        Some("array") => match (value.as_array(), schema.get("items")) {
            (Some(items), Some(item_schema)) if item_schema.is_object() => {
                for (index, item) in items.iter().enumerate() {
                    compare(
                        &format!("{path}[{index}]"),
                        item,
                        item_schema,
                        definitions,
                        errors,
                    );
                }
                !items.is_empty()
            }
            (Some(items), _) => items.iter().all(Value::is_string) && !items.is_empty(),
            (None, _) => false,
        },
        _ => true,
    };
    if !fits {
        errors.push(format!("{path}: {value} does not fit {schema}"));
    }
}

#[test]
fn request_bodies_match_the_spec_form_fields() {
    let spec: Value = serde_json::from_str(SPEC).expect("spec");
    let definitions = spec["definitions"].as_object().expect("definitions");
    let mut bodies = bodies();
    let mut errors = Vec::new();
    for (path, operations) in spec["paths"].as_object().expect("paths") {
        for (verb, operation) in operations.as_object().expect("operations") {
            let route = format!("{} {path}", verb.to_uppercase());
            let form: Map<String, Value> = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|parameter| parameter["in"] == "formData")
                .map(|parameter| {
                    let name = parameter["name"].as_str().expect("name").to_owned();
                    // `schema` holds a `$ref` for nested bodies; for `merchant_uid[]` of
                    // unschedule it describes the items, so the parameter itself counts.
                    let schema = match parameter.get("schema") {
                        Some(schema) if schema.get("$ref").is_some() => schema.clone(),
                        _ => parameter.clone(),
                    };
                    (name, schema)
                })
                .collect();
            if form.is_empty() || RUNTIME_OWNED.contains(&route.as_str()) {
                continue;
            }
            let Some(body) = bodies.remove(route.as_str()) else {
                errors.push(format!("{route}: no request type"));
                continue;
            };
            let schema = serde_json::json!({ "properties": form });
            compare(&route, &body, &schema, definitions, &mut errors);
        }
    }
    assert!(errors.is_empty(), "\n{}", errors.join("\n"));
    assert!(
        bodies.is_empty(),
        "requests for routes without a body: {:?}",
        bodies.keys()
    );
}
