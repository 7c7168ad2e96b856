//! A tiny PortOne client for the mock's own tests: raw reqwest, JSON in, envelope out.
#![allow(dead_code)]

use portone_mock::MockServer;
use serde_json::{Value, json};

/// How long a test waits for something the mock does on its own before it fails.
pub(crate) const DEADLINE: std::time::Duration = std::time::Duration::from_secs(60);

/// Polls `check` until it returns `Some`, for [`DEADLINE`] at most: for what the mock
/// does in the background with no notification to await.
pub(crate) async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + DEADLINE;
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "gave up waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

/// An answer: the HTTP status and the body parsed as JSON (`Null` when it is not JSON).
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: Value,
}

impl Answer {
    pub(crate) fn code(&self) -> i64 {
        self.body["code"].as_i64().unwrap_or(i64::MIN)
    }

    pub(crate) fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or_default()
    }

    pub(crate) fn response(&self) -> &Value {
        &self.body["response"]
    }

    /// Asserts HTTP 200 with `code` 0 and returns `response`.
    #[track_caller]
    pub(crate) fn ok(&self) -> &Value {
        assert_eq!((self.status, self.code()), (200, 0), "{:#}", self.body);
        self.response()
    }
}

pub(crate) struct Api {
    pub(crate) base: String,
    pub(crate) http: reqwest::Client,
    pub(crate) token: String,
    pub(crate) tier: Option<String>,
}

pub(crate) async fn send(req: reqwest::RequestBuilder) -> Answer {
    let res = req.send().await.expect("request reaches the mock");
    let status = res.status().as_u16();
    let bytes = res.bytes().await.expect("body");
    Answer {
        status,
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    }
}

pub(crate) async fn get_token(server: &MockServer, http: &reqwest::Client) -> Answer {
    let body = json!({ "imp_key": server.api_key(), "imp_secret": server.api_secret() });
    send(
        http.post(format!("{}/users/getToken", server.base_url()))
            .header("content-type", "application/json")
            .body(body.to_string()),
    )
    .await
}

impl Api {
    pub(crate) async fn new(server: &MockServer) -> Api {
        let http = reqwest::Client::new();
        let token = get_token(server, &http).await.ok()["access_token"]
            .as_str()
            .expect("a token")
            .to_owned();
        Api {
            base: server.base_url(),
            http,
            token,
            tier: None,
        }
    }

    pub(crate) fn with_tier(&self, tier: &str) -> Api {
        Api {
            base: self.base.clone(),
            http: self.http.clone(),
            token: self.token.clone(),
            tier: Some(tier.to_owned()),
        }
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(tier) = &self.tier {
            req = req.header("Tier", tier);
        }
        req
    }

    pub(crate) async fn get(&self, path: &str) -> Answer {
        send(self.request(reqwest::Method::GET, path)).await
    }

    pub(crate) async fn delete(&self, path: &str) -> Answer {
        send(self.request(reqwest::Method::DELETE, path)).await
    }

    pub(crate) async fn call(&self, method: reqwest::Method, path: &str, body: &Value) -> Answer {
        send(
            self.request(method, path)
                .header("content-type", "application/json")
                .body(body.to_string()),
        )
        .await
    }

    pub(crate) async fn post(&self, path: &str, body: &Value) -> Answer {
        self.call(reqwest::Method::POST, path, body).await
    }

    pub(crate) async fn put(&self, path: &str, body: &Value) -> Answer {
        self.call(reqwest::Method::PUT, path, body).await
    }
}
pub(crate) mod receiver;
