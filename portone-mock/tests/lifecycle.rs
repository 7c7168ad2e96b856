//! The server's life in process: a state file written and read back whole, one written
//! through on every change, a graceful shutdown, a reset, and where it listens.

mod common;

use std::time::Duration;

use common::{Api, send};
use portone_mock::{Checkout, Fault, Method, MockServer, StateError, cards};
use serde_json::{Value, json};

fn temp_file(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "portone-mock-lifecycle-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temp dir");
    dir.join("state.db")
}

/// Every record row of a state file, in order: what two saves of the same state share.
fn records(file: &std::path::Path) -> Vec<(String, String, String, String)> {
    let db = rusqlite::Connection::open(file).expect("a SQLite file");
    let mut stmt = db
        .prepare("SELECT tier, kind, key, body FROM records ORDER BY tier, kind, key")
        .expect("the records table");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows")
}

/// Every lookup whose answer must be the same after a save and a load.
async fn lookups(api: &Api, ids: &[String]) -> Vec<(String, Value)> {
    let mut paths = vec![
        "/payments/prepare/p-prep".to_owned(),
        "/subscribe/customers/p-key".to_owned(),
        "/subscribe/payments/schedule/p-sched-run".to_owned(),
        "/subscribe/payments/schedule/p-sched-later".to_owned(),
        "/receipts/external/p-cash".to_owned(),
        "/payments/status/all?limit=100".to_owned(),
    ];
    for id in ids {
        paths.push(format!("/payments/{id}"));
    }
    paths.push(format!("/receipts/{}", ids[1]));
    paths.push(format!("/escrows/logis/{}", ids[2]));
    paths.push(format!("/payments/{}/naver/product-orders", ids[3]));
    let mut answers = Vec::new();
    for path in paths {
        let answer = api.get(&path).await;
        assert_eq!(
            (answer.status, answer.code()),
            (200, 0),
            "{path}: {:#}",
            answer.body
        );
        answers.push((path, answer.body));
    }
    answers
}

#[tokio::test]
async fn a_saved_state_reads_back_to_the_same_answers() {
    let file = temp_file("roundtrip");
    let server = MockServer::builder()
        .frozen_clock()
        .agency(["A1B"])
        .start()
        .await;
    let api = Api::new(&server).await;
    api.post(
        "/payments/prepare",
        &json!({ "merchant_uid": "p-prep", "amount": 5000 }),
    )
    .await
    .ok();
    api.post(
        "/subscribe/customers/p-key",
        &json!({ "card_number": cards::APPROVED, "expiry": "2099-12", "customer_name": "홍길동" }),
    )
    .await
    .ok();
    let now = server.now();
    api.post(
        "/subscribe/payments/schedule",
        &json!({ "customer_uid": "p-key", "schedules": [
            { "merchant_uid": "p-sched-run", "schedule_at": now + 60, "amount": 9900 },
            { "merchant_uid": "p-sched-later", "schedule_at": now + 86_400 * 30, "amount": 9900 },
        ]}),
    )
    .await
    .ok();
    let card = server.checkout(
        Checkout::paid(
            "p-card",
            serde_json::Number::from_f64(30.3).expect("a number"),
        )
        .currency("USD"),
    );
    server.cancel_in_console(
        &card,
        Some(serde_json::Number::from_f64(10.1).expect("a number")),
    );
    let trans = server.checkout(Checkout::paid("p-trans", 11000).pay_method("trans"));
    api.post(
        &format!("/receipts/{trans}"),
        &json!({ "identifier": "01012345678" }),
    )
    .await
    .ok();
    let escrow = server.checkout(Checkout::paid("p-escrow", 1000).escrow(true));
    api.post(
        &format!("/escrows/logis/{escrow}"),
        &json!({ "sender": { "name": "포트원" }, "receiver": { "name": "홍길동" },
                 "logis": { "company": "CJGLS", "invoice": "1", "sent_at": 1_700_000_000 } }),
    )
    .await
    .ok();
    let naver = server.checkout(Checkout::paid("p-naver", 2000).pg("naverpay"));
    let vbank = server.checkout(Checkout::vbank_ready("p-vbank", 3000));
    let declined = server.checkout(Checkout::paid("p-declined", 100).card(cards::LIMIT_EXCEEDED));
    api.post(
        "/receipts/external/p-cash",
        &json!({ "name": "현금", "amount": 5500, "identifier": "0101234" }),
    )
    .await
    .ok();
    server.advance(Duration::from_secs(120));
    let ids = vec![card, trans, escrow, naver, vbank.clone(), declined];
    let api = Api::new(&server).await;
    let before = lookups(&api, &ids).await;
    server.save_state(&file).expect("saved");
    // Saving again writes the same records: nothing in them depends on the order of a map.
    let first = records(&file);
    assert!(first.len() > 10, "{first:?}");
    server.save_state(&file).expect("saved again");
    assert_eq!(records(&file), first);

    let restored = MockServer::builder()
        .frozen_clock()
        .state_file(&file)
        .expect("loaded")
        .start()
        .await;
    assert_eq!(restored.now(), server.now());
    let api = Api::new(&restored).await;
    let after = lookups(&api, &ids).await;
    for ((path, a), (_, b)) in before.iter().zip(&after) {
        assert_eq!(a, b, "{path}");
    }
    // The tier came back with its own (empty) view.
    let tiered = api
        .with_tier("A1B")
        .get(&format!("/payments/{}", ids[0]))
        .await;
    assert_eq!(tiered.status, 404);
    // What was pending still moves on: the deposit, and the schedule a month out.
    restored.deposit(&vbank);
    restored.advance(Duration::from_secs(86_400 * 30));
    let api = Api::new(&restored).await;
    let later = api.get("/subscribe/payments/schedule/p-sched-later").await;
    assert_eq!(later.ok()["payment_status"], "paid");
    let _ = std::fs::remove_file(&file);
}

#[tokio::test]
async fn certifications_are_not_written_to_the_file() {
    let file = temp_file("certifications");
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let person = json!({ "name": "홍길동", "phone": "01012345678", "birth": "900101",
                         "gender_digit": "1", "carrier": "SKT", "is_mvno": false });
    let requested = api.post("/certifications/otp/request", &person).await;
    let imp_uid = requested.ok()["imp_uid"]
        .as_str()
        .expect("imp_uid")
        .to_owned();
    server.save_state(&file).expect("saved");
    let text = String::from_utf8_lossy(&std::fs::read(&file).expect("the file")).into_owned();
    assert!(
        !text.contains("01012345678") && !text.contains("1990-01-01"),
        "{text}"
    );
    let restored = MockServer::builder()
        .state_file(&file)
        .expect("loaded")
        .start()
        .await;
    let api = Api::new(&restored).await;
    assert_eq!(
        api.get(&format!("/certifications/{imp_uid}")).await.status,
        404
    );
    let _ = std::fs::remove_file(&file);
}

#[tokio::test]
async fn state_file_names_what_is_wrong_and_leaves_it_alone() {
    let file = temp_file("errors");
    let missing_dir = file.with_file_name("no-such-dir").join("state.db");
    let missing = MockServer::builder().state_file(&missing_dir).err();
    assert!(
        missing.as_ref().is_some_and(StateError::is_not_found),
        "{missing:?}"
    );
    // A JSON state file of an earlier portone-mock, and another program's JSON.
    for text in [
        r#"{"format": "portone-mock-state", "version": 1}"#,
        r#"{"format": "something-else"}"#,
    ] {
        std::fs::write(&file, text).expect("write");
        let refused = MockServer::builder().state_file(&file).err();
        assert!(
            matches!(refused, Some(StateError::NotDatabase { .. })),
            "{refused:?}"
        );
        let message = refused.map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("not a SQLite database"), "{message}");
        let server = MockServer::start().await;
        assert!(
            matches!(
                server.save_state(&file),
                Err(StateError::NotDatabase { .. })
            ),
            "a file that is not a state file is not overwritten"
        );
        assert_eq!(std::fs::read_to_string(&file).ok().as_deref(), Some(text));
    }
    let _ = std::fs::remove_file(&file);
}

#[tokio::test]
async fn every_change_is_in_the_state_file_before_its_answer() {
    let file = temp_file("write-through");
    let server = MockServer::builder()
        .frozen_clock()
        .state_file(&file)
        .expect("opened")
        .start()
        .await;
    let api = Api::new(&server).await;
    let paid = server.checkout(Checkout::paid("wt-1", 5000));
    let refund = api
        .post(
            "/payments/cancel",
            &json!({ "imp_uid": paid, "amount": 2000, "checksum": 5000 }),
        )
        .await;
    refund.ok();
    // The server holds the file alone.
    let second = MockServer::builder().state_file(&file).err();
    assert!(
        matches!(second, Some(StateError::InUse { .. })),
        "{second:?}"
    );
    server.shutdown().await;
    drop(server);
    let rows = records(&file);
    let payment = rows
        .iter()
        .find(|(_, kind, key, _)| kind == "payment" && *key == paid)
        .map(|(_, _, _, body)| body.clone())
        .unwrap_or_default();
    let payment: Value = serde_json::from_str(&payment).expect("the payment's JSON");
    assert_eq!(payment["cancel_amount"], "2000", "{payment:#}");
    let _ = std::fs::remove_file(&file);
}

#[tokio::test]
async fn shutdown_lets_a_request_in_flight_finish_then_closes_the_port() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    let imp_uid = server.checkout(Checkout::paid("s-1", 1000));
    server.inject(Fault::delay(Duration::from_millis(300)).on(Method::GET, "/payments/{imp_uid}"));
    let slow = tokio::spawn({
        let req = api
            .http
            .get(format!("{}/payments/{imp_uid}", api.base))
            .bearer_auth(&api.token);
        send(req)
    });
    common::eventually("the request to arrive", || async {
        server
            .requests()
            .iter()
            .any(|r| r.fault == Some("delay"))
            .then_some(())
    })
    .await;
    server.shutdown().await;
    let answer = slow.await.expect("the task");
    assert_eq!(answer.ok()["merchant_uid"], "s-1");
    let refused = reqwest::get(format!("{}/users/getToken", server.base_url())).await;
    assert!(refused.is_err_and(|e| e.is_connect()));
    // Handles still read the state.
    assert_eq!(server.requests().len(), 2);
    server.shutdown().await;
}

#[tokio::test]
async fn reset_starts_over_with_the_same_settings() {
    let server = MockServer::builder().frozen_clock().start().await;
    let api = Api::new(&server).await;
    let first = server.checkout(Checkout::paid("r-1", 1000));
    server.advance(Duration::from_secs(3600));
    server.inject(Fault::html_502());
    let advanced = server.now();
    server.reset();
    assert!(server.now() < advanced, "the clock is back to real time");
    assert!(server.requests().is_empty() && server.get_token_calls() == 0);
    assert_eq!(api.get(&format!("/payments/{first}")).await.status, 401);
    let api = Api::new(&server).await;
    assert_eq!(api.get(&format!("/payments/{first}")).await.status, 404);
    assert_ne!(server.checkout(Checkout::paid("r-1", 1000)), first);
}

#[tokio::test]
async fn bound_to_every_interface_the_admin_api_needs_a_token() {
    let open = MockServer::builder().bind(([0, 0, 0, 0], 0)).start().await;
    assert!(open.addr().ip().is_unspecified());
    assert!(open.base_url().starts_with("http://127.0.0.1:"));
    let http = reqwest::Client::new();
    let refused = send(http.get(format!("{}/__mock/requests", open.base_url()))).await;
    assert_eq!((refused.status, refused.code()), (403, -1));

    let guarded = MockServer::builder()
        .bind(([0, 0, 0, 0], 0))
        .admin_token("t0ken")
        .start()
        .await;
    let url = format!("{}/__mock/requests", guarded.base_url());
    assert_eq!(send(http.get(&url)).await.status, 401);
    assert_eq!(send(http.get(&url).bearer_auth("t0ken")).await.status, 200);
    let debug = format!("{:?}", MockServer::builder().admin_token("t0ken"));
    assert!(!debug.contains("t0ken"), "{debug}");
}

#[tokio::test]
async fn a_checkout_with_a_test_card_ends_as_the_card_says() {
    let server = MockServer::start().await;
    let api = Api::new(&server).await;
    for (card, status, reason) in [
        (cards::APPROVED, "paid", Value::Null),
        (cards::INSUFFICIENT_FUNDS, "failed", json!("잔액부족")),
        (cards::LOST_OR_STOLEN, "failed", json!("분실/도난 카드")),
    ] {
        let imp_uid = server.checkout(Checkout::paid(format!("card-{card}"), 1000).card(card));
        let p = api.get(&format!("/payments/{imp_uid}")).await;
        let p = p.ok();
        assert_eq!(
            (p["status"].as_str(), &p["fail_reason"]),
            (Some(status), &reason),
            "{card}"
        );
    }
    let bad = server.try_checkout(Checkout::paid("card-bad", 1000).card(cards::INVALID_NUMBER));
    let err = bad.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("F112") && !err.contains("4000"), "{err}");
}
