#[portone::api]
pub trait Api {
    #[get("/payments/find/<status?>/<merchant_uid>")]
    async fn call_it(&self, status: Option<&str>, merchant_uid: &str) -> portone::Result<serde_json::Value>;
}

fn main() {}
