//! Identity verification by SMS OTP (`/certifications/otp/...`) and its results
//! (`/certifications/{imp_uid}`). The OTP is always `MockServer::CERTIFICATION_OTP`.

use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};
use serde_json::json;

use super::{App, Auth, Body, Path};
use crate::MockServer;
use crate::reply::{Answer, Reply};
use crate::state::Certification;

const NO_CERTIFICATION: &str = "본인인증결과를 찾을 수 없습니다.";

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/certifications/{imp_uid}", get(one).delete(delete))
        .route("/certifications/otp/request", post(request))
        .route("/certifications/otp/confirm/{imp_uid}", post(confirm))
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYMMDD` and the 7th digit of the resident number → (`YYYY-MM-DD`, KST midnight as unix
/// seconds, foreigner).
fn birthday(birth: &str, gender_digit: u32) -> Option<(String, i64, bool)> {
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
    let at = days_from_civil(y, mm, dd) * 86_400 - 9 * 3600;
    Some((format!("{y:04}-{mm:02}-{dd:02}"), at, gender_digit >= 5))
}

/// Checks the person's data and "sends" the OTP; answers the `imp_uid` to confirm.
async fn request(auth: Auth, State(app): State<App>, Body(p): Body) -> Answer {
    let name = p.required("name")?;
    let phone: String = p
        .required("phone")?
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let birth = p.required("birth")?;
    let gender_digit = p.required("gender_digit")?;
    let carrier = p.required("carrier")?;
    crate::state::resolve_channel(
        p.string("pg").as_deref(),
        p.string("channel_key").as_deref(),
        "certification",
        3,
    )?;
    let invalid = || Reply::bad_request("본인인증 대상자 정보가 올바르지 않습니다.");
    let digit = gender_digit.trim().parse::<u32>().map_err(|_| invalid())?;
    let (birthday, birth_at, foreigner) = birthday(&birth, digit).ok_or_else(invalid)?;
    if !matches!(carrier.as_str(), "SKT" | "KT" | "LGT") || !(10..=11).contains(&phone.len()) {
        return Err(invalid());
    }
    let mut st = app.lock();
    let s = st.scoped(&auth.scope);
    let imp_uid = s.ids.imp_uid();
    let cert = Certification {
        imp_uid: imp_uid.clone(),
        merchant_uid: p.string("merchant_uid"),
        pg_tid: s.ids.digits(24),
        name,
        gender: if digit % 2 == 1 { "male" } else { "female" },
        birthday,
        birth: birth_at,
        foreigner,
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
    auth: Auth,
    State(app): State<App>,
    Path(imp_uid): Path<String>,
    Body(p): Body,
) -> Answer {
    let mut st = app.lock();
    let s = st.scoped(&auth.scope);
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

async fn one(auth: Auth, State(app): State<App>, Path(imp_uid): Path<String>) -> Answer {
    let mut st = app.lock();
    let s = st.scoped(&auth.scope);
    s.store
        .certifications
        .get(&imp_uid)
        .map(|c| Reply::ok(c.to_json()))
        .ok_or_else(|| Reply::not_found(NO_CERTIFICATION))
}

/// Forgets a certification for good and returns it.
async fn delete(auth: Auth, State(app): State<App>, Path(imp_uid): Path<String>) -> Answer {
    let mut st = app.lock();
    let s = st.scoped(&auth.scope);
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
            Some(("1990-01-01".into(), 631_119_600, false))
        );
        assert_eq!(
            birthday("05-12-31", 8).map(|b| (b.0, b.2)),
            Some(("2005-12-31".into(), true))
        );
        assert!(birthday("901301", 1).is_none());
        assert!(birthday("900101", 9).is_none());
    }
}
