#[portone::api]
pub trait Api {
    #[get(payments)]
    async fn payments(&self) -> portone::Result<serde_json::Value>;
}

fn main() {}
