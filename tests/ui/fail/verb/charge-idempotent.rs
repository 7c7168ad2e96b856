#[portone::api]
pub trait Api {
    #[post("/subscribe/payments/again", charge, idempotent)]
    async fn again(&self, #[body] body: &serde_json::Value) -> portone::Result<serde_json::Value>;
}

fn main() {}
