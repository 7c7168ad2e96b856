//! A process-wide tracing subscriber that records spans and events as data, for the tests
//! that assert on what the runtime traces.
//!
//! It is the global default, set once per test binary, and not a thread-local one
//! (`set_default`): tracing caches each callsite's interest process-wide, computed by the
//! first thread that reaches it against that thread's default. With a thread-local
//! subscriber, another test reaching `portone.request` first on its own thread caches
//! "never" and the span is silently disabled for everyone (tokio-rs/tracing#3611, #2874).
//!
//! Tests run in parallel in one binary, so each runs its calls inside a span
//! `case` with a `case` field naming it; [`case`] returns what was recorded below it.

#![allow(dead_code, unreachable_pub)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;

/// A span as recorded. Registry ids are reused once a span closes, so spans are known by
/// their position in [`Store::spans`].
#[derive(Debug, Clone, Default)]
pub struct SpanRecord {
    pub name: &'static str,
    pub case: Option<String>,
    pub parent: Option<usize>,
    pub fields: HashMap<String, String>,
    pub entered: usize,
    pub closed: bool,
}

#[derive(Debug, Clone)]
pub struct EventRecord {
    pub level: tracing::Level,
    pub case: Option<String>,
    pub parent: Option<usize>,
    pub fields: HashMap<String, String>,
}

#[derive(Debug, Default)]
pub struct Store {
    pub spans: Vec<SpanRecord>,
    pub events: Vec<EventRecord>,
    /// Everything recorded, for the secret check.
    pub text: String,
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
            level: *event.metadata().level(),
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
pub fn recorder() -> &'static Arc<Mutex<Store>> {
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
pub fn case(name: &str) -> (Vec<(usize, SpanRecord)>, Vec<EventRecord>) {
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

/// The spans called `name` among `spans`.
pub fn named<'a>(spans: &'a [(usize, SpanRecord)], name: &str) -> Vec<&'a (usize, SpanRecord)> {
    spans.iter().filter(|(_, s)| s.name == name).collect()
}

/// The events whose message is `message`.
pub fn with_message<'a>(events: &'a [EventRecord], message: &str) -> Vec<&'a EventRecord> {
    events
        .iter()
        .filter(|e| e.fields.get("message").map(String::as_str) == Some(message))
        .collect()
}

/// Everything recorded so far, by every test, as text.
pub fn all_text() -> String {
    recorder()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .text
        .clone()
}
