#[portone::api]
pub trait Api {
    #[get("/subscribe/customers/<customer_uid>/schedules")]
    async fn schedules(&self, customer_uid: &str, #[query] page: Option<u32>) -> portone::Result<serde_json::Value>;
}

fn main() {}
