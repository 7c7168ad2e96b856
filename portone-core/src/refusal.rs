//! PortOne's own refusals: the `{code, message}` of its envelope, and the kinds of refusal a
//! program branches on, read from the HTTP status, the `code` and PortOne's recorded words.

use std::fmt;

use reqwest::StatusCode;

/// PortOne's own refusal: the `{code, message}` of its envelope and the HTTP status.
///
/// `Display` shows PortOne's `code` and `message`; [`kind`](Self::kind) says which of the
/// refusals a program branches on it is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status; PortOne also answers refusals with 200.
    pub status: StatusCode,
    /// PortOne's `code`: never 0 here, except for an error status with a success code.
    pub code: i64,
    /// PortOne's `message`, usually Korean.
    pub message: Option<String>,
    /// What the answer carried beside `code`, `message` and `response`, such as the PG's own
    /// `error: {code, message}` that KCP adds when a quick-pay FIDO release fails.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Whether PortOne may have done what was asked: a `5xx` on a call the client does not
    /// retry (PortOne's `PG사 통신 실패` is exactly the case where the PG may have acted).
    pub(crate) outcome_unknown: bool,
}

impl ApiError {
    /// A refusal with nothing beside `code` and `message`.
    #[must_use]
    pub fn new(status: StatusCode, code: i64, message: Option<String>) -> Self {
        Self {
            status,
            code,
            message,
            extra: serde_json::Map::new(),
            outcome_unknown: false,
        }
    }

    /// A field PortOne sent beside the envelope's own, such as `error`.
    #[must_use]
    pub fn extra(&self, name: &str) -> Option<&serde_json::Value> {
        self.extra.get(name)
    }

    /// Which refusal this is, for the ones a program branches on: see [`Refusal`].
    #[must_use]
    pub fn kind(&self) -> Refusal {
        Refusal::of(self.status, self.code, self.message.as_deref())
    }

    /// Whether PortOne may have acted although it answered with an error: a `5xx` on a call
    /// the client does not retry. See [`Error::is_outcome_unknown`](crate::Error::is_outcome_unknown).
    #[must_use]
    pub fn is_outcome_unknown(&self) -> bool {
        self.outcome_unknown
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "code {} with status {}", self.code, self.status)?;
        match &self.message {
            Some(message) => write!(f, ": {message}"),
            None => f.write_str(" (no message)"),
        }
    }
}

impl std::error::Error for ApiError {}

/// The refusals a program branches on, read from PortOne's answer.
///
/// PortOne's V1 API has no error codes beyond `code: 1` and `-1`: the kind is read from the
/// HTTP status and from PortOne's messages as its users recorded them (the phrases below
/// cite where). The set is open: a refusal nobody recorded yet is [`Refusal::Other`], and
/// the raw `code` and `message` stay on [`ApiError`] for whatever the kinds do not cover.
///
/// ```
/// use portone_core::{ApiError, Refusal, StatusCode};
///
/// let refusal = ApiError::new(StatusCode::OK, 1, Some("이미 전액취소된 주문입니다.".into()));
/// assert_eq!(refusal.kind(), Refusal::AlreadyCancelled);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Refusal {
    /// No such record: HTTP 404, or PortOne's "does not exist" (`취소할 결제건이 존재하지
    /// 않습니다.` for a cancel, `인증결과가 존재하지 않습니다.` for a certification).
    NotFound,
    /// No such billing key or customer (`등록되지 않은 구매자입니다.`,
    /// `등록된 고객정보가 없습니다.`, `요청하신 customer_uid(..)로 등록된 정보를 찾을 수 없습니다.`).
    UnknownBillingKey,
    /// The `merchant_uid` is already prepared (`POST /payments/prepare`:
    /// `결제정보 사전등록에 실패하였습니다(이미 등록된 merchant_uid입니다).`).
    AlreadyPrepared,
    /// The `merchant_uid` is already paid: PortOne refuses a second payment of it.
    AlreadyPaid,
    /// The payment is already cancelled (`이미 전액취소된 주문입니다.`).
    AlreadyCancelled,
    /// A payment is already scheduled under the `merchant_uid` (`이미 예약된 merchant_uid`).
    AlreadyScheduled,
    /// A cancel's `checksum` is not the refundable balance: the balance moved since the
    /// caller read it (a concurrent refund, or a retried one that happened).
    ChecksumMismatch,
    /// Card data PortOne refused before asking a card company: a card number that is not one
    /// (`유효하지않은 카드번호를 입력하셨습니다.`), or card data that failed authentication
    /// (`카드정보 인증에 실패하였습니다.`, `카드정보 인증 및 빌키 발급에 실패하였습니다.`).
    InvalidCard,
    /// The credentials or the token were refused (HTTP 401).
    Unauthorized,
    /// A parameter is missing or malformed (HTTP 400).
    InvalidParameter,
    /// Any other refusal: read [`ApiError::code`] and [`ApiError::message`].
    Other,
}

/// PortOne's phrases and the refusal each names, first match wins. Matched without regard
/// to spaces, which PortOne's messages have carried in varying places
/// (`merchant_uid입니다` and `merchant_uid 입니다`).
///
/// Sources: NOTES of the project on the live server's answers (recorded by client test
/// suites, 2017 to 2021), PortOne's docs, and merchants' code that branches on these
/// messages (`이미 전액취소된 주문입니다.`, `결제정보 사전등록에 실패하였습니다(이미 등록된
/// merchant_uid입니다).` with `code: 1`).
const PHRASES: [(&str, Refusal); 16] = [
    // Before "찾을 수 없": an unknown customer_uid is a billing key, not any record.
    ("등록되지않은구매자", Refusal::UnknownBillingKey),
    ("등록된고객정보가없", Refusal::UnknownBillingKey),
    ("customer_uid(", Refusal::UnknownBillingKey),
    // Also before it: a PG module missing from the account's settings
    // (`비인증결제모듈 사용정보를 찾을 수 없습니다.`) is no missing record.
    ("사용정보를찾을수없", Refusal::Other),
    ("존재하지않", Refusal::NotFound),
    ("찾을수없", Refusal::NotFound),
    ("이미등록된merchant_uid", Refusal::AlreadyPrepared),
    ("이미예약된merchant_uid", Refusal::AlreadyScheduled),
    ("이미결제", Refusal::AlreadyPaid),
    ("이미전액취소", Refusal::AlreadyCancelled),
    ("이미취소", Refusal::AlreadyCancelled),
    ("checksum", Refusal::ChecksumMismatch),
    ("카드번호", Refusal::InvalidCard),
    ("카드정보인증", Refusal::InvalidCard),
    // A missing parameter, which PortOne also answers with HTTP 200 (`imp_key, imp_secret
    // 파라메터가 누락되었습니다.`; a cancel naming no payment, `..지정해주셔야합니다.`).
    ("파라메터가누락", Refusal::InvalidParameter),
    ("지정해주셔야합니다", Refusal::InvalidParameter),
];

impl Refusal {
    fn of(status: StatusCode, code: i64, message: Option<&str>) -> Self {
        if status == StatusCode::UNAUTHORIZED {
            return Refusal::Unauthorized;
        }
        if code == 0 {
            return Refusal::Other;
        }
        let compact: String = message
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let by_words = PHRASES
            .iter()
            .find(|(phrase, _)| compact.contains(phrase))
            .map(|&(_, kind)| kind);
        match (by_words, status) {
            // A server error in "not found" words is still a server error.
            (Some(kind), status) if !status.is_server_error() => kind,
            (_, StatusCode::NOT_FOUND) => Refusal::NotFound,
            (_, StatusCode::BAD_REQUEST) => Refusal::InvalidParameter,
            _ => Refusal::Other,
        }
    }

    /// Whether the refusal says the record asked for does not exist.
    #[must_use]
    pub fn is_not_found(self) -> bool {
        matches!(self, Refusal::NotFound | Refusal::UnknownBillingKey)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(status: StatusCode, code: i64, message: &str) -> Refusal {
        ApiError::new(status, code, Some(message.to_owned())).kind()
    }

    #[test]
    fn each_recorded_refusal_has_its_kind() {
        let ok = StatusCode::OK;
        for (message, expected) in [
            ("취소할 결제건이 존재하지 않습니다.", Refusal::NotFound),
            ("존재하지 않는 결제정보입니다.", Refusal::NotFound),
            ("등록되지 않은 구매자입니다.", Refusal::UnknownBillingKey),
            ("등록된 고객정보가 없습니다.", Refusal::UnknownBillingKey),
            (
                "요청하신 customer_uid(c-1)로 등록된 정보를 찾을 수 없습니다.",
                Refusal::UnknownBillingKey,
            ),
            (
                "결제정보 사전등록에 실패하였습니다(이미 등록된 merchant_uid입니다).",
                Refusal::AlreadyPrepared,
            ),
            ("이미 등록된 merchant_uid 입니다.", Refusal::AlreadyPrepared),
            (
                "이미 결제가 완료된 merchant_uid 입니다.",
                Refusal::AlreadyPaid,
            ),
            ("이미 전액취소된 주문입니다.", Refusal::AlreadyCancelled),
            (
                "이미 예약된 merchant_uid 입니다: m-1",
                Refusal::AlreadyScheduled,
            ),
            (
                "요청하신 checksum(1000)이 취소가능잔액(500)과 일치하지 않습니다.",
                Refusal::ChecksumMismatch,
            ),
            (
                "카드정보 인증에 실패하였습니다. [F113]유효하지않은 카드번호를 입력하셨습니다.",
                Refusal::InvalidCard,
            ),
            (
                "카드정보 인증 및 빌키 발급에 실패하였습니다.",
                Refusal::InvalidCard,
            ),
            (
                "비인증결제모듈 사용정보를 찾을 수 없습니다.",
                Refusal::Other,
            ),
            (
                "imp_key, imp_secret 파라메터가 누락되었습니다.",
                Refusal::InvalidParameter,
            ),
            (
                "취소할 결제건의 imp_uid 또는 merchant_uid 를 지정해주셔야합니다.",
                Refusal::InvalidParameter,
            ),
            ("anything else", Refusal::Other),
        ] {
            assert_eq!(kind(ok, 1, message), expected, "{message}");
        }
    }

    #[test]
    fn the_status_decides_where_the_words_do_not() {
        assert_eq!(
            kind(StatusCode::NOT_FOUND, -1, "인증결과가 존재하지 않습니다."),
            Refusal::NotFound
        );
        assert_eq!(kind(StatusCode::NOT_FOUND, -1, "?"), Refusal::NotFound);
        assert_eq!(
            kind(StatusCode::UNAUTHORIZED, -1, "Unauthorized"),
            Refusal::Unauthorized
        );
        assert_eq!(
            kind(
                StatusCode::BAD_REQUEST,
                -1,
                "amount 파라메터가 누락되었습니다."
            ),
            Refusal::InvalidParameter
        );
        // A server error is not a refusal of the record, whatever its words.
        assert_eq!(
            kind(StatusCode::INTERNAL_SERVER_ERROR, -1, "존재하지 않는 PG"),
            Refusal::Other
        );
        assert!(Refusal::UnknownBillingKey.is_not_found());
        assert!(!Refusal::AlreadyPaid.is_not_found());
    }

    #[test]
    fn display_shows_portones_code_and_message() {
        let refusal = ApiError::new(
            StatusCode::OK,
            1,
            Some("이미 전액취소된 주문입니다.".into()),
        );
        assert_eq!(
            refusal.to_string(),
            "code 1 with status 200 OK: 이미 전액취소된 주문입니다."
        );
        let bare = ApiError::new(StatusCode::BAD_GATEWAY, -1, None);
        assert_eq!(
            bare.to_string(),
            "code -1 with status 502 Bad Gateway (no message)"
        );
    }
}
