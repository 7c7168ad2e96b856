#[portone::api]
pub trait Api {
    #[get("/payments")]
    async fn payments(&self, #[query("imp_uid")] imp_uids: &[&str]) -> portone::Result<serde_json::Value>;
}

fn main() {}
