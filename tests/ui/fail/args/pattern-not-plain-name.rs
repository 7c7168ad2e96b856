#[portone::api]
pub trait Api {
    #[get("/payments/<imp_uid>")]
    async fn payment(&self, (imp_uid, _): (&str, u8)) -> portone::Result<serde_json::Value>;
}

fn main() {}
