//! The pay page, driven by an HTTP client that reads the form like a browser: it takes
//! the form's action and hidden fields, presses a button (its name and value join the
//! fields), and follows the `303` back to the shop.

use std::collections::BTreeMap;

use reqwest::redirect::Policy;
use reqwest::{Method, Url};
use serde_json::json;

use crate::common::receiver::Receiver;
use crate::process::Mock;

/// What a browser reads of the page's form.
#[derive(Debug)]
struct Form {
    action: String,
    fields: Vec<(String, String)>,
    buttons: Vec<(String, String)>,
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// `name="value"` of one tag.
fn attr(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(unescape(&tag[start..start + len]))
}

fn tags<'a>(html: &'a str, open: &str) -> Vec<&'a str> {
    html.match_indices(open)
        .filter_map(|(i, _)| html[i..].find('>').map(|end| &html[i..i + end]))
        .collect()
}

fn read_form(html: &str) -> Form {
    let form = tags(html, "<form ");
    assert_eq!(form.len(), 1, "one form on the page:\n{html}");
    assert_eq!(attr(form[0], "method").as_deref(), Some("post"));
    let pair = |t: &&str| Some((attr(t, "name")?, attr(t, "value")?));
    Form {
        action: attr(form[0], "action").expect("an action"),
        fields: tags(html, "<input ").iter().filter_map(pair).collect(),
        buttons: tags(html, "<button ").iter().filter_map(pair).collect(),
    }
}

/// Opens the page, presses `button`, and answers the `303`'s location, without following it.
async fn press(page_url: &str, button: &str) -> Url {
    let no_redirects = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .expect("client");
    let page = no_redirects.get(page_url).send().await.expect("the page");
    assert_eq!(page.status(), 200);
    let csp = page
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    let base = page.url().clone();
    let html = page.text().await.expect("html");
    for outside in ["<script", "<link", "<img", "<iframe"] {
        assert!(tags(&html, outside).is_empty(), "{outside} on the page");
    }
    let form = read_form(&html);
    let pressed = form
        .buttons
        .iter()
        .find(|(_, v)| v == button)
        .unwrap_or_else(|| panic!("no {button} button in {form:?}"))
        .clone();
    let mut body = form.fields.clone();
    body.push(pressed);
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&body)
        .finish();
    let action = base.join(&form.action).expect("a form action");
    let answer = no_redirects
        .post(action)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(encoded)
        .send()
        .await
        .expect("the form posts");
    assert_eq!(answer.status(), 303, "{:?}", answer);
    answer
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .and_then(|l| Url::parse(l).ok())
        .expect("a location")
}

fn query(url: &Url) -> BTreeMap<String, String> {
    url.query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn page_url(mock: &Mock, pairs: &[(&str, &str)]) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    mock.at(&format!("/__mock/pay?{query}"))
}

#[tokio::test]
async fn approve_pays_and_the_browser_lands_back_at_the_shop() {
    let shop = Receiver::start(vec![]).await;
    let mock = Mock::start(&[]).await;
    let redirect = format!("{}?order=42", shop.url);
    let url = page_url(
        &mock,
        &[
            ("merchant_uid", "page-1"),
            ("amount", "15000"),
            ("redirect_url", &redirect),
            ("name", "원두 1kg"),
        ],
    );
    let location = press(&url, "approve").await;
    let q = query(&location);
    assert_eq!(
        q.get("order").map(String::as_str),
        Some("42"),
        "the shop's own query stays"
    );
    assert_eq!(q.get("merchant_uid").map(String::as_str), Some("page-1"));
    assert_eq!(q.get("imp_success").map(String::as_str), Some("true"));
    assert!(!q.contains_key("error_msg"));
    let imp_uid = q.get("imp_uid").cloned().expect("imp_uid");

    // Following the redirect, as the browser does, reaches the shop with the same query.
    let followed = reqwest::get(location.as_str())
        .await
        .expect("the shop answers");
    assert_eq!(followed.status(), 200);
    let landed = shop.received();
    assert_eq!(landed.len(), 1);
    assert!(
        landed[0].path.contains(&format!("imp_uid={imp_uid}")),
        "{}",
        landed[0].path
    );

    let token = mock.token().await;
    let paid = mock.api_get(&format!("/payments/{imp_uid}"), &token).await;
    let paid = paid.ok();
    assert_eq!(
        (paid["status"].as_str(), paid["amount"].as_i64()),
        (Some("paid"), Some(15000))
    );
    assert_eq!(paid["name"], "원두 1kg");
    mock.stop().await;
}

#[tokio::test]
async fn decline_and_cancel_fail_the_payment_and_say_why() {
    let mock = Mock::start(&[]).await;
    let token = mock.token().await;
    for (button, reason) in [
        ("decline", "카드사에서 승인을 거절하였습니다."),
        ("cancel", "사용자가 결제를 취소하셨습니다"),
    ] {
        let merchant_uid = format!("page-{button}");
        let url = page_url(
            &mock,
            &[
                ("merchant_uid", &merchant_uid),
                ("amount", "1000"),
                ("redirect_url", "https://shop.example/done"),
            ],
        );
        let location = press(&url, button).await;
        let q = query(&location);
        assert_eq!(location.host_str(), Some("shop.example"));
        assert_eq!(
            q.get("imp_success").map(String::as_str),
            Some("false"),
            "{button}"
        );
        assert_eq!(
            q.get("error_msg").map(String::as_str),
            Some(reason),
            "{button}"
        );
        let imp_uid = q.get("imp_uid").expect("imp_uid");
        let failed = mock.api_get(&format!("/payments/{imp_uid}"), &token).await;
        assert_eq!(failed.ok()["status"], "failed", "{button}");
    }
    mock.stop().await;
}

#[tokio::test]
async fn a_virtual_account_approved_is_a_success_waiting_for_the_deposit() {
    let mock = Mock::start(&[]).await;
    let url = page_url(
        &mock,
        &[
            ("merchant_uid", "page-vbank"),
            ("amount", "30000"),
            ("pay_method", "vbank"),
            ("redirect_url", "https://shop.example/done"),
        ],
    );
    let location = press(&url, "approve").await;
    let q = query(&location);
    assert_eq!(q.get("imp_success").map(String::as_str), Some("true"));
    let token = mock.token().await;
    let ready = mock
        .api_get(
            &format!("/payments/{}", q.get("imp_uid").expect("imp_uid")),
            &token,
        )
        .await;
    assert_eq!(ready.ok()["status"], "ready");
    mock.stop().await;
}

#[tokio::test]
async fn a_prepared_amount_the_page_does_not_match_fails() {
    let mock = Mock::start(&[]).await;
    let token = mock.token().await;
    mock.api(
        Method::POST,
        "/payments/prepare",
        &token,
        Some(&json!({ "merchant_uid": "page-prep", "amount": 1000 })),
    )
    .await
    .ok();
    let url = page_url(
        &mock,
        &[
            ("merchant_uid", "page-prep"),
            ("amount", "10"),
            ("redirect_url", "https://shop.example/done"),
        ],
    );
    let location = press(&url, "approve").await;
    let q = query(&location);
    assert_eq!(q.get("imp_success").map(String::as_str), Some("false"));
    assert!(
        q.get("error_msg").is_some_and(|m| m.contains("사전")),
        "{q:?}"
    );
    mock.stop().await;
}

#[tokio::test]
async fn what_the_page_echoes_is_escaped_and_comes_back_intact() {
    let mock = Mock::start(&[]).await;
    let hostile = r#"<script>alert("x")</script>&'"#;
    let url = page_url(
        &mock,
        &[
            ("merchant_uid", hostile),
            ("amount", "1000"),
            ("name", "\"><img src=x onerror=alert(1)>"),
            ("redirect_url", "https://shop.example/done"),
        ],
    );
    let html = reqwest::get(&url)
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(
        !html.contains("<script>") && !html.contains("<img"),
        "{html}"
    );
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"));
    let location = press(&url, "approve").await;
    assert_eq!(
        query(&location).get("merchant_uid").map(String::as_str),
        Some(hostile)
    );
    mock.stop().await;
}

#[tokio::test]
async fn the_page_refuses_what_it_cannot_complete() {
    let mock = Mock::start(&[]).await;
    for (pairs, says) in [
        (
            vec![("merchant_uid", "m"), ("amount", "1000")],
            "redirect_url",
        ),
        (
            vec![
                ("merchant_uid", "m"),
                ("amount", "1000"),
                ("redirect_url", "javascript:alert(1)"),
            ],
            "http(s)",
        ),
        (
            vec![
                ("merchant_uid", "m"),
                ("amount", "1000"),
                ("redirect_url", "/relative"),
            ],
            "http(s)",
        ),
        (
            vec![
                ("merchant_uid", "m"),
                ("amount", "a lot"),
                ("redirect_url", "https://x.example/"),
            ],
            "amount",
        ),
        (
            vec![("amount", "1"), ("redirect_url", "https://x.example/")],
            "merchant_uid",
        ),
    ] {
        let answer = crate::common::send(mock.http.get(page_url(&mock, &pairs))).await;
        assert_eq!((answer.status, answer.code()), (400, -1), "{pairs:?}");
        assert!(
            answer.message().contains(says),
            "{pairs:?}: {}",
            answer.message()
        );
    }
    let no_action = crate::common::send(
        mock.http
            .post(mock.at("/__mock/pay"))
            .body("merchant_uid=m&amount=1&redirect_url=https%3A%2F%2Fx.example%2F"),
    )
    .await;
    assert_eq!((no_action.status, no_action.code()), (400, -1));
    mock.stop().await;
}
