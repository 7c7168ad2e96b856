//! `/__mock/faults`: a [`Fault`] described in JSON.
//!
//! ```json
//! {"kind": "html_502", "method": "GET", "path": "/payments/{imp_uid}", "times": 1, "after_ms": 2000}
//! {"kind": "delay", "delay_ms": 1500}
//! {"kind": "respond", "status": 503, "content_type": "text/plain", "body": "busy"}
//! ```

use std::time::Duration;

use axum::extract::State;
use axum::http::Method;
use bytes::Bytes;
use serde::Deserialize;
use serde_json::{Value, json};

use super::parse;
use crate::faults::{Fault, Rule};
use crate::reply::{Answer, JSON_CONTENT_TYPE, Reply};
use crate::routes::App;

/// Every `kind`, as [`Fault`]'s constructors are named.
pub(crate) const KINDS: [&str; 15] = [
    "delay",
    "delay_after_processing",
    "respond",
    "html_502",
    "service_unavailable",
    "gateway_timeout",
    "internal_error",
    "unauthorized",
    "close_connection",
    "reset_connection",
    "close_before_body",
    "drop_response",
    "reset_mid_body",
    "malformed_json",
    "wrong_content_type",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FaultSpec {
    kind: String,
    /// Only this method (any when absent).
    method: Option<String>,
    /// Only this path or pattern (`/payments/{imp_uid}`); every path when absent.
    path: Option<String>,
    /// Only the first `times` matching requests; all of them when absent.
    times: Option<usize>,
    /// Waits this long before the fault acts.
    after_ms: Option<u64>,
    /// `delay`, `delay_after_processing`: how long.
    delay_ms: Option<u64>,
    /// `respond`: the status, content type (JSON by default) and body (empty by default).
    status: Option<u16>,
    content_type: Option<String>,
    body: Option<String>,
}

impl FaultSpec {
    pub(crate) fn into_fault(self) -> Result<Fault, Reply> {
        let delay = || {
            self.delay_ms.map(Duration::from_millis).ok_or_else(|| {
                Reply::bad_request(format!("a `{}` fault needs `delay_ms`", self.kind))
            })
        };
        let mut fault = match self.kind.as_str() {
            "delay" => Fault::delay(delay()?),
            "delay_after_processing" => Fault::delay_after_processing(delay()?),
            "respond" => {
                let status = self
                    .status
                    .filter(|s| (100..=999).contains(s))
                    .ok_or_else(|| {
                        Reply::bad_request("a `respond` fault needs a `status` from 100 to 999")
                    })?;
                Fault::respond(
                    status,
                    self.content_type.as_deref().unwrap_or(JSON_CONTENT_TYPE),
                    self.body.clone().unwrap_or_default(),
                )
            }
            "html_502" => Fault::html_502(),
            "service_unavailable" => Fault::service_unavailable(),
            "gateway_timeout" => Fault::gateway_timeout(),
            "internal_error" => Fault::internal_error(),
            "unauthorized" => Fault::unauthorized(),
            "close_connection" => Fault::close_connection(),
            "reset_connection" => Fault::reset_connection(),
            "close_before_body" => Fault::close_before_body(),
            "drop_response" => Fault::drop_response(),
            "reset_mid_body" => Fault::reset_mid_body(),
            "malformed_json" => Fault::malformed_json(),
            "wrong_content_type" => Fault::wrong_content_type(),
            other => {
                return Err(Reply::bad_request(format!(
                    "unknown fault kind `{other}`; one of: {}",
                    KINDS.join(", ")
                )));
            }
        };
        let takes = |field: &str, given: bool| {
            if given && !matches!(self.kind.as_str(), "delay" | "delay_after_processing") {
                return Err(Reply::bad_request(format!(
                    "`{field}` is for `delay` and `delay_after_processing` faults"
                )));
            }
            Ok(())
        };
        takes("delay_ms", self.delay_ms.is_some())?;
        if self.kind != "respond"
            && (self.status.is_some() || self.content_type.is_some() || self.body.is_some())
        {
            return Err(Reply::bad_request(
                "`status`, `content_type` and `body` are for `respond` faults",
            ));
        }
        if let Some(m) = &self.method {
            let method = Method::from_bytes(m.to_ascii_uppercase().as_bytes())
                .map_err(|_| Reply::bad_request(format!("`{m}` is not an HTTP method")))?;
            fault.method = Some(method);
        }
        if let Some(p) = &self.path {
            if !p.starts_with('/') {
                return Err(Reply::bad_request("`path` must start with `/`"));
            }
            fault.path = Some(p.clone());
        }
        if let Some(n) = self.times {
            fault = fault.times(n);
        }
        if let Some(ms) = self.after_ms {
            fault = fault.after(Duration::from_millis(ms));
        }
        Ok(fault)
    }
}

fn describe(rule: &Rule) -> Value {
    let f = &rule.fault;
    json!({
        "kind": f.name,
        "method": f.method.as_ref().map(Method::as_str),
        "path": f.path,
        "times": f.times,
        "remaining": rule.remaining,
        "after_ms": f.after.map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
    })
}

/// Adds a fault; answers it and how many are in force.
pub(super) async fn add(State(app): State<App>, body: Bytes) -> Answer {
    let spec: FaultSpec = parse(&body)?;
    let fault = spec.into_fault()?;
    let remaining = fault.times;
    let mut st = app.lock();
    st.faults.push(Rule { fault, remaining });
    let added = st.faults.last().map(describe).unwrap_or(Value::Null);
    Ok(Reply::ok(
        json!({ "fault": added, "faults": st.faults.len() }),
    ))
}

/// Every fault, with the uses it has left.
pub(super) async fn list(State(app): State<App>) -> Answer {
    let st = app.lock();
    Ok(Reply::ok(Value::Array(
        st.faults.iter().map(describe).collect(),
    )))
}

pub(super) async fn clear(State(app): State<App>) -> Answer {
    app.lock().faults.clear();
    Ok(Reply::ok(Value::Null))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(text: &str) -> Result<Fault, String> {
        parse::<FaultSpec>(text.as_bytes())
            .and_then(FaultSpec::into_fault)
            .map_err(|r| r.envelope().to_string())
    }

    #[test]
    fn every_kind_is_built_with_its_name() {
        for kind in KINDS {
            let extra = match kind {
                "delay" | "delay_after_processing" => r#", "delay_ms": 10"#,
                "respond" => r#", "status": 418"#,
                _ => "",
            };
            let f = fault(&format!(r#"{{"kind": "{kind}"{extra}}}"#));
            assert_eq!(f.map(|f| f.name()), Ok(kind), "{kind}");
        }
    }

    #[test]
    fn narrows_like_the_rust_api() {
        let f = fault(
            r#"{"kind": "html_502", "method": "get", "path": "/payments/{imp_uid}", "times": 2, "after_ms": 5}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(f.matches(&Method::GET, "/payments/imp_1"));
        assert!(!f.matches(&Method::POST, "/payments/imp_1"));
        assert_eq!(f.times, Some(2));
        assert_eq!(f.after, Some(Duration::from_millis(5)));
    }

    #[test]
    fn mistakes_are_named() {
        for (text, says) in [
            (r#"{"kind": "explode"}"#, "unknown fault kind"),
            (r#"{"kind": "delay"}"#, "delay_ms"),
            (r#"{"kind": "respond"}"#, "status"),
            (r#"{"kind": "html_502", "delay_ms": 3}"#, "delay_ms"),
            (r#"{"kind": "html_502", "body": "x"}"#, "respond"),
            (r#"{"kind": "html_502", "path": "payments"}"#, "start with"),
            (r#"{"kind": "html_502", "method": "G ET"}"#, "HTTP method"),
            (r#"{"kind": "html_502", "tiems": 1}"#, "tiems"),
        ] {
            let err = fault(text).err().unwrap_or_default();
            assert!(err.contains(says), "{text}: {err}");
        }
    }
}
