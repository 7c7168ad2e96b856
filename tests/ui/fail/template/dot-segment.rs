#[portone::api]
pub trait Api {
    #[get("/payments/./list")]
    async fn call_it(&self) -> portone::Result<serde_json::Value>;
}

fn main() {}
