//! The README's "Reconciliation" and "Operations" snippets, verbatim between the `README`
//! markers (a test below checks that the README still holds them): the walk runs against
//! `portone-mock`, and the subscriber and Prometheus recorder are installed (this binary's
//! only test, since both are process-wide).

/// The reconciliation snippet, in a module of its own as in a user's crate.
mod reconcile {
    // README: begin reconcile
    use futures_util::TryStreamExt;
    use portone::model::{PaymentStatusFilter, PaymentsByStatus, UnixTime};
    use portone::prelude::*;

    /// Every payment paid between `from` and `to`, matched against your orders.
    async fn reconcile(
        client: &portone::Client,
        from: UnixTime,
        to: UnixTime,
    ) -> portone::Result<u64> {
        let window = PaymentsByStatus::new().from(from).to(to);
        let mut paid = client
            .payments_by_status_stream(PaymentStatusFilter::Paid, &window)
            .concurrency(8); // pages fetched at once: 4 unless set, 1 for one at a time
        let mut matched = 0;
        while let Some(payment) = paid.try_next().await? {
            // look up payment.merchant_uid in your orders, compare payment.amount
            matched += u64::from(payment.status == portone::model::PaymentStatus::Paid);
        }
        Ok(matched)
    }
    // README: end

    pub(crate) async fn run(
        client: &portone::Client,
        from: UnixTime,
        to: UnixTime,
    ) -> portone::Result<u64> {
        reconcile(client, from, to).await
    }
}

mod observe {
    // README: begin observe
    use metrics_exporter_prometheus::PrometheusBuilder;
    use tracing_subscriber::EnvFilter;

    fn observe() -> Result<(), Box<dyn std::error::Error>> {
        // Spans and events to stdout; an OpenTelemetry layer goes here the same way.
        tracing_subscriber::fmt()
            .with_env_filter(EnvFilter::new("portone=info"))
            .init();
        // `portone_client_requests_total{method="POST",route="/payments/cancel",outcome="ok"}`...
        let prometheus = PrometheusBuilder::new().install_recorder()?;
        let _page = prometheus.render(); // serve it at /metrics
        Ok(())
    }
    // README: end

    pub(crate) fn install() -> Result<(), Box<dyn std::error::Error>> {
        observe()
    }
}

#[tokio::test]
async fn the_readme_walks_a_period_with_a_subscriber_and_a_recorder_installed() {
    use portone::model::UnixTime;
    use portone_mock::{Checkout, MockServer};

    observe::install().expect("installed");
    let server = MockServer::builder().frozen_clock().start().await;
    let from = server.now();
    for i in 0..250 {
        server.checkout(Checkout::paid(format!("order-{i}"), 1_000));
    }
    let client = portone::Client::builder()
        .api_key(server.api_key())
        .api_secret(server.api_secret())
        .base_url(server.base_url())
        .build()
        .expect("a client for the mock");
    let to = UnixTime::from(server.now());
    let matched = reconcile::run(&client, UnixTime::from(from), to)
        .await
        .expect("walked");
    assert_eq!(matched, 250);
}

#[test]
fn the_readme_shows_these_snippets_verbatim() {
    portone_tests::readme::assert_readme_shows(
        include_str!("../../README.md"),
        include_str!("readme_operations.rs"),
        2,
    );
}
