#[portone::api]
pub trait Api {
    #[post("/payments/cancel")]
    async fn cancel(&self);
}

fn main() {}
