#[portone::api]
pub trait Api {
    #[get("/payments")]
    async fn payments(&self, #[query(flatten)] filter: impl serde::Serialize) -> portone::Result<serde_json::Value>;
}

fn main() {}
