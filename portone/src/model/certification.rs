//! Identity certifications (본인인증) and SMS one-time-password certification by API.

use serde::{Deserialize, Serialize};

use super::de::{absent, lenient};
use super::enums::open_enum;
use super::setters::{json_text_setters, setters};
use super::time;
use super::{PgProvider, Sensitive, UnixTime};

/// The result of an identity certification (spec: `CertificationAnnotation`).
///
/// Birth dates and the identity keys (CI, DI) are [`Sensitive`]: `Debug` never prints
/// them. Some PGs (Danal without carrier approval) omit `phone` and `carrier`.
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Certification {
    /// PortOne's certification id.
    #[serde_with(skip_apply)]
    pub imp_uid: String,
    /// The merchant's id for this certification.
    pub merchant_uid: Option<String>,
    /// The PG's certification id.
    pub pg_tid: Option<String>,
    /// PG that certified.
    pub pg_provider: PgProvider,
    /// Certified name.
    pub name: Option<String>,
    /// Certified gender.
    pub gender: Option<Gender>,
    /// Birth date, `YYYY-MM-DD`.
    pub birthday: Option<Sensitive<String>>,
    /// Birth date as a timestamp (KST midnight); not in the spec, sent by some PGs.
    pub birth: Option<Sensitive<UnixTime>>,
    /// Whether the person is a foreigner.
    pub foreigner: bool,
    /// Whether the person is a foreigner, `None` when the PG does not say.
    pub foreigner_v2: Option<bool>,
    /// Phone number used (not for card certification).
    pub phone: Option<String>,
    /// Carrier of that phone.
    pub carrier: Option<Carrier>,
    /// Whether the certification succeeded.
    pub certified: bool,
    /// When it was certified.
    #[serde(serialize_with = "time::zero_as_none::serialize")]
    pub certified_at: Option<UnixTime>,
    /// Connecting information (CI), the person's unique key.
    pub unique_key: Option<Sensitive<String>>,
    /// Duplication information (DI), the person's key within the merchant.
    pub unique_in_site: Option<Sensitive<String>>,
    /// URL of the page that started the certification.
    pub origin: Option<String>,
}

/// A started SMS certification waiting for its code (spec: `CertificationOTPAnnotation`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct CertificationOtp {
    /// PortOne's certification id, to confirm the code with.
    pub imp_uid: String,
}

open_enum! {
    /// Gender (`gender`).
    pub enum Gender {
        /// Male (`male`).
        Male = "male",
        /// Female (`female`).
        Female = "female",
    }
}

open_enum! {
    /// Mobile carrier (`carrier`).
    pub enum Carrier {
        /// SK Telecom (`SKT`).
        Skt = "SKT",
        /// KT (`KT`).
        Kt = "KT",
        /// LG U+ (`LGT`).
        Lgt = "LGT",
        /// A virtual operator on SK Telecom (`SKT_MVNO`).
        SktMvno = "SKT_MVNO",
        /// A virtual operator on KT (`KT_MVNO`).
        KtMvno = "KT_MVNO",
        /// A virtual operator on LG U+ (`LGT_MVNO`).
        LgtMvno = "LGT_MVNO",
    }
}

open_enum! {
    /// How the one-time code is delivered (`verification_method`).
    pub enum OtpMethod {
        /// By SMS (`SMS`).
        Sms = "SMS",
        /// By the carrier's app (`APP`).
        App = "APP",
    }
}

/// Body of `POST /certifications/otp/request` (operation `requestOTP`): sends a one-time
/// code to the person's phone. Birth date and gender digit are redacted in `Debug`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestCertificationOtp {
    name: String,
    phone: String,
    birth: Sensitive<String>,
    gender_digit: Sensitive<String>,
    carrier: Carrier,
    channel_key: String,
    #[serde(flatten)]
    optional: RequestCertificationOtpOptional,
}

/// The optional fields of [`RequestCertificationOtp`], unset (and so not sent) until a setter
/// sets them.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
struct RequestCertificationOtpOptional {
    is_mvno: Option<bool>,
    company: Option<String>,
    merchant_uid: Option<String>,
    pg: Option<String>,
    verification_method: Option<OtpMethod>,
    bypass: Option<String>,
}

impl RequestCertificationOtp {
    /// Certifies `name` on `phone` of `carrier` (`SKT`, `KT` or `LGT`; set
    /// [`is_mvno`](Self::is_mvno) for virtual operators). `birth` is `YYMMDD`,
    /// `gender_digit` the 7th digit of the resident registration number.
    pub fn new(
        name: impl Into<String>,
        phone: impl Into<String>,
        birth: impl Into<String>,
        gender_digit: impl Into<String>,
        carrier: Carrier,
        channel_key: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            phone: phone.into(),
            birth: Sensitive::new(birth.into()),
            gender_digit: Sensitive::new(gender_digit.into()),
            carrier,
            channel_key: channel_key.into(),
            optional: RequestCertificationOtpOptional::default(),
        }
    }

    setters! { in optional;
        /// The phone is on a virtual operator of `carrier` (default `false`).
        is_mvno: bool,
        /// Service name shown in the SMS.
        company: String,
        /// The merchant's id for this certification.
        merchant_uid: String,
        /// Danal merchant id (`danal.{mid}`), deprecated in favour of `channel_key`.
        pg: String,
        /// SMS or carrier app.
        verification_method: OtpMethod,
    }

    json_text_setters! { in optional;
        /// PG-specific parameters, sent as a JSON string.
        bypass / bypass_raw,
    }
}

/// Body of `POST /certifications/otp/confirm/{imp_uid}` (operation `confirmOTP`): the
/// code the person received. Redacted in `Debug`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfirmCertificationOtp {
    otp: Sensitive<String>,
}

impl ConfirmCertificationOtp {
    /// Confirms with the received code.
    pub fn new(otp: impl Into<String>) -> Self {
        Self {
            otp: Sensitive::new(otp.into()),
        }
    }
}
