//! `--state FILE`: a SQLite database every change is written to before its answer, so that
//! a `kill -9` loses nothing; a file that is not the mock's database stops the start and
//! is left alone.

use std::fs;
use std::path::Path;

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::send;
use crate::process::{Mock, eventually, path_str, run, temp_dir};

fn uid(payment: &Value) -> String {
    payment["imp_uid"].as_str().expect("imp_uid").to_owned()
}

/// What `--state` writes for each change: the rows of the file, read once the process is
/// gone.
fn rows(file: &Path) -> Vec<(String, String)> {
    let db = rusqlite::Connection::open(file).expect("a SQLite file");
    let mut stmt = db
        .prepare("SELECT kind, body FROM records ORDER BY seq")
        .expect("the records table");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows")
}

#[tokio::test]
async fn every_change_survives_kill_9() {
    let dir = temp_dir("kill-9");
    let file = dir.join("qa-state.db");
    let state = path_str(&file);
    let mock = Mock::start(&[
        "--state",
        state,
        "--frozen-clock",
        "--agency",
        "A1B",
        "--webhook-url",
        "http://127.0.0.1:9/portone",
        "--webhook-resend",
    ])
    .await;
    let token = mock.token().await;
    let post = |path: &'static str, body: Value| {
        let token = token.clone();
        let mock = &mock;
        async move { mock.api(Method::POST, path, &token, Some(&body)).await }
    };
    // A billing key, a charge with it, and a schedule a day out.
    post(
        "/subscribe/customers/keep-key",
        json!({ "card_number": portone_mock::cards::APPROVED, "expiry": "2099-12" }),
    )
    .await
    .ok();
    let charged = uid(post(
        "/subscribe/payments/again",
        json!({ "customer_uid": "keep-key", "merchant_uid": "keep-again", "amount": 900, "name": "m" }),
    )
    .await
    .ok());
    let now = mock
        .token_for("mock_imp_key", "mock_imp_secret_0123456789abcdef")
        .await;
    let now = now.ok()["now"].as_i64().expect("now");
    post(
        "/subscribe/payments/schedule",
        json!({ "customer_uid": "keep-key", "schedules": [
            { "merchant_uid": "keep-sched", "schedule_at": now + 86_400 * 2, "amount": 300 }
        ] }),
    )
    .await
    .ok();
    post(
        "/payments/prepare",
        json!({ "merchant_uid": "keep-prep", "amount": 5000 }),
    )
    .await
    .ok();
    // Payments, a partial refund and a full one.
    let partly = uid(&mock
        .checkout(&json!({ "merchant_uid": "keep-1", "amount": 15000 }))
        .await);
    post(
        "/payments/cancel",
        json!({ "imp_uid": partly, "amount": 5000, "checksum": 15000 }),
    )
    .await
    .ok();
    let refunded = uid(&mock
        .checkout(&json!({ "merchant_uid": "keep-2", "amount": 7000 }))
        .await);
    post("/payments/cancel", json!({ "merchant_uid": "keep-2" }))
        .await
        .ok();
    let tiered = uid(&mock
        .checkout(&json!({ "merchant_uid": "keep-t", "amount": 700, "tier": "A1B" }))
        .await);
    // The clock, a day on.
    let moved = mock
        .admin_post("/advance", &json!({ "seconds": 86400 }))
        .await
        .ok()["now"]
        .as_i64()
        .expect("now");

    mock.signal("KILL");
    let ended = mock.wait().await;
    assert!(!ended.status.success(), "{ended:?}");
    let text = String::from_utf8_lossy(&fs::read(&file).expect("the file")).into_owned();
    assert!(!text.contains("4111-1111-1111-1111") && !text.contains("4111111111111111"));

    // Restarted with no flag but the file: tiers, webhook settings and clock come back.
    let mock = Mock::start(&["--state", state, "--frozen-clock"]).await;
    assert_eq!(
        mock.api_get(&format!("/payments/{partly}"), &token)
            .await
            .status,
        401,
        "tokens are not kept"
    );
    let fresh = mock
        .token_for("mock_imp_key", "mock_imp_secret_0123456789abcdef")
        .await;
    let fresh = fresh.ok().clone();
    assert_eq!(
        fresh["now"].as_i64(),
        Some(moved),
        "the clock resumes where it stood"
    );
    let token = fresh["access_token"].as_str().expect("token").to_owned();
    let get = |path: String| {
        let token = token.clone();
        let mock = &mock;
        async move { mock.api_get(&path, &token).await }
    };
    let kept = get(format!("/payments/{partly}")).await;
    let kept = kept.ok();
    assert_eq!(
        (kept["status"].as_str(), kept["cancel_amount"].as_i64()),
        (Some("paid"), Some(5000))
    );
    let gone = get(format!("/payments/{refunded}")).await;
    assert_eq!(gone.ok()["status"], "cancelled");
    let again = get(format!("/payments/{charged}")).await;
    assert_eq!(again.ok()["customer_uid"], "keep-key");
    let key = get("/subscribe/customers/keep-key".into()).await;
    assert_eq!(key.ok()["card_number"], "411111******1111");
    let prep = get("/payments/prepare/keep-prep".into()).await;
    assert_eq!(prep.ok()["amount"], 5000);
    let in_tier = send(
        mock.http
            .get(mock.at(&format!("/payments/{tiered}")))
            .bearer_auth(&token)
            .header("Tier", "A1B"),
    )
    .await;
    assert_eq!(in_tier.ok()["amount"], 700);
    // The schedule still waits, and runs when its time comes.
    let sched = get("/subscribe/payments/schedule/keep-sched".into()).await;
    assert_eq!(sched.ok()["schedule_status"], "scheduled");
    mock.admin_post("/advance", &json!({ "seconds": 86400 * 2 }))
        .await
        .ok();
    // Two days on, the token has expired: a new one.
    let token = mock.token().await;
    let ran = mock
        .api_get("/subscribe/payments/schedule/keep-sched", &token)
        .await;
    assert_eq!(ran.ok()["payment_status"], "paid");
    // The webhook settings: a payment notifies the saved URL, re-sent after the refusal.
    let new = uid(&mock
        .checkout(&json!({ "merchant_uid": "keep-3", "amount": 1 }))
        .await);
    assert!(
        ![&partly, &refunded, &tiered, &charged].contains(&&new),
        "no id is handed out twice"
    );
    let delivery = eventually("the webhook's first attempt", || async {
        let hooks = mock.admin_get("/webhooks").await;
        let deliveries = hooks.ok()["deliveries"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        deliveries
            .into_iter()
            .find(|d| d["webhook"]["imp_uid"] == new.as_str() && d["state"] == "retrying")
    })
    .await;
    assert_eq!(delivery["url"], "http://127.0.0.1:9/portone");
    let log = mock.admin_get("/requests").await;
    let logged = log.ok()["requests"].as_array().map(Vec::len);
    assert!(
        logged.is_some_and(|n| n < 15),
        "the log starts empty: {logged:?}"
    );
    let ended = mock.stop().await;
    assert!(ended.status.success(), "{ended:?}");
    let kinds: Vec<String> = rows(&file).into_iter().map(|(kind, _)| kind).collect();
    for kind in ["payment", "customer", "schedule", "prepare"] {
        assert!(kinds.iter().any(|k| k == kind), "{kind}: {kinds:?}");
    }
    let _ = fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_request_in_flight_finishes_on_sigterm() {
    let dir = temp_dir("in-flight");
    let file = dir.join("state.db");
    let mock = Mock::start(&["--state", path_str(&file)]).await;
    let token = mock.token().await;
    let imp_uid = uid(&mock
        .checkout(&json!({ "merchant_uid": "slow-1", "amount": 1000 }))
        .await);
    mock.admin_post(
        "/faults",
        &json!({ "kind": "delay", "delay_ms": 1500, "path": "/payments/cancel" }),
    )
    .await
    .ok();
    let refund = tokio::spawn(send(
        mock.http
            .post(mock.at("/payments/cancel"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(json!({ "imp_uid": imp_uid }).to_string()),
    ));
    // The request is in: logged, now waiting out its delay.
    eventually("the slow request to arrive", || async {
        let log = mock.admin_get("/requests").await;
        let requests = log.ok()["requests"].as_array().cloned().unwrap_or_default();
        requests.iter().any(|r| r["fault"] == "delay").then_some(())
    })
    .await;
    mock.signal("TERM");
    let answer = refund.await.expect("the refund task");
    assert_eq!(answer.ok()["status"], "cancelled");
    let ended = mock.wait().await;
    assert!(ended.status.success(), "{ended:?}");
    let refunded = rows(&file).into_iter().any(|(kind, body)| {
        kind == "payment" && body.contains(&imp_uid) && body.contains("\"cancelled\"")
    });
    assert!(refunded, "the refund answered is in the file");
    let _ = fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_file_that_is_not_the_mocks_database_stops_the_start_and_is_left_alone() {
    let dir = temp_dir("refused");
    let foreign = dir.join("shop.db");
    let db = rusqlite::Connection::open(&foreign).expect("a SQLite file");
    db.execute_batch("CREATE TABLE orders (id INTEGER); INSERT INTO orders VALUES (1);")
        .expect("a table");
    drop(db);
    let newer = dir.join("newer.db");
    let db = rusqlite::Connection::open(&newer).expect("a SQLite file");
    // This mock's application id with a schema from the future.
    db.execute_batch("PRAGMA application_id = 1886220139; PRAGMA user_version = 9;")
        .expect("pragmas");
    db.execute_batch("CREATE TABLE records (id INTEGER);")
        .expect("a table");
    drop(db);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "state.json",
            br#"{"format": "portone-mock-state", "version": 1, "stores": []}"#.to_vec(),
            "not a SQLite database",
        ),
        (
            "package.json",
            br#"{"name": "my-shop"}"#.to_vec(),
            "not a SQLite database",
        ),
        (
            "shop.db",
            fs::read(&foreign).expect("read"),
            "another program",
        ),
        ("newer.db", fs::read(&newer).expect("read"), "schema 9"),
    ];
    for (name, content, says) in cases {
        let file = dir.join(name);
        fs::write(&file, &content).expect("write");
        let ended = run(&["--state", path_str(&file)]).await;
        assert!(!ended.status.success(), "{name}: started");
        assert!(ended.stdout.is_empty(), "{name}: printed {}", ended.stdout);
        assert!(ended.stderr.contains(says), "{name}: {}", ended.stderr);
        assert!(
            ended.stderr.contains("not starting"),
            "{name}: {}",
            ended.stderr
        );
        assert_eq!(fs::read(&file).expect("read"), content, "{name} changed");
        for side in ["-wal", "-journal", "-shm"] {
            let beside = dir.join(format!("{name}{side}"));
            assert!(!beside.exists(), "{name}: {side} written beside it");
        }
    }
    let _ = fs::remove_dir_all(&dir);
}
