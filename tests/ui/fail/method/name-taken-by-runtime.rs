#[portone::api]
pub trait Api {
    #[get("/payments")]
    async fn execute(&self) -> portone::Result<serde_json::Value>;
}

fn main() {}
