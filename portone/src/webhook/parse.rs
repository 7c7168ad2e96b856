//! Reading a notification body. Everything here reads bytes from anyone on the internet:
//! no panics, no unbounded echo of the input into errors.

use serde_json::Value;

use super::Notification;
use crate::WebhookError;
use crate::model::PaymentStatus;

/// The longest field value taken, in bytes. PortOne's ids are far shorter; a longer value
/// is not PortOne's, and would only end up in a URL and in logs.
const MAX_FIELD: usize = 1024;
/// The most bytes of a content type an error quotes, escapes included.
const MAX_EXCERPT: usize = 60;

enum Media {
    Json,
    Form,
}

/// The media type of a `Content-Type` value, by its essence (before any `;`), in any case.
fn media(content_type: &str) -> Option<Media> {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/json" | "text/json" => Some(Media::Json),
        "application/x-www-form-urlencoded" => Some(Media::Form),
        e if e.starts_with("application/") && e.ends_with("+json") => Some(Media::Json),
        _ => None,
    }
}

/// The start of `text`, at most [`MAX_EXCERPT`] bytes, with everything but printable ASCII
/// escaped, so that an error message can neither grow with the input nor carry control
/// characters, quotes that end a log field, or look-alike text into a log.
pub(super) fn excerpt(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let piece: String = match c {
            '`' => c.escape_unicode().collect(),
            c if c.is_ascii_graphic() || c == ' ' => c.into(),
            c => c.escape_default().collect(),
        };
        if out.len() + piece.len() > MAX_EXCERPT {
            out.push_str("...");
            break;
        }
        out.push_str(&piece);
    }
    out
}

/// The four fields, each as given (absent, `null` and `""` are `None`).
#[derive(Default)]
struct Fields {
    imp_uid: Option<String>,
    merchant_uid: Option<String>,
    status: Option<String>,
    cancellation_id: Option<String>,
}

impl Fields {
    fn slot(&mut self, key: &str) -> Option<(&'static str, &mut Option<String>)> {
        match key {
            "imp_uid" => Some(("imp_uid", &mut self.imp_uid)),
            "merchant_uid" => Some(("merchant_uid", &mut self.merchant_uid)),
            "status" => Some(("status", &mut self.status)),
            "cancellation_id" => Some(("cancellation_id", &mut self.cancellation_id)),
            _ => None,
        }
    }

    /// Sets a field; a repeated one keeps its last value, as PortOne's own PHP reads forms.
    fn set(&mut self, key: &str, value: Option<String>) -> Result<(), WebhookError> {
        let Some((field, slot)) = self.slot(key) else {
            return Ok(());
        };
        let value = value.filter(|v| !v.is_empty());
        if let Some(v) = &value {
            if v.len() > MAX_FIELD {
                return Err(WebhookError::InvalidField {
                    field,
                    problem: "is longer than 1024 bytes",
                });
            }
            if v.chars().any(char::is_control) {
                return Err(WebhookError::InvalidField {
                    field,
                    problem: "contains a control character",
                });
            }
        }
        *slot = value;
        Ok(())
    }
}

fn json(body: &[u8]) -> Result<Fields, WebhookError> {
    // A byte-order mark is not JSON, but some senders write one.
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    // Into a `Value` first: serde's type errors quote the offending value, syntax errors
    // do not.
    let Value::Object(map) = serde_json::from_slice::<Value>(body).map_err(WebhookError::Json)?
    else {
        return Err(WebhookError::NotAnObject);
    };
    let mut fields = Fields::default();
    for (key, value) in map {
        let text = match value {
            Value::Null => None,
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(_) | Value::Array(_) | Value::Object(_) => match fields.slot(&key) {
                Some((field, _)) => {
                    return Err(WebhookError::InvalidField {
                        field,
                        problem: "is not a string",
                    });
                }
                None => continue,
            },
        };
        fields.set(&key, text)?;
    }
    Ok(fields)
}

fn form(body: &[u8]) -> Result<Fields, WebhookError> {
    let mut fields = Fields::default();
    // Invalid UTF-8 becomes U+FFFD: such an id matches no payment, which is what it is.
    for (key, value) in form_urlencoded::parse(body.trim_ascii()) {
        fields.set(&key, Some(value.into_owned()))?;
    }
    Ok(fields)
}

pub(super) fn notification(content_type: &str, body: &[u8]) -> Result<Notification, WebhookError> {
    let fields = match media(content_type) {
        Some(Media::Json) => json(body)?,
        Some(Media::Form) => form(body)?,
        None => return Err(WebhookError::ContentType(excerpt(content_type))),
    };
    let imp_uid = fields
        .imp_uid
        .ok_or(WebhookError::MissingField("imp_uid"))?;
    Ok(Notification {
        imp_uid,
        merchant_uid: fields.merchant_uid.unwrap_or_default(),
        status: fields
            .status
            .map_or_else(|| PaymentStatus::Other(String::new()), PaymentStatus::from),
        cancellation_id: fields.cancellation_id,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::Error;

    fn parse(content_type: &str, body: &str) -> crate::Result<Notification> {
        Notification::parse(content_type, body.as_bytes())
    }

    fn webhook_error(result: crate::Result<Notification>) -> WebhookError {
        match result {
            Err(Error::Webhook(e)) => e,
            other => panic!("expected a webhook error, got {other:?}"),
        }
    }

    #[test]
    fn both_bodies_portone_sends() -> crate::Result<()> {
        let json = r#"{"imp_uid":"imp_123412341234","merchant_uid":"order-1","status":"paid"}"#;
        let form = "imp_uid=imp_123412341234&merchant_uid=order-1&status=paid";
        let expected = Notification::new("imp_123412341234", "order-1", PaymentStatus::Paid);
        for content_type in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON;charset=UTF-8",
            " application/json ",
            "text/json",
            "application/vnd.portone+json",
        ] {
            assert_eq!(parse(content_type, json)?, expected, "{content_type}");
        }
        for content_type in [
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=UTF-8",
            "APPLICATION/X-WWW-FORM-URLENCODED",
        ] {
            assert_eq!(parse(content_type, form)?, expected, "{content_type}");
        }
        Ok(())
    }

    #[test]
    fn a_cancel_carries_its_cancellation_id_and_unknown_fields_are_ignored() -> crate::Result<()> {
        let n = parse(
            "application/json",
            r#"{"imp_uid":"imp_1","merchant_uid":"m","status":"cancelled",
                "cancellation_id":"a1b2","tier":"A1B","extra":{"x":[1,true]},"flag":false}"#,
        )?;
        assert_eq!(n.status, PaymentStatus::Cancelled);
        assert_eq!(n.cancellation_id.as_deref(), Some("a1b2"));
        let n = parse(
            "application/x-www-form-urlencoded",
            "imp_uid=imp_1&status=partial_refund&x[]=1&merchant_uid=%EC%A3%BC%EB%AC%B8+1",
        )?;
        assert_eq!(n.status, PaymentStatus::Other("partial_refund".into()));
        assert_eq!(n.merchant_uid, "주문 1");
        assert_eq!(n.cancellation_id, None);
        Ok(())
    }

    #[test]
    fn absent_values_are_tolerated_except_imp_uid() -> crate::Result<()> {
        let n = parse("application/json", r#"{"imp_uid":123,"merchant_uid":null}"#)?;
        assert_eq!(n.imp_uid, "123");
        assert_eq!(n.merchant_uid, "");
        assert_eq!(n.status, PaymentStatus::Other(String::new()));
        let n = parse("application/json", "\u{feff}{\"imp_uid\":\"imp_1\"}")?;
        assert_eq!(n.imp_uid, "imp_1");
        for (content_type, body) in [
            (
                "application/json",
                r#"{"merchant_uid":"m","status":"paid"}"#,
            ),
            ("application/json", r#"{"imp_uid":"","status":"paid"}"#),
            ("application/json", r#"{"imp_uid":null}"#),
            (
                "application/x-www-form-urlencoded",
                "merchant_uid=m&status=paid",
            ),
            ("application/x-www-form-urlencoded", "imp_uid=&status=paid"),
            ("application/x-www-form-urlencoded", ""),
        ] {
            let e = webhook_error(parse(content_type, body));
            assert!(matches!(e, WebhookError::MissingField("imp_uid")), "{e:?}");
            assert_eq!(e.to_string(), "`imp_uid` is missing");
        }
        Ok(())
    }

    #[test]
    fn what_is_not_a_notification_is_a_clear_error() {
        let e = webhook_error(parse("text/plain", r#"{"imp_uid":"imp_1"}"#));
        assert_eq!(
            e.to_string(),
            "unsupported content type `text/plain`: expected application/json or \
             application/x-www-form-urlencoded"
        );
        assert!(matches!(
            webhook_error(parse("", "imp_uid=1")),
            WebhookError::ContentType(_)
        ));
        assert!(matches!(
            webhook_error(parse("application/json", "imp_uid=1")),
            WebhookError::Json(_)
        ));
        assert!(matches!(
            webhook_error(parse("application/json", "")),
            WebhookError::Json(_)
        ));
        assert!(matches!(
            webhook_error(parse("application/json", r#"["imp_1"]"#)),
            WebhookError::NotAnObject
        ));
        let e = webhook_error(parse("application/json", r#"{"imp_uid":{"$ne":""}}"#));
        assert_eq!(e.to_string(), "`imp_uid` is not a string");
        let e = webhook_error(parse(
            "application/json",
            r#"{"status":["paid"],"imp_uid":"i"}"#,
        ));
        assert_eq!(e.to_string(), "`status` is not a string");
        let e = webhook_error(parse(
            "application/x-www-form-urlencoded",
            "imp_uid=imp_1%0D%0ASet-Cookie:x",
        ));
        assert_eq!(e.to_string(), "`imp_uid` contains a control character");
        let long = format!("imp_uid={}", "9".repeat(MAX_FIELD + 1));
        let e = webhook_error(parse("application/x-www-form-urlencoded", &long));
        assert_eq!(e.to_string(), "`imp_uid` is longer than 1024 bytes");
        // The outer error says what failed; the details are its source.
        let outer = parse("text/plain", "").expect_err("refused");
        assert_eq!(outer.to_string(), "invalid webhook notification");
        assert!(std::error::Error::source(&outer).is_some());
    }

    #[test]
    fn errors_quote_a_short_escaped_excerpt_only() {
        let hostile = format!("text/html\r\nX-Injected: 1\u{202e}{}", "A".repeat(10_000));
        let message = webhook_error(parse(&hostile, "")).to_string();
        assert!(message.len() < 200, "{} bytes", message.len());
        assert!(
            message.contains(r"text/html\r\nX-Injected: 1\u{202e}"),
            "{message}"
        );
        assert!(!message.contains('\r') && !message.contains('\u{202e}'));
        assert!(message.contains("..."));
        assert_eq!(excerpt("a`b"), r"a\u{60}b");
    }

    /// A notification and the two ways PortOne could send it.
    fn any_notification() -> impl Strategy<Value = Notification> {
        let value = "[^\\p{Cc}]{1,40}";
        (
            value,
            value,
            prop::sample::select(vec!["ready", "paid", "failed", "cancelled", "other"]),
            prop::option::of(value),
        )
            .prop_map(
                |(imp_uid, merchant_uid, status, cancellation_id)| Notification {
                    imp_uid,
                    merchant_uid,
                    status: PaymentStatus::from(status),
                    cancellation_id,
                },
            )
    }

    fn charset() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "",
            "; charset=utf-8",
            ";charset=UTF-8",
            "; Charset=\"utf-8\"",
        ])
        .prop_map(str::to_owned)
    }

    fn random_case(text: &str, flips: &[bool]) -> String {
        text.chars()
            .zip(flips.iter().cycle())
            .map(|(c, &up)| if up { c.to_ascii_uppercase() } else { c })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn any_bytes_under_any_content_type_never_panic(
            content_type in prop_oneof![
                prop::sample::select(vec![
                    "application/json",
                    "application/x-www-form-urlencoded; charset=utf-8",
                    "text/plain",
                    "",
                ]).prop_map(str::to_owned),
                ".{0,60}",
            ],
            body in prop::collection::vec(any::<u8>(), 0..512),
        ) {
            match Notification::parse(&content_type, &body) {
                Ok(n) => prop_assert!(!n.imp_uid.is_empty()),
                Err(Error::Webhook(e)) => prop_assert!(e.to_string().len() < 200),
                Err(other) => prop_assert!(false, "not a webhook error: {other:?}"),
            }
        }

        #[test]
        fn json_like_text_never_panics(body in r#"[{}\[\]":, a-z_0-9\\]{0,120}"#) {
            let result = Notification::parse("application/json", body.as_bytes());
            prop_assert!(result.is_ok() || matches!(result, Err(Error::Webhook(_))));
        }

        #[test]
        fn what_portone_sends_reads_back(
            n in any_notification(),
            form_body in any::<bool>(),
            charset in charset(),
            flips in prop::collection::vec(any::<bool>(), 1..8),
        ) {
            let mut fields = vec![
                ("imp_uid", n.imp_uid.clone()),
                ("merchant_uid", n.merchant_uid.clone()),
                ("status", n.status.as_str().to_owned()),
            ];
            if let Some(id) = &n.cancellation_id {
                fields.push(("cancellation_id", id.clone()));
            }
            let (media, body) = if form_body {
                let mut form = form_urlencoded::Serializer::new(String::new());
                form.extend_pairs(&fields);
                ("application/x-www-form-urlencoded", form.finish())
            } else {
                let map: serde_json::Map<String, Value> = fields
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), Value::String(v.clone())))
                    .collect();
                ("application/json", Value::Object(map).to_string())
            };
            let content_type = format!("{}{charset}", random_case(media, &flips));
            let read = Notification::parse(&content_type, body.as_bytes());
            prop_assert_eq!(read.ok(), Some(n));
        }
    }
}
