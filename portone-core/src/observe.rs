//! What a call tells the people who run it: the names its span carries (OpenTelemetry's
//! HTTP client conventions) and, with the `metrics` feature, its counters and histograms.

use std::fmt;

use reqwest::Method;

use crate::error::Error;

/// How a call ended, as operations count it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// PortOne answered and the call succeeded (a charge: paid).
    Ok,
    /// PortOne refused it (`code != 0`, or an error status with its envelope).
    Refused,
    /// The card company refused a charge.
    Declined,
    /// A charge answered with a payment that is not settled (the PG has not decided).
    Unsettled,
    /// PortOne may have acted, and the answer does not say (a lost answer, a `5xx` on a
    /// call that is not retried).
    Unknown,
    /// No answer from PortOne: connection, timeout, a proxy's page.
    Transport,
    /// Anything else: no token, a request that could not be built, an answer that did not
    /// decode.
    Error,
}

impl Outcome {
    pub(crate) fn of(error: Option<&Error>) -> Self {
        let Some(error) = error else {
            return Outcome::Ok;
        };
        match error {
            Error::Declined(_) => Outcome::Declined,
            Error::Unsettled(_) => Outcome::Unsettled,
            e if e.is_outcome_unknown() => Outcome::Unknown,
            Error::Api(_) => Outcome::Refused,
            Error::Transport { .. } | Error::Timeout { .. } | Error::UnexpectedResponse { .. } => {
                Outcome::Transport
            }
            _ => Outcome::Error,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Refused => "refused",
            Outcome::Declined => "declined",
            Outcome::Unsettled => "unsettled",
            Outcome::Unknown => "outcome_unknown",
            Outcome::Transport => "transport",
            Outcome::Error => "error",
        }
    }
}

/// The requests a call sent again: retries and the re-send after a refused token, and
/// whether the retry budget refused one.
#[derive(Debug, Clone, Copy, Default)]
#[cfg_attr(not(feature = "metrics"), allow(dead_code))]
pub(crate) struct Resends {
    pub(crate) sent: u32,
    pub(crate) refused: bool,
}

/// A route template as OpenTelemetry writes one (`/payments/{imp_uid}`), from the form the
/// runtime keeps (`/payments/<imp_uid>`, `<payment_status?>` for an optional last segment),
/// written out only when a subscriber reads it.
pub(crate) struct Template(pub(crate) &'static str);

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(open) = rest.find('<') {
            let Some(close) = rest[open..].find('>') else {
                break;
            };
            f.write_str(&rest[..open])?;
            let name = rest[open + 1..open + close].trim_end_matches('?');
            write!(f, "{{{name}}}")?;
            rest = &rest[open + close + 1..];
        }
        f.write_str(rest)
    }
}

/// The method as OpenTelemetry names it: the standard ones, `_OTHER` for the rest.
pub(crate) fn method_name(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "_OTHER",
    }
}

#[cfg(feature = "metrics")]
pub(crate) use recorded::*;

#[cfg(not(feature = "metrics"))]
pub(crate) use silent::*;

/// Without the `metrics` feature nothing is counted, and these compile to nothing.
#[cfg(not(feature = "metrics"))]
mod silent {
    use std::time::Duration;

    use reqwest::Method;

    use super::{Outcome, Resends};

    pub(crate) const ON: bool = false;

    #[inline(always)]
    pub(crate) fn call(_: &Method, _: &'static str, _: Outcome, _: Option<Duration>, _: Resends) {}

    #[inline(always)]
    pub(crate) fn token(_: bool) {}

    #[inline(always)]
    pub(crate) fn budget(_: u32) {}
}

#[cfg(feature = "metrics")]
mod recorded {
    use std::time::Duration;

    use reqwest::Method;

    use super::{Outcome, Resends, Template, method_name};
    use crate::metrics::{
        BUDGET_AVAILABLE, REQUEST_DURATION, REQUESTS, RETRIES, RETRIES_REFUSED, TOKEN_REQUESTS,
    };

    pub(crate) const ON: bool = true;

    pub(crate) fn call(
        method: &Method,
        route: &'static str,
        outcome: Outcome,
        elapsed: Option<Duration>,
        resends: Resends,
    ) {
        let method = method_name(method);
        let route = Template(route).to_string();
        if resends.sent > 0 {
            ::metrics::counter!(RETRIES, "method" => method, "route" => route.clone())
                .increment(u64::from(resends.sent));
        }
        if resends.refused {
            ::metrics::counter!(RETRIES_REFUSED, "method" => method, "route" => route.clone())
                .increment(1);
        }
        ::metrics::counter!(
            REQUESTS,
            "method" => method,
            "route" => route.clone(),
            "outcome" => outcome.as_str(),
        )
        .increment(1);
        if let Some(elapsed) = elapsed {
            ::metrics::histogram!(
                REQUEST_DURATION,
                "method" => method,
                "route" => route,
            )
            .record(elapsed.as_secs_f64());
        }
    }

    pub(crate) fn token(ok: bool) {
        let outcome = if ok { "ok" } else { "error" };
        ::metrics::counter!(TOKEN_REQUESTS, "outcome" => outcome).increment(1);
    }

    pub(crate) fn budget(available: u32) {
        ::metrics::gauge!(BUDGET_AVAILABLE).set(f64::from(available));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_written_as_opentelemetry_does() {
        let cases = [
            ("/payments/<imp_uid>", "/payments/{imp_uid}"),
            (
                "/payments/findAll/<merchant_uid>/<payment_status?>",
                "/payments/findAll/{merchant_uid}/{payment_status}",
            ),
            ("/users/getToken", "/users/getToken"),
            ("/odd/<unclosed", "/odd/<unclosed"),
        ];
        for (kept, written) in cases {
            assert_eq!(Template(kept).to_string(), written);
        }
        assert_eq!(method_name(&Method::GET), "GET");
        assert_eq!(
            method_name(&Method::from_bytes(b"PURGE").unwrap_or_default()),
            "_OTHER"
        );
    }
}
