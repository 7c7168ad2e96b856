// The trait and its methods still exist after a mistake: only the macro's error is reported,
// not a cascade from the code that uses the trait.
#[portone::api]
pub trait Api {
    #[get("/payments/<imp_uid>")]
    async fn payment(&self, imp_uid: &str) -> portone::Result<serde_json::Value>;

    #[get("/payments/<merchant_uid>")]
    async fn broken(&self) -> portone::Result<serde_json::Value>;
}

async fn use_it(client: &portone::Client) -> portone::Result<()> {
    let _payment = client.payment("imp_1").await?;
    let _other = client.broken().await?;
    let _endpoints = <portone::Client as Api>::ENDPOINTS;
    Ok(())
}

fn main() {
    let _ = use_it;
}
