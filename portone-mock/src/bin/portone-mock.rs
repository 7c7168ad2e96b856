//! `portone-mock`: the PortOne V1 test server as a program, for tests in any language.
//!
//! Prints the base URL (`http://127.0.0.1:PORT`) as the first line of standard output,
//! logs to standard error, and stops cleanly on SIGINT or SIGTERM: requests in flight
//! finish. With `--state`, every change is in the state file before its answer is sent,
//! so even `kill -9` loses nothing. See the crate's README.

use std::io::{IsTerminal, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use portone_mock::{MockServer, MockServerBuilder, WebhookFormat};
use tracing_subscriber::EnvFilter;

/// A PortOne V1 test server: PortOne's REST API (api.iamport.kr) with its rules, payments
/// made through an admin API (/__mock/) or a pay page, and webhooks.
///
/// The first line of standard output is the server's base URL; logs go to standard error
/// (RUST_LOG sets their level, `info` by default).
#[derive(Debug, Parser)]
#[command(name = "portone-mock", version, about, long_about)]
struct Args {
    /// Port to listen on; 0 picks a free one (the first line of output tells which).
    #[arg(long, default_value_t = 0)]
    port: u16,

    /// Address to listen on. The admin API (/__mock/) is refused on any address but a
    /// loopback one unless --admin-token is set.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    host: IpAddr,

    /// The `imp_key` getToken accepts.
    #[arg(long, env = "PORTONE_MOCK_API_KEY", default_value = MockServer::API_KEY)]
    api_key: String,

    /// The `imp_secret` getToken accepts (better set through the environment, which
    /// other users of the machine cannot read).
    #[arg(
        long,
        env = "PORTONE_MOCK_API_SECRET",
        hide_env_values = true,
        default_value = MockServer::API_SECRET
    )]
    api_secret: String,

    /// Makes the account an agency with these sub-merchant tier codes (3 upper-case
    /// letters or digits each), comma-separated: requests then select one with `Tier: <code>`.
    #[arg(long, value_name = "TIER,...", value_delimiter = ',')]
    agency: Vec<String>,

    /// Where webhooks go for payments that name no `notice_url` (the console's URL).
    /// Kept in the --state file.
    #[arg(long, value_name = "URL")]
    webhook_url: Option<String>,

    /// How webhooks are encoded (json unless the --state file says otherwise).
    #[arg(long, value_enum)]
    webhook_format: Option<Format>,

    /// Re-sends a webhook after a network error or a 5xx, up to 5 times, one minute apart
    /// on the mock clock. Kept in the --state file.
    #[arg(long)]
    webhook_resend: bool,

    /// Keeps the mock clock still: it moves only on POST /__mock/advance.
    #[arg(long)]
    frozen_clock: bool,

    /// Serves bodies as PortOne's live server writes them (fields missing on older
    /// records, "" for null, ...) rather than as its spec describes them.
    #[arg(long)]
    live_quirks: bool,

    /// Keeps the state (payments, refunds, billing keys, schedules, the clock, the tiers,
    /// the webhook settings) in the SQLite database FILE, every change written before its
    /// answer is sent: a crash loses nothing. A missing file is created; a file that is
    /// not a portone-mock state file is an error, and never written to.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,

    /// Requires this token on every admin request (`Authorization: Bearer <token>`, or
    /// `?admin_token=` from a browser), and allows the admin API on a non-loopback address.
    #[arg(long, env = "PORTONE_MOCK_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// application/json
    Json,
    /// application/x-www-form-urlencoded
    Form,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// Why the server could not run, in words for its operator.
#[derive(Debug)]
struct Failure(String);

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The error and its causes, on one line.
fn explain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn builder(args: &Args) -> MockServerBuilder {
    let mut b = MockServer::builder()
        .bind(SocketAddr::new(args.host, args.port))
        .credentials(&args.api_key, &args.api_secret)
        .live_quirks(args.live_quirks);
    // Only what the flags name: the rest comes from the state file, if any.
    if let Some(format) = args.webhook_format {
        b = b.webhook_format(match format {
            Format::Json => WebhookFormat::Json,
            Format::Form => WebhookFormat::Form,
        });
    }
    if args.webhook_resend {
        b = b.webhook_resend(true);
    }
    if !args.agency.is_empty() {
        b = b.agency(&args.agency);
    }
    if let Some(url) = &args.webhook_url {
        b = b.webhook_url(url);
    }
    if args.frozen_clock {
        b = b.frozen_clock();
    }
    if let Some(token) = &args.admin_token {
        b = b.admin_token(token);
    }
    b
}

async fn run(args: Args) -> Result<(), Failure> {
    if let Some(url) = &args.webhook_url
        && !(url.starts_with("http://") || url.starts_with("https://"))
    {
        return Err(Failure(format!(
            "--webhook-url `{url}` is not an http(s) URL"
        )));
    }
    let mut b = builder(&args);
    if let Some(path) = &args.state {
        b = b
            .state_file(path)
            .map_err(|e| Failure(format!("{}; not starting", explain(&e))))?;
        tracing::info!(file = %path.display(), "state file open: every change is written to it");
    }
    let server = b
        .try_start()
        .await
        .map_err(|e| Failure(format!("cannot start on {}:{}: {e}", args.host, args.port)))?;
    announce(&server)?;
    if !server.addr().ip().to_canonical().is_loopback() && args.admin_token.is_none() {
        tracing::warn!(
            "listening on a non-loopback address without --admin-token: the admin API (/__mock/) is refused"
        );
    }
    wait_for_signal().await?;
    tracing::info!("stopping: letting requests in flight finish");
    server.shutdown().await;
    tracing::info!("stopped");
    Ok(())
}

/// The base URL on the first line of standard output, flushed at once: a script reads it
/// to learn the port.
fn announce(server: &MockServer) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", server.base_url())
        .and_then(|()| out.flush())
        .map_err(|e| Failure(format!("cannot write to standard output: {e}")))?;
    tracing::info!(
        url = %server.base_url(),
        addr = %server.addr(),
        "portone-mock listening; admin API under /__mock/"
    );
    Ok(())
}

#[cfg(unix)]
async fn wait_for_signal() -> Result<(), Failure> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())
        .map_err(|e| Failure(format!("cannot listen for SIGTERM: {e}")))?;
    let mut int = signal(SignalKind::interrupt())
        .map_err(|e| Failure(format!("cannot listen for SIGINT: {e}")))?;
    tokio::select! {
        _ = term.recv() => tracing::info!("SIGTERM"),
        _ = int.recv() => tracing::info!("SIGINT"),
    }
    Ok(())
}

#[cfg(not(unix))]
async fn wait_for_signal() -> Result<(), Failure> {
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| Failure(format!("cannot listen for Ctrl-C: {e}")))
}
