#[portone::api]
pub trait Api {
    #[get("/payments", retries = 3)]
    async fn payments(&self) -> portone::Result<serde_json::Value>;
}

fn main() {}
