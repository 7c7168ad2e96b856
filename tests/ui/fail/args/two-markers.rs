#[portone::api]
pub trait Api {
    #[get("/payments")]
    async fn payments(&self, #[query] #[header("X-Id")] id: &str) -> portone::Result<serde_json::Value>;
}

fn main() {}
