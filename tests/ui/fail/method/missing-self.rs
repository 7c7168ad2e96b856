#[portone::api]
pub trait Api {
    #[get("/payments")]
    async fn payments() -> portone::Result<serde_json::Value>;
}

fn main() {}
