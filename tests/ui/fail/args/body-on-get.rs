#[portone::api]
pub trait Api {
    #[get("/payments")]
    async fn payments(&self, #[body] request: &serde_json::Value) -> portone::Result<serde_json::Value>;
}

fn main() {}
