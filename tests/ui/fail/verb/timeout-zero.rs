#[portone::api]
pub trait Api {
    #[get("/payments", timeout_ms = 0)]
    async fn payments(&self) -> portone::Result<serde_json::Value>;
}

fn main() {}
