#[portone::api]
pub trait Api {
    #[delete("/vbanks/<imp_uid>", idempotent)]
    async fn revoke(&self, imp_uid: &str) -> portone::Result<serde_json::Value>;
}

fn main() {}
