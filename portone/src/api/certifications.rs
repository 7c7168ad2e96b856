//! Identity verifications and SMS one-time passwords.

use crate::model::{
    Certification, CertificationOtp, ConfirmCertificationOtp, RequestCertificationOtp,
};

/// Identity verification results and SMS one-time passwords (spec tag `certifications`).
#[portone::api]
pub trait Certifications {
    /// Looks up an identity verification. Operation `getCertification`.
    #[get("/certifications/<imp_uid>")]
    async fn certification(&self, imp_uid: &str) -> crate::Result<Certification>;

    /// Deletes the personal data of an identity verification. Operation `deleteCertification`.
    #[delete("/certifications/<imp_uid>")]
    async fn delete_certification(&self, imp_uid: &str) -> crate::Result<Certification>;

    /// Starts an identity verification by SMS one-time password. Operation `requestOTP`.
    #[post("/certifications/otp/request")]
    async fn request_otp(
        &self,
        #[body] request: &RequestCertificationOtp,
    ) -> crate::Result<CertificationOtp>;

    /// Completes an identity verification with the one-time password. Operation `confirmOTP`.
    #[post("/certifications/otp/confirm/<imp_uid>")]
    async fn confirm_otp(
        &self,
        imp_uid: &str,
        #[body] request: &ConfirmCertificationOtp,
    ) -> crate::Result<Certification>;
}
