#[portone::api]
pub trait Api {
    #[delete("/subscribe/customers/<customer_uid>")]
    async fn delete(&self, customer_uid: &str, #[body] request: &serde_json::Value) -> portone::Result<serde_json::Value>;
}

fn main() {}
