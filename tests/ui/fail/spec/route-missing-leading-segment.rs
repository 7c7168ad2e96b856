#[portone::api]
pub trait Api {
    #[post("/payments/onetime")]
    async fn pay_once(&self, #[body] request: &serde_json::Value) -> portone::Result<serde_json::Value>;
}

fn main() {}
