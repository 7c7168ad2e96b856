//! The flags, the printed URL, getToken.

use serde_json::{Value, json};

use crate::common::receiver::Receiver;
use crate::process::{Mock, eventually, run};

#[tokio::test]
async fn help_documents_every_flag() {
    let help = run(&["--help"]).await;
    assert!(help.status.success(), "{help:?}");
    for flag in [
        "--port",
        "--host",
        "--api-key",
        "--api-secret",
        "--agency",
        "--webhook-url",
        "--webhook-format",
        "--webhook-resend",
        "--frozen-clock",
        "--live-quirks",
        "--state",
        "--admin-token",
        "--version",
    ] {
        assert!(help.stdout.contains(flag), "--help says nothing of {flag}");
    }
}

#[tokio::test]
async fn prints_its_url_first_and_takes_the_given_credentials() {
    let mock = Mock::start(&["--api-key", "qa_key", "--api-secret", "qa_secret"]).await;
    let port = mock
        .url
        .strip_prefix("http://127.0.0.1:")
        .and_then(|p| p.parse::<u16>().ok());
    assert!(port.is_some_and(|p| p > 0), "{}", mock.url);
    let granted = mock.token_for("qa_key", "qa_secret").await;
    let token = granted.ok();
    assert_eq!(token["access_token"].as_str().map(str::len), Some(40));
    assert_eq!(
        token["expired_at"].as_i64(),
        token["now"].as_i64().map(|n| n + 1800)
    );
    let refused = mock
        .token_for(
            portone_mock::MockServer::API_KEY,
            portone_mock::MockServer::API_SECRET,
        )
        .await;
    assert_eq!((refused.status, refused.code()), (401, -1));
    // Logs go to standard error.
    let ended = mock.stop().await;
    assert!(ended.stderr.contains("listening"), "{}", ended.stderr);
}

#[tokio::test]
async fn port_flag_listens_on_that_port() {
    // A port that was free a moment ago.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mock = Mock::start(&["--port", &port.to_string()]).await;
    assert_eq!(mock.url, format!("http://127.0.0.1:{port}"));
    mock.token().await;
    mock.stop().await;
}

#[tokio::test]
async fn bad_flags_stop_it_before_it_listens() {
    for (args, says) in [
        (vec!["--port", "eighty"], "--port"),
        (vec!["--webhook-format", "xml"], "--webhook-format"),
        (vec!["--host", "not-an-ip"], "--host"),
        (vec!["--agency", "A1B,bad"], "tier code `bad`"),
        (vec!["--webhook-url", "ftp://x/y"], "--webhook-url"),
        (vec!["--no-such-flag"], "--no-such-flag"),
        (vec!["--admin-token", ""], "admin token is empty"),
    ] {
        let ended = run(&args).await;
        assert!(!ended.status.success(), "{args:?} started");
        assert!(ended.stdout.is_empty(), "{args:?} printed {}", ended.stdout);
        assert!(ended.stderr.contains(says), "{args:?}: {}", ended.stderr);
    }
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = taken.local_addr().expect("addr").port().to_string();
    let ended = run(&["--port", &port]).await;
    assert!(
        !ended.status.success() && ended.stdout.is_empty(),
        "{ended:?}"
    );
    assert!(ended.stderr.contains("cannot start"), "{}", ended.stderr);
}

#[tokio::test]
async fn agency_flag_makes_tiers_that_see_only_their_own() {
    let mock = Mock::start(&["--agency", "A1B,B2C"]).await;
    let paid = mock
        .checkout(&json!({ "merchant_uid": "tier-1", "amount": 1000, "tier": "A1B" }))
        .await;
    let imp_uid = paid["imp_uid"].as_str().expect("imp_uid");
    let token = mock.token().await;
    let path = format!("/payments/{imp_uid}");
    let in_tier = crate::common::send(
        mock.http
            .get(mock.at(&path))
            .bearer_auth(&token)
            .header("Tier", "A1B"),
    )
    .await;
    assert_eq!(in_tier.ok()["merchant_uid"], "tier-1");
    let other = crate::common::send(
        mock.http
            .get(mock.at(&path))
            .bearer_auth(&token)
            .header("Tier", "B2C"),
    )
    .await;
    assert_eq!(other.status, 404);
    let unknown = crate::common::send(
        mock.http
            .get(mock.at(&path))
            .bearer_auth(&token)
            .header("Tier", "ZZZ"),
    )
    .await;
    assert_eq!((unknown.status, unknown.code()), (400, -1));
    let refused = mock
        .admin_post(
            "/checkout",
            &json!({ "merchant_uid": "tier-2", "amount": 1000, "tier": "ZZZ" }),
        )
        .await;
    assert_eq!(
        (refused.status, refused.code()),
        (400, -1),
        "{:?}",
        refused.body
    );
    mock.stop().await;
}

#[tokio::test]
async fn webhook_flags_send_forms_to_the_given_url() {
    let receiver = Receiver::start(vec![]).await;
    let mock = Mock::start(&["--webhook-url", &receiver.url, "--webhook-format", "form"]).await;
    let paid = mock
        .checkout(&json!({ "merchant_uid": "hook-1", "amount": 1000 }))
        .await;
    let imp_uid = paid["imp_uid"].as_str().expect("imp_uid").to_owned();
    let deliveries = eventually("the webhook to be delivered", || async {
        let hooks = mock.admin_get("/webhooks").await;
        let hooks = hooks.ok().clone();
        (hooks["settled"] == true && hooks["deliveries"].as_array().is_some_and(|d| d.len() == 1))
            .then(|| hooks["deliveries"].clone())
    })
    .await;
    assert_eq!(deliveries[0]["state"], "delivered");
    assert_eq!(deliveries[0]["event"], "paid");
    assert_eq!(deliveries[0]["url"], receiver.url.as_str());
    let got = receiver.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].content_type, "application/x-www-form-urlencoded");
    assert_eq!(
        got[0].body,
        format!("imp_uid={imp_uid}&merchant_uid=hook-1&status=paid")
    );
    mock.stop().await;
}

#[tokio::test]
async fn frozen_clock_moves_only_when_advanced() {
    let mock = Mock::start(&["--frozen-clock"]).await;
    let first = mock.token_for(
        portone_mock::MockServer::API_KEY,
        portone_mock::MockServer::API_SECRET,
    );
    let first = first.await.ok().clone();
    let token = first["access_token"].as_str().expect("token").to_owned();
    let now = first["now"].as_i64().expect("now");
    let moved = mock
        .admin_post("/advance", &json!({ "seconds": 1799 }))
        .await;
    assert_eq!(moved.ok()["now"].as_i64(), Some(now + 1799));
    // One second left: the token still works (404 for an unknown payment, not 401).
    assert_eq!(
        mock.api_get("/payments/imp_000000000000", &token)
            .await
            .status,
        404
    );
    mock.admin_post("/advance", &json!({ "seconds": 1 }))
        .await
        .ok();
    assert_eq!(
        mock.api_get("/payments/imp_000000000000", &token)
            .await
            .status,
        401
    );
    let again = mock.token_for(
        portone_mock::MockServer::API_KEY,
        portone_mock::MockServer::API_SECRET,
    );
    let again = again.await.ok().clone();
    assert_eq!(again["now"].as_i64(), Some(now + 1800));
    assert_ne!(again["access_token"], first["access_token"]);
    mock.stop().await;
}

#[tokio::test]
async fn live_quirks_flag_serves_what_the_live_server_writes() {
    let plain = Mock::start(&[]).await;
    let quirky = Mock::start(&["--live-quirks"]).await;
    let mut previous = Vec::new();
    for mock in [&plain, &quirky] {
        mock.checkout(&json!({ "merchant_uid": "q-1", "amount": 1000 }))
            .await;
        let token = mock.token().await;
        let page = mock.api_get("/payments/status/all", &token).await;
        previous.push(page.ok()["previous"].clone());
    }
    assert_eq!(previous, vec![json!(0), Value::Bool(false)]);
    plain.stop().await;
    quirky.stop().await;
}

#[tokio::test]
async fn the_clock_ticks_without_the_frozen_flag() {
    let mock = Mock::start(&[]).await;
    let first = mock.admin_post("/advance", &json!({ "seconds": 0 })).await;
    let t0 = first.ok()["now"].as_i64().expect("now");
    // Real time moves the clock: wait for the next second to show.
    eventually("the clock to tick", || async {
        let now = mock.admin_post("/advance", &json!({ "seconds": 0 })).await;
        (now.ok()["now"].as_i64()? > t0).then_some(())
    })
    .await;
    mock.stop().await;
}
