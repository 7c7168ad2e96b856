#[portone::api]
pub trait Api {
    #[get("/payments/all items")]
    async fn call_it(&self) -> portone::Result<serde_json::Value>;
}

fn main() {}
