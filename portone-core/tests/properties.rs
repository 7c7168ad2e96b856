//! Hostile input: property tests over arbitrary strings and bytes.

use std::borrow::Cow;

use bytes::Bytes;
use percent_encoding::percent_decode_str;
use portone_core::{Error, Method, RawResponse, Request, StatusCode};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 4096,
        ..ProptestConfig::default()
    }
}

/// Strings that favour what breaks URLs: separators, dots, percent signs, Hangul, controls.
fn nasty() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("/".to_owned()),
        Just(".".to_owned()),
        Just("..".to_owned()),
        Just("%".to_owned()),
        Just("%2e".to_owned()),
        Just("?".to_owned()),
        Just("#".to_owned()),
        Just("&".to_owned()),
        Just("=".to_owned()),
        Just("+".to_owned()),
        Just(" ".to_owned()),
        Just("[]".to_owned()),
        Just("결제".to_owned()),
        Just("\u{0}".to_owned()),
        Just("\n".to_owned()),
        any::<String>(),
    ];
    prop::collection::vec(pieces, 0..6).prop_map(|v| v.concat())
}

fn build_path(value: &str) -> Result<String, Error> {
    Request::builder(Method::GET, "/payments/find/<merchant_uid>/balance")
        .path("/payments/find")
        .segment(value)
        .path("/balance")
        .build()
        .map(|r| r.path().to_owned())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_path_value_is_exactly_one_segment_that_decodes_back(value in nasty()) {
        match build_path(&value) {
            Err(Error::InvalidRequest(_)) => {
                prop_assert!(value.is_empty() || value == "." || value == "..");
            }
            Err(other) => prop_assert!(false, "unexpected error {other:?}"),
            Ok(path) => {
                prop_assert!(!(value.is_empty() || value == "." || value == ".."));
                let segments: Vec<&str> = path.split('/').collect();
                prop_assert_eq!(segments.len(), 5, "{}", path);
                prop_assert_eq!(&segments[..3], &["", "payments", "find"]);
                prop_assert_eq!(segments[4], "balance");
                let decoded = percent_decode_str(segments[3]).decode_utf8();
                prop_assert_eq!(decoded.ok(), Some(Cow::Borrowed(value.as_str())));
                // The url crate keeps it as it is: no dot segment to resolve.
                let url = url::Url::parse(&format!("https://api.iamport.kr{path}"));
                prop_assert_eq!(url.ok().map(|u| u.path().to_owned()), Some(path.clone()));
            }
        }
    }

    #[test]
    fn query_pairs_round_trip(pairs in prop::collection::vec((nasty(), nasty()), 0..5)) {
        let mut builder = Request::builder(Method::GET, "/payments").path("/payments");
        // Names are `&'static str` in the API (they come from code); leak a few for the test.
        let names: Vec<&'static str> = pairs.iter().map(|(k, _)| &*Box::leak(k.clone().into_boxed_str())).collect();
        for (name, (_, value)) in names.iter().zip(&pairs) {
            builder = builder.query(name, value);
        }
        let request = builder.build();
        prop_assert!(request.is_ok());
        let Ok(request) = request else { unreachable!() };
        let url = url::Url::parse(&format!("https://h{}", request.path_and_query()));
        prop_assert!(url.is_ok());
        let Ok(url) = url else { unreachable!() };
        let decoded: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        prop_assert_eq!(&decoded, &pairs);
        prop_assert_eq!(request.query(), pairs);
    }

    #[test]
    fn the_envelope_decoder_never_panics_on_bytes(body in prop::collection::vec(any::<u8>(), 0..256), status in 100u16..600) {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
        let raw = RawResponse { status, body: Bytes::from(body) };
        let _ = raw.decode::<serde_json::Value>();
        let _ = raw.decode::<()>();
        let _ = raw.decode::<Option<Vec<u64>>>();
    }

    #[test]
    fn the_envelope_decoder_never_panics_on_json_like_text(body in r#"\{("(code|message|response|data)":(-?[0-9]{1,20}|"[^"]{0,8}"|null|\[\]|\{\}|true),?){0,4}\}"#) {
        let raw = RawResponse { status: StatusCode::OK, body: Bytes::from(body) };
        let _ = raw.decode::<serde_json::Value>();
        let _ = raw.decode::<()>();
    }
}
