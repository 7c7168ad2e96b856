#[portone::api]
pub trait Api {
    #[get("/payments")]
    fn payments(&self) -> portone::Result<serde_json::Value>;
}

fn main() {}
