pub struct Payment;

#[portone::api]
pub trait Api {
    #[get("/payments/<imp_uid>")]
    async fn payment(&self, imp_uid: &str) -> portone::Result<Payment>;
}

fn main() {}
