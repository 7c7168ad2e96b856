//! The ready-made API on the wire: for a sample call of every area, the exact request a
//! server on 127.0.0.1 receives.

use futures_util::TryStreamExt;
use portone::Client;
use portone::model::*;
use portone::prelude::*;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server that hands out a token and answers every other call with `response`.
async fn serve(response: Value) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/users/getToken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "code": 0, "message": null,
            "response": {"access_token": "tok-7f3a9c", "now": 1_700_000_000, "expired_at": 1_700_001_800}
        })))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"code": 0, "message": null, "response": response})),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key("key")
        .api_secret("secret")
        .base_url(server.uri())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    (server, client)
}

/// The one API call the server got: method, path and query as sent, and the JSON body.
async fn received(server: &MockServer) -> (String, String, Option<Value>) {
    let requests: Vec<Request> = server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path() != "/users/getToken")
        .collect();
    assert_eq!(requests.len(), 1, "{requests:?}");
    let request = &requests[0];
    let target = match request.url.query() {
        Some(query) => format!("{}?{query}", request.url.path()),
        None => request.url.path().to_owned(),
    };
    let body = (!request.body.is_empty()).then(|| {
        serde_json::from_slice(&request.body).unwrap_or_else(|e| panic!("body is not JSON: {e}"))
    });
    (request.method.to_string(), target, body)
}

fn payment_json() -> Value {
    json!({"imp_uid": "imp_1", "merchant_uid": "order/1", "amount": 1000, "status": "paid",
           "pay_method": "card", "currency": "KRW", "paid_at": 1_700_000_100})
}

fn schedule_json() -> Value {
    json!([{"customer_uid": "c1", "merchant_uid": "s1", "schedule_at": 1_700_100_000,
            "amount": 1000, "schedule_status": "revoked", "payment_status": null}])
}

#[tokio::test]
async fn payments() {
    let (server, client) = serve(payment_json()).await;
    let payment = client
        .payment_including_sandbox("imp_1")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(payment.amount, Decimal::from(1000));
    assert_eq!(
        received(&server).await,
        (
            "GET".into(),
            "/payments/imp_1?include_sandbox=true".into(),
            None
        )
    );
}

#[tokio::test]
async fn the_one_argument_lookup_sends_no_option_and_a_set_one_is_sent_as_set() {
    let (server, client) = serve(payment_json()).await;
    client
        .payment("imp_1")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(received(&server).await.1, "/payments/imp_1");
    let (server, client) = serve(payment_json()).await;
    client
        .payment_with("imp_1", &PaymentLookup::new().include_sandbox(false))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        received(&server).await.1,
        "/payments/imp_1?include_sandbox=false"
    );
}

#[tokio::test]
async fn a_page_stream_sends_the_options_on_every_page_but_its_own_page() {
    // Every answer points at page 2 and holds the same payment: the walk asks for pages 1
    // and 2, stops there, and yields the payment once.
    let (server, client) = serve(json!({"total": 2, "previous": 0, "next": 2,
                                        "list": [payment_json()]}))
    .await;
    let options = FindAllPayments::new()
        .payment_status(PaymentStatus::Paid)
        .page(9)
        .limit(1)
        .sorting(Sorting::PaidAsc);
    let all: Vec<Payment> = client
        .find_all_payments_stream("order/1", &options)
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        all.len(),
        1,
        "a listing without a range never repeats a record"
    );
    let sent: Vec<String> = server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path() != "/users/getToken")
        .map(|r| format!("{}?{}", r.url.path(), r.url.query().unwrap_or_default()))
        .collect();
    assert_eq!(
        sent,
        [1, 2].map(|page| format!(
            "/payments/findAll/order%2F1/paid?page={page}&limit=1&sorting=paid"
        ))
    );
}

#[tokio::test]
async fn payments_find_with_an_optional_status_segment() {
    let (server, client) = serve(payment_json()).await;
    client
        .find_payment_with(
            "order/1",
            &FindPayment::new()
                .payment_status(PaymentStatus::Paid)
                .sorting(Sorting::PaidDesc),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        received(&server).await.1,
        "/payments/find/order%2F1/paid?sorting=-paid"
    );
    let (server, client) = serve(payment_json()).await;
    client
        .find_payment("order/1")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(received(&server).await.1, "/payments/find/order%2F1");
}

#[tokio::test]
async fn payments_multi_lookup_repeats_bracket_keys() {
    let (server, client) = serve(json!([])).await;
    client
        .payments(
            &PaymentsByIds::new()
                .imp_uids(["imp_1", "imp_2"])
                .merchant_uids(["m1"]),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        received(&server).await.1,
        "/payments?imp_uid[]=imp_1&imp_uid[]=imp_2&merchant_uid[]=m1"
    );
}

#[tokio::test]
async fn payments_partial_cancel_with_checksum() {
    let (server, client) = serve(payment_json()).await;
    let cancel = CancelPayment::partial_by_imp_uid("imp_1", Decimal::from(300))
        .unwrap_or_else(|e| panic!("{e}"))
        .checksum(Decimal::from(1000))
        .reason("changed mind");
    client
        .cancel_payment(&cancel)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (verb, target, body) = received(&server).await;
    assert_eq!(
        (verb.as_str(), target.as_str()),
        ("POST", "/payments/cancel")
    );
    assert_eq!(
        body,
        Some(
            json!({"imp_uid": "imp_1", "amount": 300, "checksum": 1000, "reason": "changed mind"})
        )
    );
}

#[tokio::test]
async fn payment_validation() {
    let (server, client) = serve(json!({"merchant_uid": "m1", "amount": 1000})).await;
    client
        .prepare_payment(&PreparePayment::new("m1", 1000))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        received(&server).await,
        (
            "POST".into(),
            "/payments/prepare".into(),
            Some(json!({"merchant_uid": "m1", "amount": 1000}))
        )
    );
}

#[tokio::test]
async fn subscriptions_unschedule_all_and_listed() {
    let (server, client) = serve(schedule_json()).await;
    client
        .unschedule_all("c1")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        received(&server).await.2,
        Some(json!({"customer_uid": "c1"}))
    );

    let (server, client) = serve(schedule_json()).await;
    client
        .unschedule_listed("c1", &["s1", "s2"])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        received(&server).await.2,
        Some(json!({"customer_uid": "c1", "merchant_uid": ["s1", "s2"]}))
    );

    let (server, client) = serve(schedule_json()).await;
    let empty = client.unschedule_listed("c1", &[]).await;
    assert!(matches!(empty, Err(portone::Error::InvalidRequest(_))));
    assert!(
        server
            .received_requests()
            .await
            .unwrap_or_default()
            .is_empty()
    );
}

#[tokio::test]
async fn subscriptions_pay_again() {
    let (server, client) = serve(payment_json()).await;
    client
        .pay_again(&AgainPayment::new("c1", "m1", 5000, "plan"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        received(&server).await,
        (
            "POST".into(),
            "/subscribe/payments/again".into(),
            Some(
                json!({"customer_uid": "c1", "merchant_uid": "m1", "amount": 5000, "name": "plan"})
            )
        )
    );
}

#[tokio::test]
async fn billing_keys_delete_with_bracketed_query() {
    let (server, client) =
        serve(json!({"customer_uid": "c 1", "inserted": 1_700_000_000, "updated": 1_700_000_000}))
            .await;
    client
        .delete_billing_key(
            "c 1",
            &DeleteBillingKey::new()
                .reason("closed")
                .requester(Requester::Customer),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        received(&server).await,
        (
            "DELETE".into(),
            "/subscribe/customers/c%201?reason=closed&extra[requester]=customer".into(),
            None
        )
    );
}

#[tokio::test]
async fn virtual_accounts() {
    let (server, client) = serve(payment_json()).await;
    client
        .revoke_vbank("imp_1", &VbankOptions::new())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        received(&server).await,
        ("DELETE".into(), "/vbanks/imp_1".into(), None)
    );
    let (server, client) = serve(payment_json()).await;
    client
        .revoke_vbank("imp_1", &VbankOptions::new().pg_api_key("mid key/2"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        received(&server).await.1,
        "/vbanks/imp_1?pg_api_key=mid%20key%2F2"
    );
}

#[tokio::test]
async fn cash_receipts() {
    let (server, client) = serve(json!({"imp_uid": "imp_1"})).await;
    let _ = client.external_receipt("m/1").await;
    assert_eq!(
        received(&server).await,
        ("GET".into(), "/receipts/external/m%2F1".into(), None)
    );
}

#[tokio::test]
async fn certifications() {
    let (server, client) = serve(json!({"imp_uid": "imp_1"})).await;
    let _ = client
        .confirm_otp("imp_1", &ConfirmCertificationOtp::new("123456"))
        .await;
    assert_eq!(
        received(&server).await,
        (
            "POST".into(),
            "/certifications/otp/confirm/imp_1".into(),
            Some(json!({"otp": "123456"}))
        )
    );
}

#[tokio::test]
async fn escrow_logistics() {
    let (server, client) = serve(json!({})).await;
    let _ = client.escrow_logistics("imp_1").await;
    assert_eq!(
        received(&server).await,
        ("GET".into(), "/escrows/logis/imp_1".into(), None)
    );
}

#[tokio::test]
async fn codes() {
    let (server, client) = serve(json!({"code": "004", "name": "KB국민은행"})).await;
    let bank = client
        .bank_code("004")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(bank.name, "KB국민은행");
    assert_eq!(
        received(&server).await,
        ("GET".into(), "/banks/004".into(), None)
    );
}

#[tokio::test]
async fn pg_settings_and_tiers() {
    let (server, client) = serve(json!([])).await;
    client.pg_settings().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(received(&server).await.1, "/users/pg");
    let (server, client) = serve(json!({"tier_code": "A1B", "tier_name": "shop"})).await;
    let _ = client
        .with_tier("A1B")
        .unwrap_or_else(|e| panic!("{e}"))
        .tier_info("A1B")
        .await;
    assert_eq!(received(&server).await.1, "/tiers/A1B");
    let tier_header = server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|r| r.url.path() == "/tiers/A1B")
        .and_then(|r| {
            r.headers
                .get("tier")
                .and_then(|v| v.to_str().ok().map(str::to_owned))
        });
    assert_eq!(tier_header.as_deref(), Some("A1B"));
}

#[tokio::test]
async fn partner_receipts_naver_payco_and_paymentwall() {
    let (server, client) = serve(json!([])).await;
    let _ = client
        .naver_reviews(
            UnixTime::from(1),
            UnixTime::from(2),
            NaverReviewType::Premium,
            &NaverReviews::new(),
        )
        .await;
    assert_eq!(
        received(&server).await,
        (
            "GET".into(),
            "/naver/reviews?from=1&to=2&review_type=premium".into(),
            None
        ),
        "PortOne's SDKs send no channel_key: neither does an unset option"
    );
    let (server, client) = serve(json!([])).await;
    let _ = client
        .naver_reviews(
            UnixTime::from(1),
            UnixTime::from(2),
            NaverReviewType::Premium,
            &NaverReviews::new().channel_key("channel-key-1"),
        )
        .await;
    assert_eq!(
        received(&server).await,
        (
            "GET".into(),
            "/naver/reviews?from=1&to=2&review_type=premium&channel_key=channel-key-1".into(),
            None
        )
    );
    let (server, client) = serve(json!({"status": "CANCELED"})).await;
    let _ = client
        .change_payco_order_status(
            "imp_1",
            &ChangePaycoOrderStatus::new(PaycoOrderStatus::Canceled),
        )
        .await;
    assert_eq!(
        received(&server).await,
        (
            "POST".into(),
            "/payco/orders/status/imp_1".into(),
            Some(json!({"status": "CANCELED"}))
        )
    );
    let (server, client) = serve(json!(null)).await;
    client
        .deposit_naver_points("imp_1")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        received(&server).await,
        ("POST".into(), "/payments/imp_1/naver/point".into(), None)
    );
}

#[tokio::test]
async fn benepia_cvs_and_kcp_quick() {
    let (server, client) = serve(json!({"point": 100})).await;
    let _ = client
        .benepia_points(&QueryBenepiaPoint::new("user", "pw-secret", "ch"))
        .await;
    let (verb, target, body) = received(&server).await;
    assert_eq!((verb.as_str(), target.as_str()), ("POST", "/benepia/point"));
    assert_eq!(
        body,
        Some(json!({"benepia_user": "user", "benepia_password": "pw-secret", "channel_key": "ch"}))
    );
    let (server, client) = serve(payment_json()).await;
    let _ = client.revoke_cvs_payment("imp_1").await;
    assert_eq!(received(&server).await.0, "DELETE");
    let (server, client) = serve(json!({})).await;
    let _ = client
        .delete_kcp_quick_member("member 1", "site", "type", "sub")
        .await;
    assert_eq!(
        received(&server).await.1,
        "/kcpquick/members/member%201?site_code=site&partner_type=type&partner_subtype=sub"
    );
}

#[tokio::test]
async fn authentication_get_token() {
    let (server, client) = serve(json!(null)).await;
    let token = client
        .get_token(&GetToken::new("key", "secret"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(token.access_token.expose(), "tok-7f3a9c");
    assert_eq!(i64::from(token.expired_at) - i64::from(token.now), 1800);
    assert!(!format!("{token:?}").contains("tok-7f3a9c"));
    // The client's own getToken plus the declared call.
    let calls = server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path() == "/users/getToken")
        .count();
    assert_eq!(calls, 2);
}

#[tokio::test]
async fn a_fraction_of_a_won_is_refused_before_anything_is_sent() {
    let (server, client) = serve(payment_json()).await;
    let half = "1000.5".parse::<Decimal>().unwrap_or_default();
    let charge = AgainPayment::new("customer-1", "order-1", half, "Monthly plan");
    let refund = CancelPayment::partial_by_imp_uid("imp_1", half)
        .unwrap_or_else(|e| panic!("{e}"))
        .checksum(10_000);
    let errors = [
        client.pay_again(&charge).await.err(),
        client.cancel_payment(&refund).await.err(),
        client
            .prepare_payment(&PreparePayment::new("order-1", half))
            .await
            .err(),
    ];
    for error in errors {
        let error = error.unwrap_or_else(|| panic!("a fraction of a won was sent"));
        assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
        assert!(!error.is_outcome_unknown());
        let mut chain = Vec::new();
        let mut cause: Option<&dyn std::error::Error> = Some(&error);
        while let Some(e) = cause {
            chain.push(e.to_string());
            cause = e.source();
        }
        assert_eq!(
            chain,
            [
                "invalid request",
                "the body could not be serialized",
                "`amount` has a fraction, but KRW has no minor units"
            ]
        );
    }
    // Nothing reached the server, not even getToken.
    let sent = server.received_requests().await.unwrap_or_default();
    assert!(sent.is_empty(), "{sent:?}");
    // The same refund in dollars is sent.
    let _ = client.cancel_payment(&refund.currency(Currency::Usd)).await;
    let (_, target, body) = received(&server).await;
    assert_eq!(target, "/payments/cancel");
    assert_eq!(body.map(|b| b["amount"].clone()), Some(json!(1000.5)));
}
