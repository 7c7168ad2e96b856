//! The `portone-mock` binary, spawned as a process and driven over HTTP only, as a test in
//! another language would drive it: its flags, the URL it prints, PortOne's API, the
//! admin API, the pay page, persistence across restarts, signals, and who may use the
//! admin API.

#[path = "../common/mod.rs"]
mod common;

mod access;
mod admin;
mod client;
mod flags;
mod page;
mod persistence;
mod process;
