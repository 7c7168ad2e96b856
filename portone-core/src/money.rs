//! What a call does with money: the rule that decides whether it may be sent twice and what
//! its answer must say to be a success.

/// What a call does with money. It decides two things: whether the client may send the call
/// again after it may have reached PortOne, and which answers are a success.
///
/// PortOne's V1 API has no idempotency key, so a call that moves money is never sent twice:
/// after a lost answer the caller looks the payment up instead
/// ([`Error::is_outcome_unknown`](crate::Error::is_outcome_unknown)).
///
/// `#[portone::api]` knows the rule of every route PortOne documents (and of the undocumented
/// money routes older SDKs call), and applies it whatever the declaration says; a request
/// built by hand with [`Request::builder`](crate::Request::builder) on such a route gets the
/// same rule when it is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Money {
    /// Moves no money (lookups, settings, receipts): sent again after a lost answer when the
    /// call is idempotent.
    #[default]
    Untouched,
    /// Moves money or changes a schedule (a refund, a schedule, a revoked virtual account):
    /// never sent twice; a lost answer is an unknown outcome.
    Moves,
    /// Charges now (a billing-key or card payment): never sent twice, and `Ok` only when the
    /// answer is a `paid` payment. A `failed` one is [`Error::Declined`](crate::Error::Declined),
    /// anything else [`Error::Unsettled`](crate::Error::Unsettled).
    Charges,
    /// Issues something the buyer pays later (a virtual account, a convenience-store payment):
    /// never sent twice, and `Ok` only when the answer is a `ready` payment. A `failed` one is
    /// [`Error::Declined`](crate::Error::Declined), anything else
    /// [`Error::Unsettled`](crate::Error::Unsettled).
    Issues,
}

impl Money {
    /// Whether the call may move money, so that it is never sent twice.
    #[must_use]
    pub const fn moves_money(self) -> bool {
        !matches!(self, Money::Untouched)
    }

    /// The payment `status` that makes the answer a success, for a call that creates a
    /// payment: `paid` for [`Money::Charges`], `ready` for [`Money::Issues`].
    #[must_use]
    pub const fn settles_as(self) -> Option<&'static str> {
        match self {
            Money::Charges => Some("paid"),
            Money::Issues => Some("ready"),
            Money::Untouched | Money::Moves => None,
        }
    }
}
