#[portone::api]
pub trait Api {
    #[post("/payments/<imp_uid>")]
    async fn payment(&self, imp_uid: &str) -> portone::Result<serde_json::Value>;
}

fn main() {}
