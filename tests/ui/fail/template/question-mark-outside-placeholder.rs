#[portone::api]
pub trait Api {
    #[get("/payments?include_sandbox=true")]
    async fn call_it(&self) -> portone::Result<serde_json::Value>;
}

fn main() {}
