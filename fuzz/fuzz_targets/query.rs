//! Query pairs round-trip: what the server's parser reads is what was given. The input is
//! split on NUL into alternating names and values.

use portone_core::{Method, Request};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        let parts: Vec<&str> = text.split('\u{0}').collect();
        let pairs: Vec<(String, String)> = parts
            .chunks(2)
            .map(|c| (c[0].to_owned(), c.get(1).copied().unwrap_or("").to_owned()))
            .collect();
        let mut builder = Request::builder(Method::GET, "/payments").path("/payments");
        for (name, value) in &pairs {
            // Names are `&'static str` in the API (they come from code).
            let name: &'static str = Box::leak(name.clone().into_boxed_str());
            builder = builder.query(name, value);
        }
        let request = builder.build().expect("strings are scalars");
        let url = url::Url::parse(&format!("https://h{}", request.path_and_query()))
            .expect("the query is a valid URL");
        let decoded: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        assert_eq!(decoded, pairs);
    });
}
