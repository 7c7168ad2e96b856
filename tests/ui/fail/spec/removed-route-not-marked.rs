#[portone::api]
pub trait Api {
    #[put("/tiers/<tier_code>")]
    async fn rename_tier(&self, tier_code: &str, #[body] request: &serde_json::Value) -> portone::Result<serde_json::Value>;
}

fn main() {}
