#[portone::api]
pub trait Api {
    #[post("/vbanks", charge)]
    async fn vbank(&self, #[body] body: &serde_json::Value) -> portone::Result<serde_json::Value>;
}

fn main() {}
