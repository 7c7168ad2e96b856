//! Who may use the admin API.
//!
//! The rule is about the address the server listens on, not where a request comes from:
//! bound to `0.0.0.0`, the admin API is refused even to a caller on `127.0.0.1`. So these
//! tests bind every interface and call through the loopback, which proves the rule on any
//! machine; they never send to another address of the machine (this workplace allows
//! test traffic to loopback addresses only).

use reqwest::Method;
use serde_json::json;

use crate::common::send;
use crate::process::Mock;

#[tokio::test]
async fn on_every_interface_the_admin_api_is_refused_without_a_token() {
    let mock = Mock::start(&["--host", "0.0.0.0"]).await;
    assert!(mock.url.starts_with("http://127.0.0.1:"), "{}", mock.url);
    crate::process::eventually("the warning about the admin API", || async {
        mock.stderr()
            .contains("the admin API (/__mock/) is refused")
            .then_some(())
    })
    .await;
    for (method, path) in [
        (Method::POST, "/checkout"),
        (Method::GET, "/requests"),
        (Method::POST, "/reset"),
        (
            Method::GET,
            "/pay?merchant_uid=m&amount=1&redirect_url=https%3A%2F%2Fx.example%2F",
        ),
        (Method::GET, "/no-such-route"),
    ] {
        let answer = mock
            .admin(
                method.clone(),
                path,
                &json!({ "merchant_uid": "m", "amount": 1 }),
            )
            .await;
        assert_eq!((answer.status, answer.code()), (403, -1), "{method} {path}");
        assert!(
            answer.message().contains("--admin-token"),
            "{}",
            answer.message()
        );
    }
    // PortOne's API itself is served.
    mock.token().await;
    mock.stop().await;
}

#[tokio::test]
async fn with_a_token_every_admin_request_must_carry_it() {
    let mock = Mock::start(&["--host", "0.0.0.0", "--admin-token", "qa-admin-9f2c"]).await;
    let checkout = |token: Option<&str>| {
        let mut req = mock
            .http
            .post(mock.at("/__mock/checkout"))
            .body(json!({ "merchant_uid": "t-1", "amount": 1000 }).to_string());
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        send(req)
    };
    for wrong in [None, Some("qa-admin-9f2"), Some("qa-admin-9f2cX"), Some("")] {
        let refused = checkout(wrong).await;
        assert_eq!((refused.status, refused.code()), (401, -1), "{wrong:?}");
        assert!(!refused.body.to_string().contains("qa-admin-9f2c"));
    }
    let paid = checkout(Some("qa-admin-9f2c")).await;
    assert_eq!(paid.ok()["status"], "paid");

    // A browser cannot send the header: the page takes the token in its address, and its
    // form sends it on.
    let page = mock
        .http
        .get(mock.at(
            "/__mock/pay?merchant_uid=t-2&amount=1&redirect_url=https%3A%2F%2Fx.example%2F&admin_token=qa-admin-9f2c",
        ))
        .send()
        .await
        .expect("the page");
    assert_eq!(page.status(), 200);
    assert_eq!(
        page.headers()
            .get("referrer-policy")
            .and_then(|v| v.to_str().ok()),
        Some("no-referrer")
    );
    let html = page.text().await.expect("html");
    assert!(
        html.contains("action=\"pay?admin_token=qa-admin-9f2c\""),
        "{html}"
    );
    let ended = mock.stop().await;
    assert!(
        !ended.stderr.contains("qa-admin-9f2c"),
        "the token is never logged"
    );
}

#[tokio::test]
async fn on_the_loopback_a_token_is_still_required_once_set() {
    let mock = Mock::start(&["--admin-token", "loop-token"]).await;
    let refused = mock.admin(Method::GET, "/requests", &json!({})).await;
    assert_eq!(refused.status, 401);
    let allowed = send(
        mock.http
            .get(mock.at("/__mock/requests"))
            .header("authorization", "Bearer loop-token"),
    )
    .await;
    allowed.ok();
    mock.stop().await;
}
