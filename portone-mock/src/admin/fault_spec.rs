//! `/__mock/faults`: a [`Fault`] described in JSON.
//!
//! ```json
//! {"kind": "html_502", "method": "GET", "path": "/payments/{imp_uid}", "times": 1, "after_ms": 2000}
//! {"kind": "delay", "delay_ms": 1500}
//! {"kind": "respond", "status": 503, "content_type": "text/plain", "body": "busy"}
//! ```

use std::time::Duration;

use std::sync::Arc;

use axum::extract::State;
use axum::http::Method;
use bytes::Bytes;
use serde::Deserialize;
use serde_json::{Value, json};

use super::parse;
use crate::faults::{Fault, KINDS, Make, Rule};
use crate::reply::{Answer, JSON_CONTENT_TYPE, Reply};
use crate::shared::Shared;

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
        let make = KINDS
            .iter()
            .find(|(name, _)| *name == self.kind)
            .map(|(_, make)| *make)
            .ok_or_else(|| {
                let names: Vec<&str> = KINDS.iter().map(|(name, _)| *name).collect();
                Reply::bad_request(format!(
                    "unknown fault kind `{}`; one of: {}",
                    self.kind,
                    names.join(", ")
                ))
            })?;
        let mut fault = match make {
            Make::Plain(f) => f(),
            Make::Timed(f) => f(delay()?),
            Make::Respond => {
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
        };
        if self.delay_ms.is_some() && !matches!(make, Make::Timed(_)) {
            return Err(Reply::bad_request(
                "`delay_ms` is for `delay` and `delay_after_processing` faults",
            ));
        }
        if !matches!(make, Make::Respond)
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
pub(super) async fn add(State(shared): State<Arc<Shared>>, body: Bytes) -> Answer {
    let spec: FaultSpec = parse(&body)?;
    let fault = spec.into_fault()?;
    let remaining = fault.times;
    let mut faults = shared.faults();
    faults.push(Rule { fault, remaining });
    let added = faults.last().map(describe).unwrap_or(Value::Null);
    Ok(Reply::ok(json!({ "fault": added, "faults": faults.len() })))
}

/// Every fault, with the uses it has left.
pub(super) async fn list(State(shared): State<Arc<Shared>>) -> Answer {
    let faults = shared.faults();
    Ok(Reply::ok(Value::Array(
        faults.iter().map(describe).collect(),
    )))
}

pub(super) async fn clear(State(shared): State<Arc<Shared>>) -> Answer {
    shared.faults().clear();
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
        for (kind, _) in KINDS {
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
