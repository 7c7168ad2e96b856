//! A handed-in reqwest client that follows redirects: whatever answer it brings back from
//! another URL is refused, on another origin or on the same one.

mod common;

use common::*;
use portone_core::{Client, Error, Execute, Method, Request};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A client whose HTTP client follows redirects, as `reqwest::Client::new()` does.
fn following(server: &MockServer) -> Client {
    builder(server)
        .http_client(reqwest::Client::new())
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn an_answer_from_another_url_is_refused() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok(json!(null)))
        .mount(&elsewhere)
        .await;
    let server = MockServer::start().await;
    mount_token(&server, &[1800], false).await;
    Mock::given(method("GET"))
        .and(path("/payments/away"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/payments/away", elsewhere.uri())),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/payments/moved"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", "/payments/here"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/payments/here"))
        .respond_with(ok(json!(null)))
        .mount(&server)
        .await;
    let client = following(&server);
    for route in ["/payments/away", "/payments/moved"] {
        let err = client
            .call::<()>(get("/payments/<imp_uid>", route))
            .await
            .err();
        assert!(
            matches!(&err, Some(Error::UnexpectedResponse { excerpt, .. }) if excerpt == "redirected"),
            "{route}: {err:?}"
        );
    }
    // Not redirected: the same client's own answers are taken, also where the URL parser
    // normalizes what was sent (a backslash is a slash in an http URL).
    client
        .call::<()>(get("/payments/<imp_uid>", "/payments/here"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = Request::builder(Method::GET, "/payments\\here")
        .path("/payments\\here")
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    client
        .call::<()>(request)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}
