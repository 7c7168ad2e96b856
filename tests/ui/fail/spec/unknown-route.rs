#[portone::api]
pub trait Api {
    #[get("/refunds/<id>")]
    async fn refund(&self, id: &str) -> portone::Result<serde_json::Value>;
}

fn main() {}
