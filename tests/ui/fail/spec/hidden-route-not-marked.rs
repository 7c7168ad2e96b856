#[portone::api]
pub trait Api {
    #[get("/vbanks/holder")]
    async fn holder(&self, #[query] bank_code: &str, #[query] bank_num: &str) -> portone::Result<serde_json::Value>;
}

fn main() {}
