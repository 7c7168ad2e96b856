#[portone::api]
pub trait Api {
    #[post("/payments/cancel")]
    async fn cancel(&self, #[body] request: &serde_json::Value, #[body] extra: &serde_json::Value) -> portone::Result<serde_json::Value>;
}

fn main() {}
