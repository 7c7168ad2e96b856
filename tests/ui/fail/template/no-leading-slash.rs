#[portone::api]
pub trait Api {
    #[get("payments")]
    async fn call_it(&self) -> portone::Result<serde_json::Value>;
}

fn main() {}
