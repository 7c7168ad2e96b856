//! `Notification::parse` reads bytes from anyone who can reach a webhook URL. Whatever the
//! content type and body: it never panics, a notification it accepts holds only bounded
//! text without control characters, and an error's whole message stays short and free of
//! control characters, so that nothing sent can forge or flood a log line.

use std::error::Error as _;

use portone::webhook::Notification;

/// The content types the first byte picks from; any other first byte means the content
/// type is the input up to its first NUL byte.
const CONTENT_TYPES: [&str; 8] = [
    "application/json",
    "application/x-www-form-urlencoded",
    "application/json; charset=utf-8",
    "Application/X-WWW-Form-Urlencoded; charset=EUC-KR",
    "text/json",
    "application/vnd.portone+json",
    "text/plain",
    "",
];

fn check_field(name: &str, value: &str) {
    assert!(value.len() <= 1024, "{name} longer than 1024 bytes");
    assert!(
        !value.chars().any(char::is_control),
        "{name} holds a control character"
    );
}

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Some((&first, rest)) = data.split_first() else {
            return;
        };
        let (content_type, body) = match CONTENT_TYPES.get(usize::from(first)) {
            Some(known) => ((*known).to_owned(), rest),
            None => {
                let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
                let body = rest.get(end + 1..).unwrap_or_default();
                (String::from_utf8_lossy(&rest[..end]).into_owned(), body)
            }
        };
        match Notification::parse(&content_type, body) {
            Ok(notification) => {
                assert!(
                    !notification.imp_uid.is_empty(),
                    "an empty imp_uid was accepted"
                );
                check_field("imp_uid", &notification.imp_uid);
                check_field("merchant_uid", &notification.merchant_uid);
                if let Some(id) = &notification.cancellation_id {
                    check_field("cancellation_id", id);
                }
            }
            Err(error) => {
                let mut message = error.to_string();
                let mut source = error.source();
                while let Some(cause) = source {
                    message.push_str(": ");
                    message.push_str(&cause.to_string());
                    source = cause.source();
                }
                assert!(
                    message.len() <= 400,
                    "an error message of {} bytes",
                    message.len()
                );
                assert!(
                    !message.chars().any(char::is_control),
                    "an error message with a control character: {message:?}"
                );
            }
        }
    });
}
