// Undocumented, but older SDKs charge through it: the rule holds.
#[portone::api]
pub trait Api {
    #[post("/subscribe/payments/foreign", idempotent, undocumented)]
    async fn foreign(&self, #[body] body: &serde_json::Value) -> portone::Result<serde_json::Value>;
}

fn main() {}
