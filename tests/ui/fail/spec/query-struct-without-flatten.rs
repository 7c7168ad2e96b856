#[derive(serde::Serialize)]
pub struct Paging {
    pub page: u32,
    pub limit: u32,
}

#[portone::api]
pub trait Api {
    #[get("/payments/status/<status>")]
    async fn by_status(&self, status: &str, #[query] paging: &Paging) -> portone::Result<serde_json::Value>;
}

fn main() {}
