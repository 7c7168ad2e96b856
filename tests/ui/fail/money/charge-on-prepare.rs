#[portone::api]
pub trait Api {
    #[post("/payments/prepare", charge)]
    async fn prepare(&self, #[body] body: &serde_json::Value) -> portone::Result<serde_json::Value>;
}

fn main() {}
