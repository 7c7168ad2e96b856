//! `--state FILE`: loaded at start, written on SIGTERM or SIGINT after the requests in
//! flight finish; a file that is not a state file stops the start and is left alone.

use std::fs;

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::send;
use crate::process::{Mock, eventually, path_str, run, temp_dir};

fn uid(payment: &Value) -> String {
    payment["imp_uid"].as_str().expect("imp_uid").to_owned()
}

#[tokio::test]
async fn records_survive_a_restart_and_tokens_do_not() {
    let dir = temp_dir("restart");
    let file = dir.join("qa-state.json");
    let state = path_str(&file);
    let mock = Mock::start(&["--state", state, "--frozen-clock", "--agency", "A1B"]).await;
    let token = mock.token().await;
    let post = |path: &'static str, body: Value| {
        let token = token.clone();
        let mock = &mock;
        async move { mock.api(Method::POST, path, &token, Some(&body)).await }
    };
    post(
        "/payments/prepare",
        json!({ "merchant_uid": "keep-prep", "amount": 5000 }),
    )
    .await
    .ok();
    post(
        "/subscribe/customers/keep-key",
        json!({ "card_number": portone_mock::cards::APPROVED, "expiry": "2099-12" }),
    )
    .await
    .ok();
    let paid = uid(&mock
        .checkout(&json!({ "merchant_uid": "keep-1", "amount": 15000 }))
        .await);
    mock.admin_post(&format!("/cancel/{paid}"), &json!({ "amount": 5000 }))
        .await
        .ok();
    let vbank = uid(&mock
        .checkout(&json!({ "merchant_uid": "keep-v", "amount": 3000, "outcome": "vbank_ready" }))
        .await);
    let tiered = uid(&mock
        .checkout(&json!({ "merchant_uid": "keep-t", "amount": 700, "tier": "A1B" }))
        .await);
    let saved_now = mock
        .admin_post("/advance", &json!({ "seconds": 86400 }))
        .await
        .ok()["now"]
        .as_i64()
        .expect("now");
    assert!(!file.exists(), "written on shutdown, not before");
    let ended = mock.stop().await;
    assert!(ended.stderr.contains("state saved"), "{}", ended.stderr);

    let text = fs::read_to_string(&file).expect("the state file");
    let saved: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(
        (saved["format"].as_str(), saved["version"].as_u64()),
        (Some("portone-mock-state"), Some(1))
    );
    assert!(!text.contains("4111-1111-1111-1111") && !text.contains("4111111111111111"));
    assert!(!text.contains(&token), "tokens are not kept");

    // Restarted without --agency: the file's tiers come back with its records.
    let mock = Mock::start(&["--state", state, "--frozen-clock"]).await;
    assert_eq!(
        mock.api_get(&format!("/payments/{paid}"), &token)
            .await
            .status,
        401
    );
    let fresh = mock
        .token_for(
            portone_mock::MockServer::API_KEY,
            portone_mock::MockServer::API_SECRET,
        )
        .await;
    let fresh = fresh.ok().clone();
    assert_eq!(
        fresh["now"].as_i64(),
        Some(saved_now),
        "a frozen clock resumes where it stood"
    );
    let token = fresh["access_token"].as_str().expect("token").to_owned();
    let kept = mock.api_get(&format!("/payments/{paid}"), &token).await;
    let kept = kept.ok();
    assert_eq!(
        (kept["status"].as_str(), kept["cancel_amount"].as_i64()),
        (Some("paid"), Some(5000))
    );
    assert_eq!(kept["cancel_history"].as_array().map(Vec::len), Some(1));
    let prep = mock.api_get("/payments/prepare/keep-prep", &token).await;
    assert_eq!(prep.ok()["amount"], 5000);
    let key = mock.api_get("/subscribe/customers/keep-key", &token).await;
    assert_eq!(key.ok()["card_number"], "411111******1111");
    let in_tier = send(
        mock.http
            .get(mock.at(&format!("/payments/{tiered}")))
            .bearer_auth(&token)
            .header("Tier", "A1B"),
    )
    .await;
    assert_eq!(in_tier.ok()["amount"], 700);
    let deposited = mock
        .admin_post(&format!("/deposit/{vbank}"), &json!({}))
        .await;
    assert_eq!(deposited.ok()["status"], "paid");
    let new = uid(&mock
        .checkout(&json!({ "merchant_uid": "keep-2", "amount": 1 }))
        .await);
    assert!(
        ![&paid, &vbank, &tiered].contains(&&new),
        "no id is handed out twice"
    );
    let log = mock.admin_get("/requests").await;
    let logged = log.ok()["requests"].as_array().map(Vec::len);
    assert_eq!(
        logged,
        Some(6),
        "the log starts empty: only this run's requests"
    );

    // SIGINT saves too.
    mock.signal("INT");
    let ended = mock.wait().await;
    assert!(ended.status.success(), "{ended:?}");
    let text = fs::read_to_string(&file).expect("the state file");
    assert!(text.contains("keep-2"));
    let _ = fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_request_in_flight_finishes_before_the_state_is_written() {
    let dir = temp_dir("in-flight");
    let file = dir.join("state.json");
    let mock = Mock::start(&["--state", path_str(&file)]).await;
    let token = mock.token().await;
    let imp_uid = uid(&mock
        .checkout(&json!({ "merchant_uid": "slow-1", "amount": 1000 }))
        .await);
    mock.admin_post(
        "/faults",
        &json!({ "kind": "delay", "delay_ms": 1500, "path": "/payments/{imp_uid}" }),
    )
    .await
    .ok();
    let lookup = tokio::spawn(send(
        mock.http
            .get(mock.at(&format!("/payments/{imp_uid}")))
            .bearer_auth(&token),
    ));
    // The request is in: logged, now waiting out its delay.
    eventually("the slow request to arrive", || async {
        let log = mock.admin_get("/requests").await;
        let requests = log.ok()["requests"].as_array().cloned().unwrap_or_default();
        requests.iter().any(|r| r["fault"] == "delay").then_some(())
    })
    .await;
    mock.signal("TERM");
    let answer = lookup.await.expect("the lookup task");
    assert_eq!(answer.ok()["merchant_uid"], "slow-1");
    let ended = mock.wait().await;
    assert!(ended.status.success(), "{ended:?}");
    let text = fs::read_to_string(&file).expect("the state file");
    assert!(text.contains(&imp_uid));
    let _ = fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_file_that_is_not_a_state_file_stops_the_start_and_is_left_alone() {
    let dir = temp_dir("refused");
    for (name, content, says) in [
        (
            "broken.json",
            "{\"format\": \"portone-mock-state\", \"vers",
            "is not JSON",
        ),
        ("empty.json", "", "is not JSON"),
        (
            "package.json",
            r#"{"name": "my-shop", "version": "1.0.0"}"#,
            "not a portone-mock state file",
        ),
        (
            "newer.json",
            r#"{"format": "portone-mock-state", "version": 2}"#,
            "version 2",
        ),
        (
            "damaged.json",
            r#"{"format": "portone-mock-state", "version": 1, "clock": {"now_ms": 1, "offset_ms": 0},
               "ids": {"seed": 1, "counter": 1}, "agency": null,
               "stores": [{"tier": null, "records": {"payments": [{"imp_uid": 7}]}}]}"#,
            "stores[0].records.payments[0]",
        ),
    ] {
        let file = dir.join(name);
        fs::write(&file, content).expect("write");
        let ended = run(&["--state", path_str(&file)]).await;
        assert!(!ended.status.success(), "{name}: started");
        assert!(ended.stdout.is_empty(), "{name}: printed {}", ended.stdout);
        assert!(ended.stderr.contains(says), "{name}: {}", ended.stderr);
        assert!(
            ended.stderr.contains("not starting"),
            "{name}: {}",
            ended.stderr
        );
        assert_eq!(
            fs::read_to_string(&file).ok().as_deref(),
            Some(content),
            "{name} changed"
        );
    }
    let _ = fs::remove_dir_all(&dir);
}
