#[portone::api]
pub trait Api {
    #[get("/payments/<imp_uid>")]
    async fn payment(&self, imp_uid: &str) -> serde_json::Value;
}

fn main() {}
