//! Any string as a path value becomes exactly one segment that decodes back to itself,
//! or is refused when it is `""`, `.` or `..`.

use percent_encoding::percent_decode_str;
use portone_core::{Method, Request};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Ok(value) = std::str::from_utf8(data) else {
            return;
        };
        let built = Request::builder(Method::GET, "/payments/find/<merchant_uid>/balance")
            .path("/payments/find")
            .segment(value)
            .path("/balance")
            .build();
        let refused = value.is_empty() || value == "." || value == "..";
        let Ok(request) = built else {
            assert!(refused, "refused {value:?}");
            return;
        };
        assert!(!refused, "accepted {value:?}");
        let path = request.path();
        let segments: Vec<&str> = path.split('/').collect();
        assert_eq!(segments.len(), 5, "{path}");
        assert_eq!(&segments[..3], &["", "payments", "find"]);
        assert_eq!(segments[4], "balance");
        let decoded = percent_decode_str(segments[3]).decode_utf8();
        assert_eq!(decoded.ok().as_deref(), Some(value));
        let url = url::Url::parse(&format!("https://api.iamport.kr{path}"));
        assert_eq!(url.ok().map(|u| u.path().to_owned()).as_deref(), Some(path));
    });
}
