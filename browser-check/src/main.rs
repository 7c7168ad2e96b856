//! Clicks through portone-mock's pay page in a real headless browser: Debian's Chromium,
//! driven over WebDriver (ChromeDriver) with fantoccini.
//!
//! ```text
//! apt-get install chromium chromium-driver
//! cargo run -p portone-mock-browser-check --features browser
//! ```
//!
//! For each button (approve, decline, cancel) it opens `/__mock/pay` on a portone-mock
//! server, clicks the button as a buyer would, waits until the browser has followed the
//! `303` to the shop, and reads the shop's URL: `imp_success`, `imp_uid`, `error_msg`
//! must say what the button did, and the payment must be in the mock in that state. Any
//! difference is an error and a non-zero exit. `CHROMIUM` and `CHROMEDRIVER` name other
//! binaries than `/usr/bin/chromium` and `/usr/bin/chromedriver`.
//!
//! The cargo tests drive the same page with an HTTP client that reads and submits the
//! form (`portone-mock/tests/binary/page.rs`); this check adds what only a browser does:
//! render the page under its Content-Security-Policy, submit the form on a click, follow
//! the redirect.

// A check reports to whoever runs it.
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::{ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use portone_mock::MockServer;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::process::{Child, Command};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Every wait gives up after this long: generous, for a loaded machine.
const DEADLINE: Duration = Duration::from_secs(60);

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let started = Instant::now();
    match run().await {
        Ok(()) => {
            println!(
                "browser-check: the pay page works in Chromium ({:.1} s)",
                started.elapsed().as_secs_f64()
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            println!("browser-check FAILED: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

async fn json(r: reqwest::Response) -> Result<Value, BoxError> {
    Ok(serde_json::from_slice(&r.bytes().await?)?)
}

/// A port nobody listens on, for ChromeDriver.
async fn free_port() -> Result<u16, BoxError> {
    Ok(TcpListener::bind("127.0.0.1:0").await?.local_addr()?.port())
}

/// The shop the buyer is sent back to: answers every request with a small page.
async fn shop() -> Result<String, BoxError> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/order/done", listener.local_addr()?);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 8192];
                let _ = stream.read(&mut buf).await;
                let body = "<!doctype html><title>shop</title><p>thank you</p>";
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(body.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    Ok(url)
}

/// ChromeDriver on `port`, once it answers its status.
async fn chromedriver(port: u16) -> Result<Child, BoxError> {
    let bin = env_or("CHROMEDRIVER", "/usr/bin/chromedriver");
    let child = Command::new(&bin)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot start {bin}: {e}"))?;
    let status = format!("http://127.0.0.1:{port}/status");
    let deadline = Instant::now() + DEADLINE;
    loop {
        let ready = reqwest::get(&status)
            .await
            .ok()
            .filter(|r| r.status().is_success());
        if let Some(r) = ready
            && json(r)
                .await
                .ok()
                .is_some_and(|v| v["value"]["ready"] == true)
        {
            return Ok(child);
        }
        if Instant::now() > deadline {
            return Err(format!("{bin} did not become ready on port {port}").into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn run() -> Result<(), BoxError> {
    let mock = MockServer::builder().frozen_clock().start().await;
    let shop = shop().await?;
    let port = free_port().await?;
    let _driver = chromedriver(port).await?;
    let profile = std::env::temp_dir().join(format!("browser-check-{}", std::process::id()));
    // The flags this machine needs: as root, with no network but the loopback.
    let caps = json!({
        "goog:chromeOptions": {
            "binary": env_or("CHROMIUM", "/usr/bin/chromium"),
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                format!("--user-data-dir={}", profile.display()),
            ],
        }
    });
    let Value::Object(caps) = caps else {
        return Err("capabilities are an object".into());
    };
    let browser = ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .map_err(|e| format!("no WebDriver session: {e}"))?;
    let result = click_through(&browser, &mock, &shop).await;
    let _ = browser.close().await;
    let _ = std::fs::remove_dir_all(&profile);
    result
}

async fn click_through(
    browser: &fantoccini::Client,
    mock: &MockServer,
    shop: &str,
) -> Result<(), BoxError> {
    let http = reqwest::Client::new();
    let token = json(
        http.post(format!("{}/users/getToken", mock.base_url()))
            .header("content-type", "application/json")
            .body(json!({ "imp_key": mock.api_key(), "imp_secret": mock.api_secret() }).to_string())
            .send()
            .await?,
    )
    .await?;
    let token = token["response"]["access_token"]
        .as_str()
        .ok_or("no token")?
        .to_owned();
    for (button, success, status, error) in [
        ("approve", "true", "paid", None),
        (
            "decline",
            "false",
            "failed",
            Some("카드사에서 승인을 거절하였습니다."),
        ),
        (
            "cancel",
            "false",
            "failed",
            Some("사용자가 결제를 취소하셨습니다"),
        ),
    ] {
        let step = Instant::now();
        let merchant_uid = format!("browser-{button}");
        let page = format!(
            "{}/__mock/pay?{}",
            mock.base_url(),
            form_urlencoded::Serializer::new(String::new())
                .append_pair("merchant_uid", &merchant_uid)
                .append_pair("amount", "15000")
                .append_pair("name", "원두 <1kg>")
                .append_pair("redirect_url", shop)
                .finish()
        );
        browser.goto(&page).await?;
        let shown = browser.find(Locator::Css("#name")).await?.text().await?;
        if shown != "원두 <1kg>" {
            return Err(format!("the page shows the order name as {shown:?}").into());
        }
        browser
            .find(Locator::Css(&format!("#{button}")))
            .await?
            .click()
            .await?;
        let deadline = Instant::now() + DEADLINE;
        let landed = loop {
            let url = browser.current_url().await?;
            if url.as_str().starts_with(shop) {
                break url;
            }
            if Instant::now() > deadline {
                return Err(format!("{button}: the browser stayed at {url}").into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let q: BTreeMap<String, String> = landed
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let get = |k: &str| q.get(k).map(String::as_str);
        if get("imp_success") != Some(success)
            || get("merchant_uid") != Some(merchant_uid.as_str())
            || get("error_msg") != error
        {
            return Err(format!("{button}: the shop got {landed}").into());
        }
        let imp_uid = get("imp_uid").ok_or("no imp_uid")?;
        let payment = json(
            http.get(format!("{}/payments/{imp_uid}", mock.base_url()))
                .bearer_auth(&token)
                .send()
                .await?,
        )
        .await?;
        if payment["response"]["status"] != status || payment["response"]["amount"] != 15000 {
            return Err(format!("{button}: the mock holds {payment}").into());
        }
        println!(
            "browser-check: {button:<7} -> {landed} ({} ms)",
            step.elapsed().as_millis()
        );
    }
    Ok(())
}
