#[portone::api(crate = "not a path")]
pub trait Api {
    #[get("/payments")]
    async fn payments(&self) -> portone::Result<serde_json::Value>;
}

fn main() {}
