#[portone::api]
pub trait Api {
    #[get("/payments")]
    async fn payments(&self, #[get] imp_uid: &str) -> portone::Result<serde_json::Value>;
}

fn main() {}
