// Every mistake in the trait is reported, not only the first.
#[portone::api]
pub trait Api {
    async fn no_verb(&self) -> portone::Result<serde_json::Value>;

    #[get("/payments/<imp_uid>")]
    fn not_async(&self) -> portone::Result<serde_json::Value>;

    #[get("payments")]
    async fn bad_template(&self) -> portone::Result<serde_json::Value>;

    #[get("/payments")]
    async fn unused(&self, imp_uid: &str, #[body] request: &serde_json::Value) -> portone::Result<serde_json::Value>;

    #[post("/payments/cancel", retries = 3)]
    async fn bad_option(&self) -> portone::Result<serde_json::Value>;
}

fn main() {}
