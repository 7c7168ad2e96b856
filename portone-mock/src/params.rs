//! Request parameters: the JSON body clients send, the form-encoded body PortOne also
//! accepts, and query strings, all read into one JSON object. Form and query keys follow
//! PHP's bracket rules (`imp_uid[]=a`, `sender[name]=b`, `schedules[0][amount]=1`), and a
//! repeated plain key keeps its last value, as PortOne's PHP server does.
//!
//! PHP decides by the content type alone: a JSON body sent as `text/plain` or without a
//! content type is not read at all, and `imp_uid=a` is a scalar that an array parameter
//! (`imp_uid[]`) does not see.

use serde_json::{Map, Value};

use crate::amount::Amount;
use crate::reply::{Reply, missing};

#[derive(Debug, Default)]
pub(crate) struct Params {
    pub(crate) map: Map<String, Value>,
    /// Whether the values came from a JSON body, where a scalar is as good as a
    /// one-element list; in a query or a form, an array needs bracket names.
    json: bool,
}

impl Params {
    /// Parameters nested in a JSON body (or read from a test's JSON).
    pub(crate) fn json(map: Map<String, Value>) -> Params {
        Params { map, json: true }
    }

    /// An object nested in these parameters, read by the same rules.
    pub(crate) fn nested(&self, map: Map<String, Value>) -> Params {
        Params {
            map,
            json: self.json,
        }
    }

    pub(crate) fn from_query(query: Option<&str>) -> Params {
        Params {
            map: query.map(parse_form).unwrap_or_default(),
            json: false,
        }
    }

    /// Reads a body by its content type, as PHP does: JSON under a JSON type, a form under
    /// `application/x-www-form-urlencoded`, and nothing at all under any other type or none
    /// (the handler then finds its parameters missing).
    pub(crate) fn from_body(content_type: Option<&str>, body: &[u8]) -> Result<Params, Reply> {
        let trimmed = body.trim_ascii();
        let ct = content_type.unwrap_or("").to_ascii_lowercase();
        let media = ct.split(';').next().unwrap_or("").trim();
        let is_json = media == "application/json"
            || media == "text/json"
            || (media.starts_with("application/") && media.ends_with("+json"));
        if trimmed.is_empty() || !(is_json || media == "application/x-www-form-urlencoded") {
            return Ok(Params::default());
        }
        if is_json {
            return match serde_json::from_slice::<Value>(trimmed) {
                Ok(Value::Object(map)) => Ok(Params::json(map)),
                Ok(_) => Err(Reply::bad_request("요청 본문은 JSON object 이어야 합니다.")),
                Err(_) => Err(Reply::bad_request(
                    "요청 본문의 JSON 형식이 올바르지 않습니다.",
                )),
            };
        }
        let text = std::str::from_utf8(trimmed)
            .map_err(|_| Reply::bad_request("요청 본문을 읽을 수 없습니다."))?;
        Ok(Params {
            map: parse_form(text),
            json: false,
        })
    }

    pub(crate) fn raw(&self, key: &str) -> Option<&Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// A value PortOne stores as text: a string as is, an object or array as its compact
    /// JSON (`custom_data` sent as an object is kept, not dropped).
    pub(crate) fn json_text(&self, key: &str) -> Option<String> {
        match self.raw(key)? {
            Value::String(s) if s.is_empty() => None,
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    }

    /// A scalar as text; `None` for absent, null or empty.
    pub(crate) fn string(&self, key: &str) -> Option<String> {
        match self.raw(key)? {
            Value::String(s) if s.is_empty() => None,
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub(crate) fn required(&self, key: &str) -> Result<String, Reply> {
        self.string(key).ok_or_else(|| missing(key))
    }

    pub(crate) fn amount(&self, key: &str) -> Result<Option<Amount>, Reply> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(v) => Amount::from_json(v)
                .map(Some)
                .ok_or_else(|| Reply::bad_request(format!("{key} 는 숫자여야 합니다."))),
        }
    }

    pub(crate) fn required_amount(&self, key: &str) -> Result<Amount, Reply> {
        self.amount(key)?.ok_or_else(|| missing(key))
    }

    /// An amount that must be more than zero (what a payment asks for).
    pub(crate) fn positive_amount(&self, key: &str) -> Result<Amount, Reply> {
        let amount = self.required_amount(key)?;
        if amount.is_negative() || amount.is_zero() {
            return Err(Reply::bad_request(format!(
                "{key} 는 0보다 커야 합니다. ({key}: {amount})"
            )));
        }
        Ok(amount)
    }

    /// An optional amount that may be zero but not negative.
    pub(crate) fn non_negative_amount(&self, key: &str) -> Result<Option<Amount>, Reply> {
        match self.amount(key)? {
            Some(a) if a.is_negative() => Err(Reply::bad_request(format!(
                "{key} 는 0 이상이어야 합니다. ({key}: {a})"
            ))),
            other => Ok(other),
        }
    }

    pub(crate) fn int(&self, key: &str) -> Result<Option<i64>, Reply> {
        let bad = || Reply::bad_request(format!("{key} 는 정수여야 합니다."));
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(bad),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| bad()),
            Some(_) => Err(bad()),
        }
    }

    pub(crate) fn required_int(&self, key: &str) -> Result<i64, Reply> {
        self.int(key)?.ok_or_else(|| missing(key))
    }

    pub(crate) fn bool(&self, key: &str) -> Option<bool> {
        match self.raw(key)? {
            Value::Bool(b) => Some(*b),
            Value::Number(n) => Some(n.as_i64() != Some(0)),
            Value::String(s) => match s.as_str() {
                "true" | "1" | "Y" | "y" => Some(true),
                "false" | "0" | "N" | "n" | "" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// A list parameter: an array (`key[]=a&key[]=b` in a query or form), or in a JSON body
    /// also a single scalar. In a query or form a plain `key=a` is another, scalar parameter
    /// to PHP, so the list is empty.
    pub(crate) fn strings(&self, key: &str) -> Vec<String> {
        match self.raw(key) {
            Some(Value::Array(items)) => items.iter().filter_map(scalar_text).collect(),
            Some(Value::Object(map)) => {
                indexed(map).iter().filter_map(|v| scalar_text(v)).collect()
            }
            Some(v) if self.json => scalar_text(v).into_iter().collect(),
            Some(_) | None => Vec::new(),
        }
    }

    /// `notice_url`: one URL, or a list (`/vbanks`, `/cvs`, Benepia take arrays).
    pub(crate) fn notice_urls(&self) -> Vec<String> {
        let list = self.strings("notice_url");
        if list.is_empty() {
            self.string("notice_url").into_iter().collect()
        } else {
            list
        }
    }

    /// An object parameter, or a JSON string holding one (the spec declares nested
    /// parameters as strings).
    pub(crate) fn object(&self, key: &str) -> Option<Map<String, Value>> {
        match self.raw(key)? {
            Value::Object(map) => Some(map.clone()),
            Value::String(s) => match serde_json::from_str(s) {
                Ok(Value::Object(map)) => Some(map),
                _ => None,
            },
            _ => None,
        }
    }

    /// An array parameter, a JSON string holding one, or PHP's indexed object.
    pub(crate) fn array(&self, key: &str) -> Option<Vec<Value>> {
        match self.raw(key)? {
            Value::Array(items) => Some(items.clone()),
            Value::Object(map) => Some(indexed(map).into_iter().cloned().collect()),
            Value::String(s) => match serde_json::from_str(s) {
                Ok(Value::Array(items)) => Some(items),
                _ => None,
            },
            _ => None,
        }
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Values of `{"0": a, "1": b}` in index order.
fn indexed(map: &Map<String, Value>) -> Vec<&Value> {
    let mut entries: Vec<(u64, &Value)> = map
        .iter()
        .map(|(k, v)| (k.parse().unwrap_or(u64::MAX), v))
        .collect();
    entries.sort_by_key(|(i, _)| *i);
    entries.into_iter().map(|(_, v)| v).collect()
}

fn parse_form(text: &str) -> Map<String, Value> {
    let mut root = Map::new();
    for (key, value) in form_urlencoded::parse(text.as_bytes()) {
        let (base, path) = split_brackets(&key);
        if base.is_empty() {
            continue;
        }
        insert(&mut root, base, &path, Value::String(value.into_owned()));
    }
    root
}

/// `a[b][]` → (`a`, [`b`, ``]).
fn split_brackets(key: &str) -> (&str, Vec<&str>) {
    let Some(open) = key.find('[') else {
        return (key, Vec::new());
    };
    let base = &key[..open];
    let mut path = Vec::new();
    let mut rest = &key[open..];
    while let Some(stripped) = rest.strip_prefix('[') {
        let Some(close) = stripped.find(']') else {
            // PHP keeps a malformed key whole.
            return (key, Vec::new());
        };
        path.push(&stripped[..close]);
        rest = &stripped[close + 1..];
    }
    (base, path)
}

fn insert(map: &mut Map<String, Value>, key: &str, path: &[&str], value: Value) {
    let Some((first, rest)) = path.split_first() else {
        map.insert(key.to_owned(), value);
        return;
    };
    let slot = map.entry(key.to_owned()).or_insert(Value::Null);
    insert_at(slot, first, rest, value);
}

fn insert_at(slot: &mut Value, seg: &str, rest: &[&str], value: Value) {
    if seg.is_empty() {
        if !slot.is_array() {
            *slot = Value::Array(Vec::new());
        }
        if let Value::Array(items) = slot {
            match rest.split_first() {
                None => items.push(value),
                Some((next, more)) => {
                    let mut child = Value::Null;
                    insert_at(&mut child, next, more, value);
                    items.push(child);
                }
            }
        }
        return;
    }
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    if let Value::Object(map) = slot {
        insert(map, seg, rest, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn php_brackets() {
        let p = Params::from_query(Some(
            "imp_uid[]=a&imp_uid[]=b&sender[name]=%ED%99%8D&schedules[0][amount]=1&x=1&x=2",
        ));
        assert_eq!(p.strings("imp_uid"), vec!["a", "b"]);
        assert_eq!(
            p.object("sender"),
            json!({"name": "홍"}).as_object().cloned()
        );
        assert_eq!(p.array("schedules"), Some(vec![json!({"amount": "1"})]));
        assert_eq!(p.string("x").as_deref(), Some("2"));
        // Without brackets the array is not there.
        assert!(
            Params::from_query(Some("imp_uid=a"))
                .strings("imp_uid")
                .is_empty()
        );
        let j = Params::from_body(Some("application/json"), br#"{"imp_uid": "a"}"#);
        assert_eq!(j.unwrap_or_default().strings("imp_uid"), vec!["a"]);
    }

    #[test]
    fn only_the_content_type_decides() {
        let body = br#"{"amount": 1000}"#;
        for ct in [
            None,
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
        ] {
            let p = Params::from_body(ct, body).unwrap_or_default();
            assert!(p.amount("amount").ok().flatten().is_none(), "{ct:?}");
        }
        for ct in ["application/json; charset=utf-8", "Application/JSON"] {
            let p = Params::from_body(Some(ct), body).unwrap_or_default();
            assert!(p.amount("amount").ok().flatten().is_some(), "{ct}");
        }
    }

    #[test]
    fn custom_data_objects_become_json_text() {
        let p = Params::from_body(
            Some("application/json"),
            br#"{"a": {"x": [1, "y"]}, "b": "text", "c": 5, "d": ""}"#,
        )
        .unwrap_or_default();
        assert_eq!(p.json_text("a").as_deref(), Some(r#"{"x":[1,"y"]}"#));
        assert_eq!(p.json_text("b").as_deref(), Some("text"));
        assert_eq!(p.json_text("c").as_deref(), Some("5"));
        assert_eq!(p.json_text("d"), None);
        let f = Params::from_query(Some("custom_data[order]=7"));
        assert_eq!(
            f.json_text("custom_data").as_deref(),
            Some(r#"{"order":"7"}"#)
        );
    }

    #[test]
    fn amounts_that_pay_must_be_positive() {
        let p = Params::from_body(
            Some("application/json"),
            br#"{"zero": 0, "neg": -1, "one": "1", "frac": 0.5}"#,
        )
        .unwrap_or_default();
        assert!(p.positive_amount("zero").is_err());
        assert!(p.positive_amount("neg").is_err());
        assert!(p.positive_amount("missing").is_err());
        assert!(p.positive_amount("one").is_ok());
        assert!(p.positive_amount("frac").is_ok());
        assert!(p.non_negative_amount("zero").is_ok());
        assert!(p.non_negative_amount("neg").is_err());
    }

    #[test]
    fn json_and_form_bodies() {
        let j = Params::from_body(Some("application/json"), br#"{"amount": 1000}"#);
        let f = Params::from_body(
            Some("application/x-www-form-urlencoded"),
            b"amount=1000&ok=true",
        );
        let (j, f) = (j.unwrap_or_default(), f.unwrap_or_default());
        assert_eq!(
            j.required_amount("amount").ok(),
            f.required_amount("amount").ok()
        );
        assert_eq!(f.bool("ok"), Some(true));
        assert!(Params::from_body(Some("application/json"), b"[1]").is_err());
        assert!(Params::from_body(Some("application/json"), b"{").is_err());
    }

    #[test]
    fn empty_strings_are_absent() {
        let p = Params::from_query(Some("a=&b=x"));
        assert!(p.string("a").is_none());
        assert!(p.required("a").is_err());
        assert_eq!(p.required("b").ok().as_deref(), Some("x"));
    }
}
