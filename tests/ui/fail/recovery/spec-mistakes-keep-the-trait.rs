// Mistakes against PortOne's spec are reported together with the others, each on its own
// tokens, and the trait is still emitted: the code that uses it reports nothing more.
#[portone::api]
pub trait Api {
    #[get("/payments/<imp_uid>/balanse")]
    async fn balance(&self, imp_uid: &str) -> portone::Result<serde_json::Value>;

    #[get("/payments/<imp_uid>")]
    fn payment(&self, imp_uid: &str, #[query] include_sandbx: bool) -> portone::Result<serde_json::Value>;

    #[post("/payments/prepare")]
    async fn prepare(&self) -> portone::Result<serde_json::Value>;
}

async fn use_it(client: &portone::Client) -> portone::Result<()> {
    let _balance = client.balance("imp_1").await?;
    let _prepared = client.prepare().await?;
    let _endpoints = <portone::Client as Api>::ENDPOINTS;
    Ok(())
}

fn main() {
    let _ = use_it;
}
