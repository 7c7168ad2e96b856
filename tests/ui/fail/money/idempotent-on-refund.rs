#[portone::api]
pub trait Api {
    #[post("/payments/cancel", idempotent)]
    async fn cancel(&self, #[body] body: &serde_json::Value) -> portone::Result<serde_json::Value>;
}

fn main() {}
