pub struct NotSerialize;

#[portone::api]
pub trait Api {
    #[get("/payments/<imp_uid>")]
    async fn payment(&self, imp_uid: NotSerialize) -> portone::Result<serde_json::Value>;
}

fn main() {}
