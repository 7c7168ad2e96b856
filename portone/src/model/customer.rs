//! Billing keys (`/subscribe/customers`): plain and super (smart routing) billing keys.

use serde::{Deserialize, Deserializer, Serialize};

use super::de::{absent, lenient, list};
use super::enums::open_enum;
use super::setters::setters;
use super::time;
use super::{CardType, PgProvider, Sensitive, UnixTime};

/// A billing key: a card registered for payments without the card data
/// (spec: `CustomerAnnotation`).
///
/// Payloads from 2017 carry only `card_name`, `customer_*`, `inserted` and `updated`, so
/// the PG fields are optional here although the spec calls them required.
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct BillingKey {
    /// The merchant's id of this billing key.
    #[serde_with(skip_apply)]
    pub customer_uid: String,
    /// PG the key is registered with.
    pub pg_provider: Option<PgProvider>,
    /// PG merchant id (MID).
    pub pg_id: Option<String>,
    /// Whether this is a test billing key. Absent before 2026: `false`.
    pub sandbox: bool,
    /// The merchant's buyer id.
    pub customer_id: Option<String>,
    /// Card name; `None` for easy-pay keys.
    pub card_name: Option<String>,
    /// Card company code.
    pub card_code: Option<String>,
    /// Card issuer code.
    pub card_issuer_code: Option<String>,
    /// Card issuer name.
    pub card_issuer_name: Option<String>,
    /// Card publisher code.
    pub card_publisher_code: Option<String>,
    /// Card publisher name.
    pub card_publisher_name: Option<String>,
    /// Masked card number.
    pub card_number: Option<String>,
    /// Credit or check card; `None` where the PG does not say.
    pub card_type: Option<CardType>,
    /// Customer's name.
    pub customer_name: Option<String>,
    /// Customer's phone number.
    pub customer_tel: Option<String>,
    /// Customer's email address.
    pub customer_email: Option<String>,
    /// Customer's address.
    pub customer_addr: Option<String>,
    /// Customer's postcode.
    pub customer_postcode: Option<String>,
    /// When the key was issued.
    pub inserted: UnixTime,
    /// When the key was last updated; equal to `inserted` for a new key.
    pub updated: UnixTime,
}

/// A super billing key: one key issued on several channels of a smart routing group
/// (spec: `SuperBillingKeyAnnotation`).
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SuperBillingKey {
    /// The merchant's id of this billing key.
    #[serde_with(skip_apply)]
    pub customer_uid: String,
    /// Smart routing group id (`channelGroupId`).
    #[serde(rename = "channelGroupId")]
    #[serde_with(skip_apply)]
    pub channel_group_id: String,
    /// The merchant's buyer id.
    pub customer_id: Option<String>,
    /// Customer's name.
    pub customer_name: Option<String>,
    /// Customer's phone number.
    pub customer_tel: Option<String>,
    /// Customer's email address.
    pub customer_email: Option<String>,
    /// Customer's address.
    pub customer_addr: Option<String>,
    /// Customer's postcode.
    pub customer_postcode: Option<String>,
    /// Channels the key was issued on (`succeededChannels`).
    #[serde(rename = "succeededChannels", default, deserialize_with = "list")]
    #[serde_with(skip_apply)]
    pub succeeded_channels: Vec<SucceededChannel>,
    /// Channels that refused it (`failedChannels`).
    #[serde(rename = "failedChannels", default, deserialize_with = "list")]
    #[serde_with(skip_apply)]
    pub failed_channels: Vec<FailedChannel>,
}

/// A channel a super billing key was issued on (spec: `SucceededChannelAnnotation`).
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SucceededChannel {
    /// PG of the channel.
    pub pg_provider: PgProvider,
    /// PG merchant id (MID).
    pub pg_id: String,
    /// Card name.
    pub card_name: Option<String>,
    /// Card company code.
    pub card_code: Option<String>,
    /// Card issuer code.
    pub card_issuer_code: Option<String>,
    /// Card issuer name.
    pub card_issuer_name: Option<String>,
    /// Card publisher code.
    pub card_publisher_code: Option<String>,
    /// Card publisher name.
    pub card_publisher_name: Option<String>,
    /// Masked card number.
    pub card_number: Option<String>,
    /// Credit or check card.
    pub card_type: Option<CardType>,
    /// When the key was issued on this channel.
    pub inserted: UnixTime,
    /// When it was last updated. The spec's required list calls it `update`; both
    /// spellings are read.
    #[serde(alias = "update", serialize_with = "time::zero_as_none::serialize")]
    pub updated: Option<UnixTime>,
}

/// A channel that refused a super billing key (spec: `FailedChannelAnnotation`).
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct FailedChannel {
    /// What failed (`type` on the wire).
    #[serde(rename = "type")]
    pub kind: FailureType,
    /// The failure message.
    pub message: String,
    /// PG of the channel.
    pub pg_provider: PgProvider,
    /// PG merchant id (MID).
    pub pg_id: String,
}

open_enum! {
    /// Why a channel refused a super billing key (`type` of a failed channel).
    pub enum FailureType {
        /// The request was invalid (`INVALID_REQUEST`).
        InvalidRequest = "INVALID_REQUEST",
        /// The PG refused (`PG_PROVIDER`).
        PgProvider = "PG_PROVIDER",
        /// PortOne could not store it (`DB_FAILED`).
        DbFailed = "DB_FAILED",
    }
}

/// The answer of `GET`, `POST` and `DELETE /subscribe/customers/{customer_uid}`: a plain
/// billing key (spec: `CustomerResponse`) or, for keys issued with `channel_group_id`, a
/// super billing key (spec: `SuperBillingKeyResponse`). A body with `channelGroupId` is
/// read as the latter.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum AnyBillingKey {
    /// A billing key on one channel.
    Single(BillingKey),
    /// A super billing key on a smart routing group.
    Super(SuperBillingKey),
}

impl AnyBillingKey {
    /// The merchant's id of the billing key, whichever kind it is.
    pub fn customer_uid(&self) -> &str {
        match self {
            Self::Single(key) => &key.customer_uid,
            Self::Super(key) => &key.customer_uid,
        }
    }
}

impl<'de> Deserialize<'de> for AnyBillingKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Billing keys hold no amounts, so buffering into a `Value` loses nothing.
        let value = serde_json::Value::deserialize(deserializer)?;
        let is_super = value
            .get("channelGroupId")
            .is_some_and(|group| !group.is_null());
        let decoded = if is_super {
            serde_json::from_value(value).map(Self::Super)
        } else {
            serde_json::from_value(value).map(Self::Single)
        };
        decoded.map_err(serde::de::Error::custom)
    }
}

/// Body of `POST /subscribe/customers/{customer_uid}` (operation `customer_save`): issues
/// or replaces a billing key from card data. Card data is redacted in `Debug`.
///
/// ```
/// use portone::model::IssueBillingKey;
///
/// let issue = IssueBillingKey::new("channel-key-1", "4092-0230-1234-5678", "2029-12")
///     .birth("880101")
///     .pwd_2digit("12");
/// let debug = format!("{issue:?}");
/// assert!(!debug.contains("4092") && !debug.contains("880101"));
/// ```
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueBillingKey {
    channel_key: String,
    card_number: Sensitive<String>,
    expiry: Sensitive<String>,
    #[serde(flatten)]
    optional: IssueBillingKeyOptional,
}

/// The optional fields of [`IssueBillingKey`], unset (and so not sent) until a setter
/// sets them.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
struct IssueBillingKeyOptional {
    pg: Option<String>,
    customer_id: Option<String>,
    birth: Option<Sensitive<String>>,
    pwd_2digit: Option<Sensitive<String>>,
    cvc: Option<Sensitive<String>>,
    customer_name: Option<String>,
    customer_tel: Option<String>,
    customer_email: Option<String>,
    customer_addr: Option<String>,
    customer_postcode: Option<String>,
    channel_group_id: Option<String>,
}

impl IssueBillingKey {
    /// Registers the card `card_number` (`dddd-dddd-dddd-dddd`) expiring `expiry`
    /// (`YYYY-MM`) on the channel `channel_key`.
    pub fn new(
        channel_key: impl Into<String>,
        card_number: impl Into<String>,
        expiry: impl Into<String>,
    ) -> Self {
        Self {
            channel_key: channel_key.into(),
            card_number: Sensitive::new(card_number.into()),
            expiry: Sensitive::new(expiry.into()),
            optional: IssueBillingKeyOptional::default(),
        }
    }

    setters! { in optional;
        /// PG to use, when several are configured (`{pg}.{mid}`).
        pg: String,
        /// The merchant's buyer id.
        customer_id: String,
        /// Card holder's birth date (`YYMMDD`), or a 10-digit business number for corporate
        /// cards. Redacted in `Debug`.
        birth: Sensitive<String>,
        /// First two digits of the card password. Redacted in `Debug`.
        pwd_2digit: Sensitive<String>,
        /// Card verification code. Redacted in `Debug`.
        cvc: Sensitive<String>,
        /// Customer's name.
        customer_name: String,
        /// Customer's phone number.
        customer_tel: String,
        /// Customer's email address.
        customer_email: String,
        /// Customer's address.
        customer_addr: String,
        /// Customer's postcode.
        customer_postcode: String,
        /// Smart routing group: issues a super billing key.
        channel_group_id: String,
    }
}
