#[portone::api]
pub trait Api {
    #[get("/payments")]
    async fn payments<Q: serde::Serialize>(&self, #[query] q: Q) -> portone::Result<serde_json::Value>;
}

fn main() {}
