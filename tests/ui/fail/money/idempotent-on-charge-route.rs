// No `charge` written: the route charges all the same.
#[portone::api]
pub trait Api {
    #[post("/subscribe/payments/again", idempotent)]
    async fn again(&self, #[body] body: &serde_json::Value) -> portone::Result<serde_json::Value>;
}

fn main() {}
