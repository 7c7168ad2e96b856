#[portone::api]
pub trait Api {
    #[get("/payments", timeout_ms)]
    async fn payments(&self) -> portone::Result<serde_json::Value>;
}

fn main() {}
