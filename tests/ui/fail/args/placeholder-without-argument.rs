#[portone::api]
pub trait Api {
    #[get("/payments/<imp_uid>")]
    async fn payment(&self) -> portone::Result<serde_json::Value>;
}

fn main() {}
