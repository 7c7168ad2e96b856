//! The envelope decoder never panics, whatever the body and status.

use bytes::Bytes;
use portone_core::{RawResponse, StatusCode};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Some((&[high, low], body)) = data.split_first_chunk::<2>() else {
            return;
        };
        let status = StatusCode::from_u16(100 + u16::from_be_bytes([high, low]) % 500)
            .unwrap_or(StatusCode::OK);
        let raw = RawResponse {
            status,
            body: Bytes::copy_from_slice(body),
        };
        let _ = raw.decode::<serde_json::Value>();
        let _ = raw.decode::<()>();
        let _ = raw.decode::<Option<Vec<u64>>>();
        let _ = raw.decode::<std::collections::BTreeMap<String, String>>();
    });
}
