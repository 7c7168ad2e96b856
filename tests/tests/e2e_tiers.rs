//! Agency tiers end to end on `portone-mock`: tier views of one client, data scoped by tier,
//! `Tier` never on getToken, and tier codes refused before or by the server.

use portone::model::{
    AnyBillingKey, IssueBillingKey, OnetimePayment, PaymentStatusFilter, PaymentsByStatus,
    PreparePayment,
};
use portone::prelude::*;
use portone::{Client, StatusCode};
use portone_mock::{Checkout, MockServer, cards};
use rust_decimal::Decimal;

fn builder_for(server: &MockServer) -> portone::ClientBuilder {
    Client::builder()
        .api_key(server.api_key())
        .api_secret(server.api_secret())
        .base_url(server.base_url())
}

fn client_for(server: &MockServer) -> Client {
    builder_for(server).build().expect("a client for the mock")
}

async fn agency() -> MockServer {
    MockServer::builder()
        .live_quirks(true)
        .tier("A1B", "Seoul Coffee")
        .tier("C2D", "Busan Tea")
        .start()
        .await
}

/// `(path, Tier header)` of every request.
fn tiers_sent(server: &MockServer) -> Vec<(String, Option<String>)> {
    server
        .requests()
        .iter()
        .map(|r| (r.path.clone(), r.header("tier").map(str::to_owned)))
        .collect()
}

#[tokio::test]
async fn tier_views_share_one_token_and_see_only_their_data() {
    let server = agency().await;
    let client = client_for(&server);
    let seoul = client.with_tier("A1B").expect("valid");
    let busan = client.with_tier("C2D").expect("valid");
    assert_eq!(seoul.tier().map(|t| t.as_str()), Some("A1B"));
    assert_eq!(client.tier(), None);

    // Made through the API under A1B: a prepared amount, a payment, a billing key.
    seoul
        .prepare_payment(&PreparePayment::new("seoul-1", 5_000))
        .await
        .expect("prepared");
    let paid = seoul
        .pay_onetime(&OnetimePayment::new(
            "seoul-2",
            8_800,
            cards::APPROVED,
            "2030-12",
        ))
        .await
        .expect("paid");
    let key = IssueBillingKey::new("channel-key-mock-nice-v2", cards::APPROVED, "2030-12");
    let issued = seoul
        .issue_billing_key("seoul-cust", &key)
        .await
        .expect("issued");
    assert_eq!(issued.customer_uid(), "seoul-cust");
    // And a checkout finished in C2D's shop.
    let busan_paid = server.checkout(Checkout::paid("busan-1", 3_000).tier("C2D"));

    assert_eq!(
        seoul.payment(&paid.imp_uid).await.expect("own").amount,
        Decimal::from(8_800)
    );
    assert!(matches!(
        seoul.billing_key("seoul-cust").await,
        Ok(AnyBillingKey::Single(_))
    ));
    assert_eq!(
        seoul.prepared_payment("seoul-1").await.expect("own").amount,
        Decimal::from(5_000)
    );
    for view in [&busan, &client] {
        let payment = view.payment(&paid.imp_uid).await.expect_err("hidden");
        assert!(payment.is_not_found(), "{payment:?}");
        let key = view.billing_key("seoul-cust").await.expect_err("hidden");
        assert!(key.is_not_found(), "{key:?}");
        let prepared = view.prepared_payment("seoul-1").await.expect_err("hidden");
        assert!(prepared.is_not_found(), "{prepared:?}");
    }
    let from_seoul = seoul.payment(&busan_paid).await.expect_err("hidden");
    assert!(from_seoul.is_not_found(), "{from_seoul:?}");
    assert_eq!(
        busan.payment(&busan_paid).await.expect("own").amount,
        Decimal::from(3_000)
    );

    let mut totals = Vec::new();
    for view in [&seoul, &busan, &client] {
        let list = view
            .payments_by_status(PaymentStatusFilter::Paid, &PaymentsByStatus::new())
            .await
            .expect("listed");
        totals.push(list.total);
    }
    assert_eq!(totals, [1, 1, 0]);

    // One agency token for every tier, fetched without a Tier header.
    assert_eq!(server.get_token_calls(), 1);
    let sent = tiers_sent(&server);
    assert_eq!(sent[0], ("/users/getToken".to_owned(), None));
    assert!(
        server
            .requests()
            .iter()
            .skip(1)
            .all(|r| r.header("authorization").is_some())
    );
    let with_tier = |code: &str| {
        sent.iter()
            .filter(|(_, t)| t.as_deref() == Some(code))
            .count()
    };
    let without = sent.iter().filter(|(_, t)| t.is_none()).count();
    // A1B: prepare, onetime, issue, lookup, key, prepared, lookup of C2D's, listing.
    assert_eq!(with_tier("A1B"), 8);
    // C2D: 3 refused lookups, its own payment, its listing.
    assert_eq!(with_tier("C2D"), 5);
    // getToken, 3 refused lookups and the listing of the agency itself.
    assert_eq!(without, 5);
}

#[tokio::test]
async fn a_default_tier_applies_to_every_call_until_a_view_drops_it() {
    let server = agency().await;
    let client = builder_for(&server).tier("C2D").build().expect("client");
    let imp_uid = server.checkout(Checkout::paid("busan-2", 4_000).tier("C2D"));
    client.payment(&imp_uid).await.expect("in C2D");
    let info = client.tier_info("C2D").await.expect("known");
    assert_eq!(
        (info.tier_code.as_str(), info.tier_name.as_str()),
        ("C2D", "Busan Tea")
    );
    let agency_itself = client.without_tier();
    let hidden = agency_itself
        .payment(&imp_uid)
        .await
        .expect_err("not the agency's");
    assert!(hidden.is_not_found(), "{hidden:?}");
    let unknown = client.tier_info("X9Y").await.expect_err("no such tier");
    assert!(unknown.is_not_found(), "{unknown:?}");
    let sent: Vec<Option<String>> = tiers_sent(&server).into_iter().map(|(_, t)| t).collect();
    assert_eq!(
        sent,
        [
            None, // getToken
            Some("C2D".to_owned()),
            Some("C2D".to_owned()),
            None,
            Some("C2D".to_owned()),
        ]
    );
}

#[tokio::test]
async fn malformed_tier_codes_are_refused_before_any_io() {
    let server = agency().await;
    let client = client_for(&server);
    for code in ["", "a1b", "A1", "A1BC", "A-B", "A B", "가나다", "A1\n"] {
        let refused = client.with_tier(code).expect_err("malformed");
        assert!(
            matches!(refused, Error::InvalidRequest(_)),
            "{code:?}: {refused:?}"
        );
    }
    let config = builder_for(&server)
        .tier("a1b")
        .build()
        .expect_err("malformed");
    assert!(matches!(config, Error::Config(_)), "{config:?}");
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn the_server_refuses_unregistered_tiers_and_tiers_without_an_agency() {
    let server = agency().await;
    let client = client_for(&server);
    let unregistered = client
        .with_tier("ZZZ")
        .expect("well formed")
        .bank_codes()
        .await
        .expect_err("not a tier of this agency");
    assert_eq!(
        (unregistered.status(), unregistered.code()),
        (Some(StatusCode::BAD_REQUEST), Some(-1))
    );

    let plain = MockServer::builder().live_quirks(true).start().await;
    let merchant = client_for(&plain);
    merchant.bank_codes().await.expect("no tier, no problem");
    let refused = merchant
        .with_tier("A1B")
        .expect("well formed")
        .bank_codes()
        .await
        .expect_err("not an agency");
    assert_eq!(
        (refused.status(), refused.code()),
        (Some(StatusCode::BAD_REQUEST), Some(-1))
    );
    assert!(
        refused
            .message()
            .unwrap_or_default()
            .contains("Tier 헤더를 제거"),
        "{refused:?}"
    );
}
