#[portone::api]
pub trait Api {
    #[get("/payments")]
    async fn payments(&self, #[header("")] id: &str) -> portone::Result<serde_json::Value>;
}

fn main() {}
