//! The error of the test helpers on [`MockServer`](crate::MockServer).

/// Why a test helper such as [`MockServer::try_checkout`](crate::MockServer::try_checkout)
/// could not do what it was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MockError {
    /// The tier is unknown, malformed, or the account is not an agency.
    #[error("tier refused: {0}")]
    Tier(String),
    /// The amount is not a non-negative number.
    #[error("invalid amount `{0}`")]
    InvalidAmount(String),
    /// No payment has this `imp_uid`.
    #[error("no payment `{0}`")]
    UnknownPayment(String),
    /// The payment is not a virtual account waiting for its deposit.
    #[error("cannot deposit: {0}")]
    NotReadyVbank(String),
    /// PortOne refuses the cancel (already cancelled, more than the balance, not paid), in
    /// its words.
    #[error("cancel refused: {0}")]
    CancelRefused(String),
    /// No webhook delivery has this id.
    #[error("no webhook delivery {0}")]
    UnknownWebhook(u64),
    /// The card number given to [`Checkout::card`](crate::Checkout::card) is one the PG
    /// cannot use, in PortOne's words (the number itself is not repeated).
    #[error("unusable card: {0}")]
    InvalidCard(String),
    /// The change was made, but the server's state file could not be written (see
    /// [`MockServerBuilder::state_file`](crate::MockServerBuilder::state_file)).
    #[error("not written to the state file: {0}")]
    NotSaved(String),
}

/// An error and its causes, on one line.
pub(crate) fn explain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
