#[portone::api]
pub trait Api {
    #[get("/payments/<imp_uid>", undocumented)]
    async fn payment(&self, imp_uid: &str) -> portone::Result<serde_json::Value>;
}

fn main() {}
