//! What `--state` costs `portone-mock`: requests per second of `GET /payments/{imp_uid}`
//! and `POST /__mock/checkout` against a server that keeps its state in memory only and
//! one that writes every change to its SQLite state file first, side by side in one run.
//!
//! `cargo run --release -p portone-benches --bin mock_state [rounds] [requests] [clients]`
//! (9 rounds of 400 requests, 1 and 16 clients, by default). Both servers run in this
//! process, on a runtime of their own (2 worker threads), as the binary runs them; the
//! clients are keep-alive reqwest clients on another runtime. Each round measures every
//! case on both servers, the order alternating between rounds so that both meet the same
//! load; the table gives the median of the per-round requests/s and of the per-round
//! ratios (state file / memory).

use std::time::Instant;

use portone_mock::{Checkout, MockServer};
use serde_json::{Value, json};

struct Side {
    name: &'static str,
    server: MockServer,
    token: String,
    imp_uid: String,
}

async fn side(name: &'static str, server: MockServer, http: &reqwest::Client) -> Side {
    let imp_uid = server.checkout(Checkout::paid("bench-lookup", 1000));
    let body = json!({ "imp_key": server.api_key(), "imp_secret": server.api_secret() });
    let bytes = http
        .post(format!("{}/users/getToken", server.base_url()))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .unwrap_or_else(|e| panic!("getToken: {e}"))
        .bytes()
        .await
        .unwrap_or_else(|e| panic!("getToken: {e}"));
    let answer: Value = serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("getToken: {e}"));
    let token = answer["response"]["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    Side {
        name,
        server,
        token,
        imp_uid,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Case {
    Lookup,
    Checkout,
}

/// Sends `requests` requests of `case` from `clients` concurrent clients; requests/s.
async fn run(
    http: &reqwest::Client,
    side: &Side,
    case: Case,
    requests: usize,
    clients: usize,
    round: usize,
) -> f64 {
    let started = Instant::now();
    let per_client = requests / clients;
    let mut tasks = tokio::task::JoinSet::new();
    for c in 0..clients {
        let http = http.clone();
        let base = side.server.base_url();
        let token = side.token.clone();
        let imp_uid = side.imp_uid.clone();
        let name = side.name;
        tasks.spawn(async move {
            for i in 0..per_client {
                let req = match case {
                    Case::Lookup => http
                        .get(format!("{base}/payments/{imp_uid}"))
                        .bearer_auth(&token),
                    Case::Checkout => http.post(format!("{base}/__mock/checkout")).body(
                        json!({
                            "merchant_uid": format!("{name}-{round}-{c}-{i}"),
                            "amount": 1000,
                        })
                        .to_string(),
                    ),
                };
                let res = req.send().await.unwrap_or_else(|e| panic!("{e}"));
                assert!(res.status().is_success(), "{}", res.status());
                res.bytes().await.unwrap_or_else(|e| panic!("{e}"));
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap_or_else(|e| panic!("{e}"));
    }
    (per_client * clients) as f64 / started.elapsed().as_secs_f64()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[allow(clippy::print_stdout)]
fn main() {
    let mut args = std::env::args().skip(1);
    let mut arg = |default: usize| args.next().and_then(|a| a.parse().ok()).unwrap_or(default);
    let rounds = arg(9);
    let requests = arg(400);
    let clients = arg(16);
    let servers = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let dir = std::env::temp_dir().join(format!("portone-mock-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let file = dir.join("state.db");
    let (memory, stored) = servers.block_on(async {
        let memory = MockServer::start().await;
        let stored = MockServer::builder()
            .state_file(&file)
            .unwrap_or_else(|e| panic!("{e}"))
            .start()
            .await;
        (memory, stored)
    });
    let clients_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    clients_rt.block_on(async {
        let http = reqwest::Client::new();
        let sides = [
            side("memory", memory, &http).await,
            side("state", stored, &http).await,
        ];
        println!("portone-mock, state file against memory: {rounds} rounds of {requests} requests");
        println!();
        println!("| request | clients | memory (req/s) | state file (req/s) | state / memory |");
        println!("| --- | --- | --- | --- | --- |");
        for (case, label) in [
            (Case::Lookup, "GET /payments/{imp_uid}"),
            (Case::Checkout, "POST /__mock/checkout"),
        ] {
            for n in [1, clients] {
                let (mut mem, mut st, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
                for round in 0..rounds {
                    let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
                    let mut got = [0.0; 2];
                    for i in order {
                        got[i] = run(&http, &sides[i], case, requests, n, round).await;
                    }
                    mem.push(got[0]);
                    st.push(got[1]);
                    ratios.push(got[1] / got[0]);
                }
                println!(
                    "| `{label}` | {n} | {:.0} | {:.0} | **{:.2}** (range {:.2}–{:.2}) |",
                    median(mem),
                    median(st),
                    median(ratios.clone()),
                    ratios.iter().copied().fold(f64::INFINITY, f64::min),
                    ratios.iter().copied().fold(0.0, f64::max),
                );
            }
        }
    });
    drop(servers);
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    println!();
    println!("state file after the run: {size} bytes (plus its WAL)");
    let _ = std::fs::remove_dir_all(&dir);
}
