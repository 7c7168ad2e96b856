//! Identity verification by SMS OTP (`/certifications/otp/...`) and its results
//! (`/certifications/{imp_uid}`). The OTP is always `MockServer::CERTIFICATION_OTP`.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};
use serde_json::json;

use super::extract::{BodyParams, Caller, PathParams};
use crate::clock::kst_midnight;
use crate::mock_server::MockServer;
use crate::reply::{Answer, Reply};
use crate::shared::Shared;
use crate::state::{Certification, resolve_channel};

/// PortOne's answer (HTTP 404) for an unknown certification (NOTES.md, "Answers observed on
/// the live server").
const NO_CERTIFICATION: &str = "인증결과가 존재하지 않습니다.";

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/certifications/{imp_uid}", get(one).delete(delete))
        .route("/certifications/otp/request", post(request))
        .route("/certifications/otp/confirm/{imp_uid}", post(confirm))
}

/// A birth date as a certification shows it.
#[derive(Debug, PartialEq, Eq)]
struct Birth {
    /// `YYYY-MM-DD`.
    date: String,
    /// Midnight of that day in Korea, unix seconds.
    at: i64,
    foreigner: bool,
}

/// `YYMMDD` and the 7th digit of the resident number.
fn birthday(birth: &str, gender_digit: u32) -> Option<Birth> {
    let digits: String = birth.chars().filter(char::is_ascii_digit).collect();
    if digits.len() != 6 {
        return None;
    }
    let n = |r: std::ops::Range<usize>| digits[r].parse::<i64>().ok();
    let (yy, mm, dd) = (n(0..2)?, n(2..4)?, n(4..6)?);
    let century = match gender_digit {
        1 | 2 | 5 | 6 => 1900,
        3 | 4 | 7 | 8 => 2000,
        _ => return None,
    };
    if !(1..=12).contains(&mm) || !(1..=31).contains(&dd) {
        return None;
    }
    let y = century + yy;
    Some(Birth {
        date: format!("{y:04}-{mm:02}-{dd:02}"),
        at: kst_midnight(y, mm, dd),
        foreigner: gender_digit >= 5,
    })
}

/// Checks the person's data and "sends" the OTP; answers the `imp_uid` to confirm.
async fn request(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    BodyParams(p): BodyParams,
) -> Answer {
    let name = p.required("name")?;
    let phone: String = p
        .required("phone")?
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let birth = p.required("birth")?;
    let gender_digit = p.required("gender_digit")?;
    let carrier = p.required("carrier")?;
    resolve_channel(
        p.string("pg").as_deref(),
        p.string("channel_key").as_deref(),
        "certification",
        3,
    )?;
    let invalid = || Reply::bad_request("본인인증 대상자 정보가 올바르지 않습니다.");
    let digit = gender_digit.trim().parse::<u32>().map_err(|_| invalid())?;
    let birth = birthday(&birth, digit).ok_or_else(invalid)?;
    if !matches!(carrier.as_str(), "SKT" | "KT" | "LGT") || !(10..=11).contains(&phone.len()) {
        return Err(invalid());
    }
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    let imp_uid = s.ids.imp_uid();
    let cert = Certification {
        imp_uid: imp_uid.clone(),
        merchant_uid: p.string("merchant_uid"),
        pg_tid: s.ids.digits(24),
        name,
        gender: if digit % 2 == 1 { "male" } else { "female" },
        birthday: birth.date,
        birth: birth.at,
        foreigner: birth.foreigner,
        phone,
        carrier,
        otp: MockServer::CERTIFICATION_OTP.to_owned(),
        certified: false,
        certified_at: 0,
        unique_key: format!("{}==", s.ids.hex(86)),
        unique_in_site: format!("{}=", s.ids.hex(63)),
    };
    s.store.certifications.insert(imp_uid.clone(), cert);
    Ok(Reply::ok(json!({ "imp_uid": imp_uid })))
}

async fn confirm(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(imp_uid): PathParams<String>,
    BodyParams(p): BodyParams,
) -> Answer {
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    let cert = s
        .store
        .certifications
        .get_mut(&imp_uid)
        .ok_or_else(|| Reply::not_found(NO_CERTIFICATION))?;
    if cert.certified {
        return Err(Reply::bad_request("이미 인증이 완료된 건입니다."));
    }
    let otp = p.required("otp")?;
    if otp != cert.otp {
        return Err(Reply::bad_request("인증번호가 일치하지 않습니다."));
    }
    cert.certified = true;
    cert.certified_at = s.now;
    Ok(Reply::ok(cert.to_json()))
}

async fn one(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(imp_uid): PathParams<String>,
) -> Answer {
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    s.store
        .certifications
        .get(&imp_uid)
        .map(|c| Reply::ok(c.to_json()))
        .ok_or_else(|| Reply::not_found(NO_CERTIFICATION))
}

/// Forgets a certification for good and returns it.
async fn delete(
    caller: Caller,
    State(shared): State<Arc<Shared>>,
    PathParams(imp_uid): PathParams<String>,
) -> Answer {
    let mut st = shared.lock();
    let s = st.tenant(&caller.tier);
    s.store
        .certifications
        .remove(&imp_uid)
        .map(|c| Reply::ok(c.to_json()))
        .ok_or_else(|| Reply::not_found(NO_CERTIFICATION))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birthday_is_kst_midnight() {
        // The danal fixture: 1990-01-01 → 631119600.
        assert_eq!(
            birthday("900101", 1),
            Some(Birth {
                date: "1990-01-01".into(),
                at: 631_119_600,
                foreigner: false
            })
        );
        assert_eq!(
            birthday("05-12-31", 8).map(|b| (b.date, b.foreigner)),
            Some(("2005-12-31".into(), true))
        );
        assert!(birthday("901301", 1).is_none());
        assert!(birthday("900101", 9).is_none());
    }
}
