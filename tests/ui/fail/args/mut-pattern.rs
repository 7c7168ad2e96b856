#[portone::api]
pub trait Api {
    #[get("/payments/<imp_uid>")]
    async fn payment(&self, mut imp_uid: String) -> portone::Result<serde_json::Value>;
}

fn main() {}
