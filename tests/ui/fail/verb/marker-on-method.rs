#[portone::api]
pub trait Api {
    #[get("/payments")]
    #[query]
    async fn payments(&self) -> portone::Result<serde_json::Value>;
}

fn main() {}
