//! Open enumerations: PortOne adds values to V1 without notice, so every enum keeps an
//! unknown value in `Other` instead of failing to decode.
//!
//! ```
//! use portone::model::PayMethod;
//!
//! let known: PayMethod = "card".parse().unwrap();
//! assert_eq!(known, PayMethod::Card);
//! let new: PayMethod = "hyperpay".parse().unwrap();
//! assert_eq!(new, PayMethod::Other("hyperpay".into()));
//! assert_eq!(new.as_str(), "hyperpay");
//! ```

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::de::{Lenient, Scalar, read_enum};

/// Declares an open enum: the listed variants, an `Other(String)` for the rest, `as_str`,
/// `Display`, an infallible `FromStr`, serde as the plain string, and lenient reading as a
/// response field (see `de.rs`): absent, `null` and `""` read as `Other("")` ("PortOne
/// sent no value"), or as the variant named by a leading `absent = Variant;`.
///
/// Equality and hashing go through `as_str`, so `Other("paid")` equals `Paid`.
macro_rules! open_enum {
    (@absent) => {
        Self::Other(::std::string::String::new())
    };
    (@absent $absent:ident) => {
        Self::$absent
    };
    (
        $(absent = $absent:ident;)?
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version of the crate does not know, kept as PortOne sent it.
            Other(::std::string::String),
        }

        impl $name {
            /// Every value this version knows, as PortOne spells them.
            pub const KNOWN: &'static [&'static str] = &[$($value),*];

            /// The value as PortOne spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Other(other) => other,
                }
            }
        }

        impl ::core::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $value => Self::$variant, )*
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl ::core::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    $( $value => Self::$variant, )*
                    _ => Self::Other(value),
                }
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;

            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(Self::from(value))
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::cmp::PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl ::core::cmp::Eq for $name {}

        impl ::core::hash::Hash for $name {
            fn hash<H: ::core::hash::Hasher>(&self, state: &mut H) {
                self.as_str().hash(state);
            }
        }

        impl ::core::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::model::de::token(deserializer).map(Self::from)
            }
        }

        impl $crate::model::de::Lenient for $name {
            fn absent() -> Self {
                $crate::model::enums::open_enum!(@absent $($absent)?)
            }

            fn read(
                scalar: $crate::model::de::Scalar,
            ) -> ::core::result::Result<
                ::core::option::Option<Self>,
                ::std::string::String,
            > {
                $crate::model::de::read_enum(scalar)
            }
        }
    };
}

pub(crate) use open_enum;

open_enum! {
    /// Payment status (`status` of a payment).
    pub enum PaymentStatus {
        /// Not paid yet (`ready`), e.g. a virtual account waiting for its deposit.
        Ready = "ready",
        /// Paid (`paid`).
        Paid = "paid",
        /// Cancelled, fully or partially refunded (`cancelled`).
        Cancelled = "cancelled",
        /// Failed (`failed`).
        Failed = "failed",
    }
}

open_enum! {
    /// The status filter of `GET /payments/status/{payment_status}`; `all` for every status.
    pub enum PaymentStatusFilter {
        /// Every status (`all`).
        All = "all",
        /// Not paid yet (`ready`).
        Ready = "ready",
        /// Paid (`paid`).
        Paid = "paid",
        /// Cancelled (`cancelled`).
        Cancelled = "cancelled",
        /// Failed (`failed`).
        Failed = "failed",
    }
}

impl From<PaymentStatus> for PaymentStatusFilter {
    fn from(status: PaymentStatus) -> Self {
        match status {
            PaymentStatus::Other(other) => Self::from(other),
            known => Self::from(known.as_str()),
        }
    }
}

open_enum! {
    /// Sort order of payment lists (`sorting`); the server default is `-started`.
    #[derive(Default)]
    pub enum Sorting {
        /// Newest request first (`-started`).
        #[default]
        StartedDesc = "-started",
        /// Oldest request first (`started`).
        StartedAsc = "started",
        /// Latest payment first (`-paid`).
        PaidDesc = "-paid",
        /// Earliest payment first (`paid`).
        PaidAsc = "paid",
        /// Latest update first (`-updated`).
        UpdatedDesc = "-updated",
        /// Earliest update first (`updated`).
        UpdatedAsc = "updated",
    }
}

open_enum! {
    /// Payment method (`pay_method`).
    pub enum PayMethod {
        /// Credit or check card (`card`).
        Card = "card",
        /// Real-time account transfer (`trans`).
        Trans = "trans",
        /// Virtual account (`vbank`).
        Vbank = "vbank",
        /// Mobile phone billing (`phone`).
        Phone = "phone",
        /// Samsung Pay (`samsung`).
        Samsung = "samsung",
        /// Culture Land gift card (`cultureland`).
        Cultureland = "cultureland",
        /// Culture gift card (`culturegift`).
        Culturegift = "culturegift",
        /// Smart culture gift card (`smartculture`).
        Smartculture = "smartculture",
        /// Book and life gift card (`booknlife`).
        Booknlife = "booknlife",
        /// Points of an easy-pay service (`point`).
        Point = "point",
        /// SSGPAY (`ssgpay`).
        Ssgpay = "ssgpay",
        /// L.PAY (`lpay`).
        Lpay = "lpay",
        /// PAYCO (`payco`).
        Payco = "payco",
        /// Kakao Pay (`kakaopay`).
        Kakaopay = "kakaopay",
        /// Toss (`tosspay`).
        Tosspay = "tosspay",
        /// Naver Pay (`naverpay`).
        Naverpay = "naverpay",
        /// Apple Pay (`applepay`).
        Applepay = "applepay",
        /// PayPal (`paypal`).
        Paypal = "paypal",
    }
}

open_enum! {
    /// PG (payment gateway) code (`pg_provider`), as named in PortOne's spec.
    pub enum PgProvider {
        /// KG Inicis (`html5_inicis`).
        Html5Inicis = "html5_inicis",
        /// KG Inicis, older module (`inicis`).
        Inicis = "inicis",
        /// KG Inicis unified module (`inicis_unified`).
        InicisUnified = "inicis_unified",
        /// NHN KCP (`kcp`).
        Kcp = "kcp",
        /// NHN KCP billing (`kcp_billing`).
        KcpBilling = "kcp_billing",
        /// NHN KCP Quick Pay (`kcp_quick`).
        KcpQuick = "kcp_quick",
        /// NHN KCP, new module (`kcp_v2`).
        KcpV2 = "kcp_v2",
        /// NICE Payments (`nice`).
        Nice = "nice",
        /// NICE Pay, new module (`nice_v2`).
        NiceV2 = "nice_v2",
        /// KICC (`kicc`).
        Kicc = "kicc",
        /// KSNET (`ksnet`).
        Ksnet = "ksnet",
        /// Smartro (`smartro`).
        Smartro = "smartro",
        /// Smartro, new module (`smartro_v2`).
        SmartroV2 = "smartro_v2",
        /// Toss Payments (`tosspayments`).
        Tosspayments = "tosspayments",
        /// Toss Pay, new module (`tosspay_v2`).
        TosspayV2 = "tosspay_v2",
        /// Toss brand pay (`toss_brandpay`).
        TossBrandpay = "toss_brandpay",
        /// Kiwoom Pay, formerly Daou (`daou`).
        Daou = "daou",
        /// Hecto Financial, formerly Settlebank (`settle`).
        Settle = "settle",
        /// Hecto Financial virtual accounts (`settle_acc`).
        SettleAcc = "settle_acc",
        /// Hecto Financial firm banking (`settle_firm`).
        SettleFirm = "settle_firm",
        /// Welcome Payments (`welcome`).
        Welcome = "welcome",
        /// LG U+ (`uplus`).
        Uplus = "uplus",
        /// Danal certification (`danal`).
        Danal = "danal",
        /// Danal payments (`danal_tpay`).
        DanalTpay = "danal_tpay",
        /// KG Mobilians (`mobilians`).
        Mobilians = "mobilians",
        /// Galaxia Communications (`galaxia`).
        Galaxia = "galaxia",
        /// Kakao Pay (`kakaopay`).
        Kakaopay = "kakaopay",
        /// Naver Pay (`naverpay`).
        Naverpay = "naverpay",
        /// Naver Pay order type (`naverco`).
        Naverco = "naverco",
        /// PAYCO (`payco`).
        Payco = "payco",
        /// CHAI (`chai`).
        Chai = "chai",
        /// Paymentwall (`paymentwall`).
        Paymentwall = "paymentwall",
        /// PayPal, new module (`paypal_v2`).
        PaypalV2 = "paypal_v2",
    }
}

open_enum! {
    /// Where the payment was made (`channel`).
    pub enum Channel {
        /// Authenticated payment from a PC (`pc`).
        Pc = "pc",
        /// Authenticated payment from a mobile browser (`mobile`).
        Mobile = "mobile",
        /// API payment: subscription or non-authenticated (`api`).
        Api = "api",
    }
}

open_enum! {
    /// What a `customer_uid` was used for in a payment (`customer_uid_usage`).
    pub enum CustomerUidUsage {
        /// Billing key issuance (`issue`).
        Issue = "issue",
        /// A payment with a billing key (`payment`).
        Payment = "payment",
        /// A scheduled payment (`payment.scheduled`).
        PaymentScheduled = "payment.scheduled",
    }
}

open_enum! {
    absent = Krw;
    /// Currency code (`currency`), ISO 4217. PortOne's default, and what an absent currency
    /// reads as, is KRW.
    #[derive(Default)]
    pub enum Currency {
        /// Korean won (`KRW`), the default.
        #[default]
        Krw = "KRW",
        /// US dollar (`USD`).
        Usd = "USD",
        /// Euro (`EUR`).
        Eur = "EUR",
        /// Japanese yen (`JPY`).
        Jpy = "JPY",
        /// Chinese yuan (`CNY`).
        Cny = "CNY",
        /// Vietnamese dong (`VND`).
        Vnd = "VND",
    }
}

impl Currency {
    /// The currency's code and how many decimal places its amounts have (ISO 4217): none for
    /// KRW, JPY and VND, two for USD, EUR and CNY; `None` for a currency this version does
    /// not know.
    #[must_use]
    pub fn minor_units(&self) -> Option<(&'static str, u32)> {
        match self {
            Currency::Krw => Some(("KRW", 0)),
            Currency::Jpy => Some(("JPY", 0)),
            Currency::Vnd => Some(("VND", 0)),
            Currency::Usd => Some(("USD", 2)),
            Currency::Eur => Some(("EUR", 2)),
            Currency::Cny => Some(("CNY", 2)),
            Currency::Other(_) => None,
        }
    }
}

open_enum! {
    /// Status of a scheduled payment (`schedule_status`).
    pub enum ScheduleStatus {
        /// Waiting to be executed (`scheduled`).
        Scheduled = "scheduled",
        /// Executed (`executed`).
        Executed = "executed",
        /// Revoked before execution (`revoked`).
        Revoked = "revoked",
    }
}

open_enum! {
    /// Sort order of the scheduled-payment listing (`sorting` of `GET
    /// /subscribe/payments/schedule`). Leave it unset for PortOne's default, the latest
    /// schedule time first; `scheduled` is the only other value PortOne documents.
    pub enum ScheduleSorting {
        /// Earliest schedule time first (`scheduled`).
        ScheduledAsc = "scheduled",
    }
}

open_enum! {
    /// Kind of goods sold (`product_type`).
    pub enum ProductType {
        /// Physical goods (`real`).
        Real = "real",
        /// Digital content (`digital`).
        Digital = "digital",
    }
}

open_enum! {
    /// Who a cash receipt is issued to (`type` of a receipt, `cash_receipt_type`).
    pub enum CashReceiptType {
        /// A person (`person`).
        Person = "person",
        /// A business (`company`).
        Company = "company",
        /// Nobody: no receipt (`anonymous`, Toss Pay only).
        Anonymous = "anonymous",
    }
}

open_enum! {
    /// What a cash receipt `identifier` is (`identifier_type`).
    pub enum IdentifierType {
        /// Resident registration number (`person`).
        Person = "person",
        /// Business registration number (`business`).
        Business = "business",
        /// Mobile phone number (`phone`).
        Phone = "phone",
        /// National Tax Service cash receipt card (`taxcard`).
        Taxcard = "taxcard",
    }
}

open_enum! {
    /// Who asked for an action, for Naver Pay (`requester`, `extra.requester`).
    pub enum Requester {
        /// The buyer (`customer`).
        Customer = "customer",
        /// The merchant's staff, PortOne's default (`admin`).
        Admin = "admin",
    }
}

/// Card kind (`card_type`), sent as the integer `0` or `1`, or `null` by PGs that do not
/// report it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CardType {
    /// Credit card (`0`).
    Credit,
    /// Check (debit) card (`1`).
    Check,
    /// A value this version of the crate does not know, as text.
    Other(String),
}

impl CardType {
    /// The value as text: `"0"`, `"1"` or the unknown value.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Credit => "0",
            Self::Check => "1",
            Self::Other(other) => other,
        }
    }
}

impl From<String> for CardType {
    fn from(value: String) -> Self {
        match value.trim() {
            "0" => Self::Credit,
            "1" => Self::Check,
            _ => Self::Other(value),
        }
    }
}

impl From<&str> for CardType {
    fn from(value: &str) -> Self {
        Self::from(value.to_owned())
    }
}

impl fmt::Display for CardType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CardType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.as_str().parse::<i64>() {
            Ok(code) => serializer.serialize_i64(code),
            Err(_) => serializer.serialize_str(self.as_str()),
        }
    }
}

impl<'de> Deserialize<'de> for CardType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::model::de::token(deserializer).map(Self::from)
    }
}

impl Lenient for CardType {
    fn absent() -> Self {
        Self::Other(String::new())
    }

    fn read(scalar: Scalar) -> Result<Option<Self>, String> {
        read_enum(scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::{CardType, PayMethod, PaymentStatus, PaymentStatusFilter, Sorting};

    #[test]
    fn known_and_unknown_values_round_trip() -> Result<(), serde_json::Error> {
        let status: PaymentStatus = serde_json::from_str("\"cancelled\"")?;
        assert_eq!(status, PaymentStatus::Cancelled);
        let unknown: PaymentStatus = serde_json::from_str("\"partial_cancelled\"")?;
        assert_eq!(unknown, PaymentStatus::Other("partial_cancelled".into()));
        assert_eq!(serde_json::to_string(&unknown)?, "\"partial_cancelled\"");
        assert_eq!(PaymentStatus::Other("paid".into()), PaymentStatus::Paid);
        assert_eq!(PayMethod::from("vbank").to_string(), "vbank");
        assert!(PaymentStatus::KNOWN.contains(&"cancelled"));
        Ok(())
    }

    #[test]
    fn path_and_query_enums_print_their_wire_text() {
        assert_eq!(PaymentStatusFilter::All.as_str(), "all");
        assert_eq!(
            PaymentStatusFilter::from(PaymentStatus::Paid),
            PaymentStatusFilter::Paid
        );
        assert_eq!(Sorting::default().to_string(), "-started");
        assert_eq!(Sorting::UpdatedAsc.as_str(), "updated");
    }

    #[test]
    fn card_type_comes_as_an_integer() -> Result<(), serde_json::Error> {
        assert_eq!(serde_json::from_str::<CardType>("0")?, CardType::Credit);
        assert_eq!(serde_json::from_str::<CardType>("\"1\"")?, CardType::Check);
        assert_eq!(
            serde_json::from_str::<CardType>("7")?,
            CardType::Other("7".into())
        );
        assert_eq!(serde_json::to_string(&CardType::Check)?, "1");
        assert_eq!(serde_json::to_string(&CardType::from("x"))?, "\"x\"");
        assert_eq!(
            serde_json::from_str::<Option<CardType>>("null")?,
            None::<CardType>
        );
        Ok(())
    }
}
