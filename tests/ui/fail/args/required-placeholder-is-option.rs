#[portone::api]
pub trait Api {
    #[get("/payments/find/<merchant_uid>")]
    async fn find(&self, merchant_uid: Option<&str>) -> portone::Result<serde_json::Value>;
}

fn main() {}
