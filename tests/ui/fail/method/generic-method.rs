#[portone::api]
pub trait Api {
    #[get("/payments")]
    async fn payments<Q: serde::Serialize>(&self, #[query("imp_uid[]")] q: Q) -> portone::Result<serde_json::Value>;
}

fn main() {}
