#[portone::api]
pub trait Api {
    #[get("/payments/<imp_uid")]
    async fn call_it(&self, imp_uid: &str) -> portone::Result<serde_json::Value>;
}

fn main() {}
