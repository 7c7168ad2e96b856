#[portone::api]
pub trait Api {
    /// Has no verb.
    async fn payment(&self) -> portone::Result<serde_json::Value>;
}

fn main() {}
