#[portone::api]
pub trait Api {
    #[get("/payments/<imp_uid>")]
    async fn payment(
        &self,
        imp_uid: &str,
        #[query] include_sandbx: Option<bool>,
    ) -> portone::Result<serde_json::Value>;
}

fn main() {}
