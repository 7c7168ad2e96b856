//! Request parameters: the JSON body clients send, the form-encoded body PortOne also
//! accepts, and query strings, all read into one JSON object. Form and query keys follow
//! PHP's bracket rules (`imp_uid[]=a`, `sender[name]=b`, `schedules[0][amount]=1`), and a
//! repeated plain key keeps its last value, as PortOne's PHP server does.

use serde_json::{Map, Value};

use crate::amount::Amount;
use crate::reply::{Reply, missing};

#[derive(Debug, Default)]
pub(crate) struct Params(pub(crate) Map<String, Value>);

impl Params {
    pub(crate) fn from_query(query: Option<&str>) -> Params {
        Params(query.map(parse_form).unwrap_or_default())
    }

    /// Reads a body by its content type; without one, a body that starts with `{` is JSON.
    pub(crate) fn from_body(content_type: Option<&str>, body: &[u8]) -> Result<Params, Reply> {
        let trimmed = body.trim_ascii();
        if trimmed.is_empty() {
            return Ok(Params::default());
        }
        let ct = content_type.unwrap_or("").to_ascii_lowercase();
        let is_json = ct.contains("json") || (!ct.contains("form") && trimmed.starts_with(b"{"));
        if is_json {
            return match serde_json::from_slice::<Value>(trimmed) {
                Ok(Value::Object(map)) => Ok(Params(map)),
                Ok(_) => Err(Reply::bad_request("요청 본문은 JSON object 이어야 합니다.")),
                Err(_) => Err(Reply::bad_request(
                    "요청 본문의 JSON 형식이 올바르지 않습니다.",
                )),
            };
        }
        let text = std::str::from_utf8(trimmed)
            .map_err(|_| Reply::bad_request("요청 본문을 읽을 수 없습니다."))?;
        Ok(Params(parse_form(text)))
    }

    pub(crate) fn raw(&self, key: &str) -> Option<&Value> {
        self.0.get(key).filter(|v| !v.is_null())
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

    /// A list parameter: an array, or a single scalar.
    pub(crate) fn strings(&self, key: &str) -> Vec<String> {
        match self.raw(key) {
            Some(Value::Array(items)) => items.iter().filter_map(scalar_text).collect(),
            Some(Value::Object(map)) => {
                indexed(map).iter().filter_map(|v| scalar_text(v)).collect()
            }
            Some(v) => scalar_text(v).into_iter().collect(),
            None => Vec::new(),
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
