//! [`Notification`] as an axum extractor (feature `axum`).

use std::fmt;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::Notification;

/// Reads the body (within axum's body limit, 2 MB unless `DefaultBodyLimit` says
/// otherwise) and parses it with [`Notification::parse`] under the request's
/// `Content-Type`.
///
/// ```no_run
/// use axum::http::StatusCode;
/// use portone::webhook::Notification;
///
/// async fn webhook(notification: Notification) -> StatusCode {
///     // Verify it before acting on it: see `portone::verify`.
///     # let _ = notification;
///     StatusCode::OK
/// }
/// let app: axum::Router = axum::Router::new().route("/portone", axum::routing::post(webhook));
/// # let _ = app;
/// ```
impl<S: Send + Sync> FromRequest<S> for Notification {
    type Rejection = NotificationRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .unwrap_or_default();
        let body = Bytes::from_request(request, state)
            .await
            .map_err(NotificationRejection::Body)?;
        Notification::parse(&content_type, &body).map_err(NotificationRejection::Invalid)
    }
}

/// Why the [`Notification`] extractor refused a request. As a response: `400` with a
/// short text for a body that is not a notification, axum's own answer (such as `413`)
/// when the body could not be read.
#[derive(Debug)]
#[non_exhaustive]
pub enum NotificationRejection {
    /// The body could not be read.
    Body(BytesRejection),
    /// The body is not a notification: [`crate::Error::Webhook`].
    Invalid(crate::Error),
}

impl fmt::Display for NotificationRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotificationRejection::Body(e) => write!(f, "could not read the body: {e}"),
            NotificationRejection::Invalid(e) => match std::error::Error::source(e) {
                Some(why) => write!(f, "{e}: {why}"),
                None => write!(f, "{e}"),
            },
        }
    }
}

impl std::error::Error for NotificationRejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            NotificationRejection::Body(e) => Some(e),
            NotificationRejection::Invalid(e) => Some(e),
        }
    }
}

impl IntoResponse for NotificationRejection {
    fn into_response(self) -> Response {
        match self {
            NotificationRejection::Body(e) => e.into_response(),
            NotificationRejection::Invalid(_) => {
                (StatusCode::BAD_REQUEST, self.to_string()).into_response()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::extract::{DefaultBodyLimit, FromRequest, Request};
    use axum::http::StatusCode;
    use axum::response::IntoResponse;

    use super::{Notification, NotificationRejection};
    use crate::model::PaymentStatus;

    fn request(content_type: Option<&str>, body: &'static str) -> Request {
        let mut builder = Request::builder().method("POST").uri("/portone");
        if let Some(content_type) = content_type {
            builder = builder.header("content-type", content_type);
        }
        builder
            .body(Body::from(body))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[tokio::test]
    async fn extracts_both_bodies() {
        let json = request(
            Some("application/json"),
            r#"{"imp_uid":"imp_1","merchant_uid":"m","status":"paid"}"#,
        );
        let n = Notification::from_request(json, &()).await;
        assert_eq!(
            n.ok(),
            Some(Notification::new("imp_1", "m", PaymentStatus::Paid))
        );
        let form = request(
            Some("application/x-www-form-urlencoded; charset=UTF-8"),
            "imp_uid=imp_2&merchant_uid=m&status=cancelled&cancellation_id=c",
        );
        let n = Notification::from_request(form, &()).await;
        assert_eq!(n.ok().and_then(|n| n.cancellation_id), Some("c".into()));
    }

    #[tokio::test]
    async fn refuses_with_400_and_a_short_reason() {
        for (content_type, body, reason) in [
            (None, "imp_uid=1", "unsupported content type ``"),
            (Some("application/json"), "{}", "`imp_uid` is missing"),
            (Some("application/json"), "{", "the body is not valid json"),
        ] {
            let rejection = Notification::from_request(request(content_type, body), &())
                .await
                .expect_err("refused");
            assert!(matches!(rejection, NotificationRejection::Invalid(_)));
            assert!(rejection.to_string().contains(reason), "{rejection}");
            let response = rejection.into_response();
            assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        }
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_axums_413() {
        use tower::ServiceExt;

        let app = axum::Router::new()
            .route(
                "/portone",
                axum::routing::post(|n: Notification| async move { n.imp_uid }),
            )
            .layer(DefaultBodyLimit::max(16));
        let request = request(
            Some("application/json"),
            r#"{"imp_uid":"imp_123456789012"}"#,
        );
        let response = app.oneshot(request).await.unwrap_or_else(|e| match e {});
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }
}
