//! Criterion benches: the generated client against hand-written reqwest (careful, and naive),
//! side by side in one run, on the full and the small answer. `cargo bench -p portone-benches`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use portone::model::{CancelPayment, FindPayment, PaymentStatus, Sorting};
use portone::prelude::*;
use portone::{Method, Request};
use portone_benches::{Handwritten, Size, Summaries, generated_client, start_server_with};
use rust_decimal::Decimal;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("client runtime")
}

fn per_call(c: &mut Criterion) {
    for size in Size::ALL {
        per_call_of(c, size);
    }
}

fn per_call_of(c: &mut Criterion, size: Size) {
    let (addr, _) = start_server_with(size, Duration::ZERO);
    let rt = runtime();
    let generated = generated_client(addr);
    let handwritten = rt.block_on(Handwritten::connect(addr)).expect("token");
    let naive = rt
        .block_on(Handwritten::connect_naive(addr))
        .expect("token");

    // Each side's future is awaited or spawned as its own type, as in an application.
    macro_rules! call {
        ($client:expr, generated) => {
            match size {
                Size::Full => drop(black_box($client.payment("imp_1").await.expect("call"))),
                Size::Small => drop(black_box(
                    $client.payment_summary("imp_1").await.expect("call"),
                )),
            }
        };
        ($client:expr, by_hand) => {
            match size {
                Size::Full => drop(black_box($client.payment("imp_1").await.expect("call"))),
                Size::Small => drop(black_box(
                    $client.payment_summary("imp_1").await.expect("call"),
                )),
            }
        };
    }
    // Warm every side: a token in the cache, connections in the pools.
    rt.block_on(async {
        call!(generated, generated);
        call!(handwritten, by_hand);
        call!(naive, by_hand);
    });

    let mut group = c.benchmark_group(format!("get_payment_{}/sequential", size.name()));
    group.throughput(Throughput::Elements(1));
    group.bench_function("generated", |b| {
        b.to_async(&rt)
            .iter(|| async { call!(generated, generated) });
    });
    group.bench_function("handwritten", |b| {
        b.to_async(&rt)
            .iter(|| async { call!(handwritten, by_hand) });
    });
    group.bench_function("naive", |b| {
        b.to_async(&rt).iter(|| async { call!(naive, by_hand) });
    });
    group.finish();

    let mut group = c.benchmark_group(format!("get_payment_{}/64_concurrent", size.name()));
    group.throughput(Throughput::Elements(64));
    group.bench_function("generated", |b| {
        b.to_async(&rt).iter(|| async {
            let tasks: Vec<_> = (0..64)
                .map(|_| {
                    let client = generated.clone();
                    tokio::spawn(async move { call!(client, generated) })
                })
                .collect();
            for task in tasks {
                task.await.expect("join");
            }
        });
    });
    for (name, client) in [("handwritten", &handwritten), ("naive", &naive)] {
        group.bench_function(name, |b| {
            b.to_async(&rt).iter(|| async {
                let tasks: Vec<_> = (0..64)
                    .map(|_| {
                        let client = client.clone();
                        tokio::spawn(async move { call!(client, by_hand) })
                    })
                    .collect();
                for task in tasks {
                    task.await.expect("join");
                }
            });
        });
    }
    group.finish();
}

/// `find_payment`'s path and query written by hand, every value encoded.
fn hand_find(merchant_uid: &str, status: &PaymentStatus, sorting: &Sorting) -> String {
    format!(
        "/payments/find/{}/{}?sorting={}",
        utf8_percent_encode(black_box(merchant_uid), NON_ALPHANUMERIC),
        utf8_percent_encode(black_box(status).as_str(), NON_ALPHANUMERIC),
        utf8_percent_encode(black_box(sorting).as_str(), NON_ALPHANUMERIC)
    )
}

fn request_building(c: &mut Criterion) {
    let cancel =
        CancelPayment::partial_by_merchant_uid("order/2026-11/0001", Decimal::new(15000, 0))
            .expect("partial cancel")
            .checksum(Decimal::new(30000, 0))
            .reason("customer asked");
    let merchant_uid = "order/2026-11/0001";
    let status = PaymentStatus::Paid;
    let sorting = Sorting::PaidDesc;
    let options = FindPayment::new()
        .payment_status(status.clone())
        .sorting(sorting.clone());

    let mut group = c.benchmark_group("request_building");
    // What `#[portone::api]` generates for `find_payment_with` (the status in the path,
    // the options value as the query) plus a cancel body.
    group.bench_function("generated", |b| {
        b.iter(|| {
            let find = Request::builder(
                Method::GET,
                "/payments/find/<merchant_uid>/<payment_status?>",
            )
            .path("/payments/find")
            .segment(black_box(merchant_uid))
            .optional_segment(&Some(black_box(&status)))
            .query("options", black_box(&options))
            .build()
            .expect("find");
            let cancel = Request::builder(Method::POST, "/payments/cancel")
                .path("/payments/cancel")
                .json(black_box(&cancel))
                .build()
                .expect("cancel");
            black_box(find.path_and_query());
            black_box(cancel)
        });
    });
    // The hand-written equivalent takes the same typed inputs and encodes each value.
    group.bench_function("format_and_to_vec", |b| {
        b.iter(|| {
            let find = hand_find(merchant_uid, &status, &sorting);
            let cancel = serde_json::to_vec(black_box(&cancel)).expect("cancel");
            black_box((find, cancel))
        });
    });
    // The two halves apart: a path with a value, an optional segment and a query...
    group.bench_function("generated/find", |b| {
        b.iter(|| {
            let find = Request::builder(
                Method::GET,
                "/payments/find/<merchant_uid>/<payment_status?>",
            )
            .path("/payments/find")
            .segment(black_box(merchant_uid))
            .optional_segment(&Some(black_box(&status)))
            .query("options", black_box(&options))
            .build()
            .expect("find");
            black_box(find.path_and_query());
        });
    });
    group.bench_function("format_and_to_vec/find", |b| {
        b.iter(|| black_box(hand_find(merchant_uid, &status, &sorting)));
    });
    // The floor: the enum values written as literals, only the id encoded.
    group.bench_function("format_literal/find", |b| {
        b.iter(|| {
            black_box(format!(
                "/payments/find/{}/paid?sorting=-paid",
                utf8_percent_encode(black_box(merchant_uid), NON_ALPHANUMERIC)
            ))
        });
    });
    // ...and a literal path with a JSON body.
    group.bench_function("generated/cancel", |b| {
        b.iter(|| {
            Request::builder(Method::POST, "/payments/cancel")
                .path("/payments/cancel")
                .json(black_box(&cancel))
                .build()
                .expect("cancel")
        });
    });
    group.bench_function("format_and_to_vec/cancel", |b| {
        b.iter(|| serde_json::to_vec(black_box(&cancel)).expect("cancel"));
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(5)).sample_size(50);
    targets = per_call, request_building
}
criterion_main!(benches);
