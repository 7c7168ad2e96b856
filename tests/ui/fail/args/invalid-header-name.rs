#[portone::api]
pub trait Api {
    #[get("/payments")]
    async fn payments(&self, #[header("X Request Id")] id: &str) -> portone::Result<serde_json::Value>;
}

fn main() {}
