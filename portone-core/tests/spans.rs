//! The runtime's spans, recorded by a process-wide subscriber: one `portone.request` per
//! call, with its fields, closed by the time the call returns (or is dropped), never
//! entered, and no secret in anything traced.
//!
//! The subscriber is the global default, set once for this test binary, and not a
//! thread-local one (`set_default`): tracing caches each callsite's interest process-wide,
//! computed by the first thread that reaches it against that thread's default. With a
//! thread-local subscriber, another test reaching `portone.request` first on its own thread
//! caches "never" and the span is silently disabled for everyone (tokio-rs/tracing#3611,
//! #2874). That was the cause of "no span closed" under load.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use common::*;
use portone_core::{Client, Execute, Method, Request};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::mpsc;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Instrument, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Payment {
    imp_uid: String,
    amount: u64,
}

/// A span as recorded. Registry ids are reused once a span closes, so spans are known by
/// their position in [`Store::spans`].
#[derive(Debug, Clone, Default)]
struct SpanRecord {
    name: &'static str,
    case: Option<String>,
    parent: Option<usize>,
    fields: HashMap<String, String>,
    entered: usize,
    closed: bool,
}

#[derive(Debug, Clone)]
struct EventRecord {
    case: Option<String>,
    parent: Option<usize>,
    fields: HashMap<String, String>,
}

#[derive(Debug, Default)]
struct Store {
    spans: Vec<SpanRecord>,
    events: Vec<EventRecord>,
    /// Everything recorded, for the secret check.
    text: String,
}

/// Where a span's record is, kept in the registry's extensions of the span.
struct Index(usize);

#[derive(Default)]
struct Fields(HashMap<String, String>);

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

struct Recorder(Arc<Mutex<Store>>);

impl Recorder {
    fn store(&self) -> MutexGuard<'_, Store> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn index_of<S: Subscriber + for<'a> LookupSpan<'a>>(
    ctx: &Context<'_, S>,
    id: &Id,
) -> Option<usize> {
    ctx.span(id)?.extensions().get::<Index>().map(|i| i.0)
}

fn append(text: &mut String, name: &str, fields: &HashMap<String, String>) {
    text.push_str(name);
    for (key, value) in fields {
        text.push_str(&format!(" {key}={value}"));
    }
    text.push('\n');
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Recorder {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        let Some(span) = ctx.span(id) else { return };
        let parent = span
            .parent()
            .and_then(|p| p.extensions().get::<Index>().map(|i| i.0));
        let mut store = self.store();
        let case = fields
            .0
            .get("case")
            .cloned()
            .or_else(|| parent.and_then(|p| store.spans[p].case.clone()));
        let name = attrs.metadata().name();
        append(&mut store.text, name, &fields.0);
        store.spans.push(SpanRecord {
            name,
            case,
            parent,
            fields: fields.0,
            ..SpanRecord::default()
        });
        let index = store.spans.len() - 1;
        drop(store);
        span.extensions_mut().insert(Index(index));
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let Some(index) = index_of(&ctx, id) else {
            return;
        };
        let mut fields = Fields::default();
        values.record(&mut fields);
        let mut store = self.store();
        append(&mut store.text, "record", &fields.0);
        store.spans[index].fields.extend(fields.0);
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let parent = ctx
            .event_span(event)
            .and_then(|s| s.extensions().get::<Index>().map(|i| i.0));
        let mut store = self.store();
        let case = parent.and_then(|p| store.spans[p].case.clone());
        append(&mut store.text, event.metadata().target(), &fields.0);
        store.events.push(EventRecord {
            case,
            parent,
            fields: fields.0,
        });
    }

    fn on_enter(&self, id: &Id, ctx: Context<'_, S>) {
        if let Some(index) = index_of(&ctx, id) {
            self.store().spans[index].entered += 1;
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        if let Some(index) = index_of(&ctx, &id) {
            self.store().spans[index].closed = true;
        }
    }
}

/// The process-wide recorder, installed once (with the `log` bridge, so that reqwest's own
/// logs are recorded too).
fn recorder() -> &'static Arc<Mutex<Store>> {
    static STORE: OnceLock<Arc<Mutex<Store>>> = OnceLock::new();
    STORE.get_or_init(|| {
        let store = Arc::new(Mutex::new(Store::default()));
        tracing_subscriber::registry()
            .with(Recorder(Arc::clone(&store)))
            .try_init()
            .unwrap_or_else(|e| panic!("a subscriber was installed already: {e}"));
        store
    })
}

/// A snapshot of the spans and events of one test case.
fn case(name: &str) -> (Vec<(usize, SpanRecord)>, Vec<EventRecord>) {
    let store = recorder().lock().unwrap_or_else(|p| p.into_inner());
    let spans = store
        .spans
        .iter()
        .cloned()
        .enumerate()
        .filter(|(_, s)| s.case.as_deref() == Some(name) && s.name != "case")
        .collect();
    let events = store
        .events
        .iter()
        .filter(|e| e.case.as_deref() == Some(name))
        .cloned()
        .collect();
    (spans, events)
}

fn named<'a>(spans: &'a [(usize, SpanRecord)], name: &str) -> Vec<&'a (usize, SpanRecord)> {
    spans.iter().filter(|(_, s)| s.name == name).collect()
}

fn payment_request() -> Request {
    get("/payments/<imp_uid>", "/payments/imp_1")
}

async fn server_with_payment() -> MockServer {
    let server = MockServer::start().await;
    mount_token(&server, &[1800], false).await;
    Mock::given(method("GET"))
        .and(path("/payments/imp_1"))
        .respond_with(ok(json!({"imp_uid": "imp_1", "amount": 1})))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn one_span_per_call_with_its_fields_and_no_secret_at_trace_level() {
    recorder();
    let server = MockServer::start().await;
    mount_token(&server, &[1800], false).await;
    mount_first(
        &server,
        "GET",
        "/payments/imp_1",
        1,
        ResponseTemplate::new(503),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/payments/imp_1"))
        .respond_with(ok(json!({"imp_uid": "imp_1", "amount": 1})))
        .mount(&server)
        .await;
    // A fresh client: the call fetches the token and opens its connections itself.
    let client = client(&server);
    let name = "fields";
    client
        .call::<Payment>(payment_request())
        .instrument(tracing::info_span!("case", case = name))
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    // Read as soon as the call returned: nothing is waited for.
    let (spans, events) = case(name);
    let requests = named(&spans, "portone.request");
    let [(request_index, request)] = requests.as_slice() else {
        panic!("not one portone.request span: {spans:#?}")
    };
    assert!(request.closed, "the span outlived its call: {request:?}");
    assert_eq!(request.entered, 0, "the call entered its span");
    let field = |name: &str| request.fields.get(name).map(String::as_str);
    assert_eq!(field("method"), Some("GET"));
    assert_eq!(field("route"), Some("/payments/<imp_uid>"));
    assert_eq!(field("status"), Some("200"));
    assert_eq!(field("code"), Some("0"));
    assert_eq!(field("attempt"), Some("2"));
    assert_eq!(field("tier"), None);
    assert!(field("duration_ms").is_some(), "{request:?}");

    let tokens = named(&spans, "portone.get_token");
    let [(_, token)] = tokens.as_slice() else {
        panic!("not one portone.get_token span: {spans:#?}")
    };
    assert_eq!(token.parent, Some(*request_index));
    assert!(token.closed && token.entered == 0, "{token:?}");
    assert_eq!(token.fields.get("status").map(String::as_str), Some("200"));

    let retrying: Vec<_> = events
        .iter()
        .filter(|e| e.fields.get("message").map(String::as_str) == Some("retrying"))
        .collect();
    assert_eq!(retrying.len(), 1, "{events:#?}");
    assert_eq!(retrying[0].parent, Some(*request_index));
    assert_eq!(
        retrying[0].fields.get("status").map(String::as_str),
        Some("503")
    );

    let text = recorder()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .text
        .clone();
    assert!(!text.contains(SECRET), "secret in trace output");
    assert!(!text.contains("tok-1"), "token in trace output:\n{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_span_closes_when_its_call_returns_from_any_thread() {
    recorder();
    let server = server_with_payment().await;
    let client = client(&server);
    let name = "concurrent";
    let case_span = tracing::info_span!("case", case = name);
    // 32 calls at once on a fresh client: several connections are opened while calls run,
    // their tasks spawned on both workers.
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let call = client.call::<Payment>(payment_request());
            tokio::spawn(call.instrument(case_span.clone()))
        })
        .collect();
    for task in tasks {
        task.await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let (spans, _) = case(name);
    let requests = named(&spans, "portone.request");
    assert_eq!(requests.len(), 32);
    for (_, span) in requests {
        assert!(span.closed, "a span outlived its call: {span:?}");
        assert_eq!(span.entered, 0);
        assert_eq!(span.fields.get("status").map(String::as_str), Some("200"));
    }
    assert!(
        named(&spans, "portone.get_token")
            .iter()
            .all(|(_, s)| s.closed)
    );
}

/// Tells the test that the request arrived, and answers only much later.
struct Arrived(mpsc::UnboundedSender<()>);

impl Respond for Arrived {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let _ = self.0.send(());
        ok(json!({"imp_uid": "imp_1", "amount": 1})).set_delay(Duration::from_secs(60))
    }
}

#[tokio::test]
async fn a_span_closes_when_its_call_is_dropped_mid_flight() {
    recorder();
    let server = MockServer::start().await;
    mount_token(&server, &[1800], false).await;
    let (arrived, mut arrivals) = mpsc::unbounded_channel();
    Mock::given(method("GET"))
        .and(path("/payments/imp_1"))
        .respond_with(Arrived(arrived))
        .mount(&server)
        .await;
    let client: Client = client(&server);
    let name = "dropped";
    let call = client
        .call::<Payment>(payment_request())
        .instrument(tracing::info_span!("case", case = name));
    let task = tokio::spawn(call);
    arrivals
        .recv()
        .await
        .unwrap_or_else(|| panic!("no request"));
    task.abort();
    assert!(task.await.is_err_and(|e| e.is_cancelled()));

    let (spans, _) = case(name);
    let requests = named(&spans, "portone.request");
    let [(_, request)] = requests.as_slice() else {
        panic!("not one portone.request span: {spans:#?}")
    };
    assert!(request.closed, "the span outlived its dropped call");
    assert_eq!(request.fields.get("status"), None);
    assert_eq!(request.fields.get("attempt").map(String::as_str), Some("1"));
}

#[tokio::test]
async fn a_failed_call_says_why_inside_its_span() {
    recorder();
    let server = MockServer::start().await;
    mount_token(&server, &[1800], false).await;
    let request = Request::builder(Method::POST, "/payments/cancel")
        .path("/payments/cancel")
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    Mock::given(method("POST"))
        .and(path("/payments/cancel"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"code": 1, "message": "no such payment", "response": null})),
        )
        .mount(&server)
        .await;
    let name = "failed";
    let err = client(&server)
        .call::<Payment>(request)
        .instrument(tracing::info_span!("case", case = name))
        .await
        .err();
    let Some(err) = err else {
        panic!("a refusal decoded as success")
    };
    let (spans, events) = case(name);
    let requests = named(&spans, "portone.request");
    let [(index, request)] = requests.as_slice() else {
        panic!("not one portone.request span: {spans:#?}")
    };
    assert!(request.closed);
    assert_eq!(request.fields.get("code").map(String::as_str), Some("1"));
    let failed = events
        .iter()
        .find(|e| e.fields.get("message").map(String::as_str) == Some("portone call failed"))
        .unwrap_or_else(|| panic!("no failure event: {events:#?}"));
    assert_eq!(failed.parent, Some(*index));
    assert_eq!(failed.fields.get("error"), Some(&err.to_string()));
}
