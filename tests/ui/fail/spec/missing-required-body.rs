#[portone::api]
pub trait Api {
    #[post("/payments/prepare")]
    async fn prepare(&self) -> portone::Result<serde_json::Value>;
}

fn main() {}
