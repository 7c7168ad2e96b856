#[portone::api]
pub trait Api {
    #[post("/payments/<imp_uid>/naver/point")]
    async fn naver_point(&self, imp_uid: &str, #[body] request: &serde_json::Value) -> portone::Result<serde_json::Value>;
}

fn main() {}
