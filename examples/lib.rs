//! Runnable examples of `portone`, each a flat `*.rs` file beside this one. They need no
//! account and no environment: each starts `portone-mock`, an in-process PortOne V1 server,
//! and exits with 0 when every step behaved as described.
//!
//! | Example | Run it with | What it shows |
//! |---|---|---|
//! | `quickstart.rs` | `cargo run --example quickstart` | A whole integration: token, `prepare_payment`, the checkout, `verify_payment` (the check every server must do before shipping), a partial refund guarded by `checksum`, the full refund, a listing and a summary. With `PORTONE_API_KEY` and `PORTONE_API_SECRET` set, read-only calls on the real API instead. |
//! | `custom_endpoint.rs` | `cargo run --example custom_endpoint` | `#[portone::api]` for a route PortOne no longer documents (`GET /vbanks/holder`) and a lookup decoded into your own type; the compile-time checks; values refused before any I/O. |
//! | `agency_tiers.rs` | `cargo run --example agency_tiers` | An agency account: one client and one token, `with_tier("A1B")?` views, data scoped by tier, no `Tier` on getToken, malformed tier codes refused before any I/O. |
//! | `webhooks.rs` | `cargo run --example webhooks` | A real axum receiver fed by the mock's webhooks: each notification parsed with `portone::webhook`, verified against the shop's own order (`verify_notification`), shipped once; a card checkout, a duplicate, a virtual account issued then paid, a partial and a full refund, a forgery and a tampered amount, one line each with the verdict. |
//!
//! `tests/tests/e2e_examples.rs` runs every example's body against the mock, so CI proves
//! they work.
