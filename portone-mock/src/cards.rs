//! Card numbers with a known outcome. Separators are optional; the server reads digits.
//!
//! Any other number of 13–19 digits that passes the Luhn check is approved; one that does
//! not is refused as PortOne refuses it, before any PG is asked and before its expiry is
//! looked at (`code` -1, `유효하지않은 카드번호를 입력하셨습니다.`; no payment is recorded).
//! The numbers below are taken by their last four digits, Luhn check or not, so that these
//! documented numbers keep working. Card data is never stored: responses show the number
//! masked (`411111******1111`). The `expiry` sent with a card must be `YYYY-MM` and not in
//! the past (by the mock clock, in Korea), or the PG refuses the card like
//! [`INVALID_NUMBER`].
//!
//! PortOne answers two kinds of "no", and these cards produce both:
//!
//! - **The card company declines** ([`INSUFFICIENT_FUNDS`], [`LIMIT_EXCEEDED`],
//!   [`LOST_OR_STOLEN`]): a decision. The billing key is issued; every charge with it
//!   (`onetime`, `again`, a schedule's run or `retry`, KCP Quick Pay `autopay`) answers
//!   HTTP 200, `code` 0, with the Payment whose `status` is `failed`, whose `fail_reason`
//!   is the PG's words (`잔액부족`, `한도초과`, `분실/도난 카드`) and whose `failed_at` is set.
//!   The payment is recorded: lookups find it, failed. A schedule that runs ends
//!   `executed` with `payment_status` `failed` and the same `fail_reason`.
//! - **No decision** ([`INVALID_NUMBER`], a malformed or past `expiry`, [`PG_UNREACHABLE`]):
//!   HTTP 200, `code` -1, `response` null, with PortOne's message (`카드정보 인증 및 빌키
//!   발급에 실패하였습니다. [F112]...` for a billing key, `카드 승인에 실패하였습니다. ...` for a
//!   charge). A charge that got this far reached a PG and is recorded as `failed`, so a
//!   caller that looks it up by `merchant_uid` sees that no money moved.

/// Approved everywhere.
pub const APPROVED: &str = "4111-1111-1111-1111";
/// A number the PG does not accept (any number whose digits end in `0002`): no billing
/// key (`code` -1, PortOne's `[F112]유효하지않은 카드번호를 입력하셨습니다.` message), and a
/// `onetime` payment answers `code` -1 (recorded `failed`).
pub const INVALID_NUMBER: &str = "4000-0000-0000-0002";
/// The same card as [`INVALID_NUMBER`], under its former name: it is bad card data
/// (no decision, `code` -1), not a decline; for declines see [`INSUFFICIENT_FUNDS`].
pub const DECLINED: &str = INVALID_NUMBER;
/// Issues a billing key; every payment with it is declined by the issuer for lack of
/// funds (digits ending in `0051`): `code` 0, `status` `failed`, `fail_reason` `잔액부족`.
pub const INSUFFICIENT_FUNDS: &str = "5555-0000-0000-0051";
/// Issues a billing key; every payment with it is declined by the issuer over the
/// card's limit (digits ending in `0061`): `code` 0, `status` `failed`, `fail_reason`
/// `한도초과`.
pub const LIMIT_EXCEEDED: &str = "5555-0000-0000-0061";
/// Issues a billing key; every payment with it is declined because the card was
/// reported lost or stolen (digits ending in `0043`): `code` 0, `status` `failed`,
/// `fail_reason` `분실/도난 카드`.
pub const LOST_OR_STOLEN: &str = "4000-0000-0000-0043";
/// Issues a billing key, but the PG never answers a payment with it (digits ending in
/// `0504`): no decision, `code` -1 with `response` null and a timeout message; the
/// attempt is recorded `failed`. For a PortOne that fails outright (HTTP 500), inject
/// [`Fault::internal_error`](crate::Fault::internal_error) instead.
pub const PG_UNREACHABLE: &str = "4000-0000-0000-0504";
