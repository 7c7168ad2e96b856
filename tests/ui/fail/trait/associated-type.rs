#[portone::api]
pub trait Api {
    type Output;

    #[get("/payments")]
    async fn payments(&self) -> portone::Result<serde_json::Value>;
}

fn main() {}
