#[portone::api]
pub trait Api {
    #[get("/payments/find/<merchant_uid>/<status?>")]
    async fn find(&self, merchant_uid: &str, status: &str) -> portone::Result<serde_json::Value>;
}

fn main() {}
