//! The request log: what the server received, in arrival order, for assertions.

use axum::http::Method;
use axum::http::request::Parts;
use bytes::Bytes;

/// One request as the server received it, faulted or not.
#[derive(Clone)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The HTTP method.
    pub method: Method,
    /// The path exactly as sent, still percent-encoded (`/payments/find/a%2Fb`).
    pub path: String,
    /// The query string without `?`, still percent-encoded; `None` when there was none.
    pub query: Option<String>,
    /// The headers in arrival order, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body bytes (empty when a fault closed the connection before reading it). They
    /// are what the client sent, API secret and card data included, so that tests can
    /// check them; `Debug` prints only their length.
    pub body: Bytes,
    /// The name of the fault applied to this request (such as `"close_connection"`), if any.
    pub fault: Option<&'static str>,
}

impl RecordedRequest {
    pub(crate) fn new(parts: &Parts, body: Bytes, fault: Option<&'static str>) -> Self {
        RecordedRequest {
            method: parts.method.clone(),
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().map(str::to_owned),
            headers: parts
                .headers
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body,
            fault,
        }
    }

    /// The first value of a header, looked up case-insensitively.
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON, `None` when it is not JSON.
    #[must_use]
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The body as UTF-8 text (lossy).
    #[must_use]
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Every request received since the start or the last clear, and how many were getToken
/// calls.
#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    pub(crate) requests: Vec<RecordedRequest>,
    pub(crate) get_token_calls: usize,
}

impl RequestLog {
    pub(crate) fn record(&mut self, request: RecordedRequest) {
        if request.method == Method::POST && request.path == "/users/getToken" {
            self.get_token_calls += 1;
        }
        self.requests.push(request);
    }

    pub(crate) fn clear(&mut self) {
        self.requests.clear();
        self.get_token_calls = 0;
    }
}

/// Headers whose values carry credentials; `Debug` never prints them.
const SENSITIVE: [&str; 4] = [
    "authorization",
    "x-imptokenheader",
    "cookie",
    "proxy-authorization",
];

// Hand-written: bodies carry API secrets and card data, and some headers carry tokens.
impl std::fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        struct Headers<'a>(&'a [(String, String)]);
        impl std::fmt::Debug for Headers<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let mut m = f.debug_map();
                for (name, value) in self.0 {
                    if SENSITIVE.contains(&name.as_str()) {
                        m.entry(name, &"<redacted>");
                    } else {
                        m.entry(name, value);
                    }
                }
                m.finish()
            }
        }
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &Headers(&self.headers))
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .field("fault", &self.fault)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_tokens_and_bodies() {
        let r = RecordedRequest {
            method: Method::POST,
            path: "/users/getToken".into(),
            query: None,
            headers: vec![
                ("authorization".into(), "Bearer sekrit-token".into()),
                ("content-type".into(), "application/json".into()),
            ],
            body: Bytes::from_static(br#"{"imp_secret":"sekrit-secret"}"#),
            fault: None,
        };
        let s = format!("{r:?}");
        assert!(!s.contains("sekrit"), "{s}");
        assert!(s.contains("application/json"));
        assert_eq!(r.header("Authorization"), Some("Bearer sekrit-token"));
        assert_eq!(
            r.json()
                .and_then(|v| v["imp_secret"].as_str().map(str::to_owned))
                .as_deref(),
            Some("sekrit-secret")
        );
    }
}
