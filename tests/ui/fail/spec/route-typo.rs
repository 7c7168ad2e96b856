#[portone::api]
pub trait Api {
    #[get("/payments/<imp_uid>/balanse")]
    async fn balance(&self, imp_uid: &str) -> portone::Result<serde_json::Value>;
}

fn main() {}
