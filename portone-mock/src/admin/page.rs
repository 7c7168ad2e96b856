//! The pay page: `GET /__mock/pay` stands in for the PG's payment window that PortOne's
//! browser SDK opens, so that a front-end test has something to click. A plain HTML form,
//! no script and no outside asset: approving, declining or cancelling completes the
//! checkout in the mock (`POST /__mock/pay`), then answers `303 See Other` to the
//! merchant's `redirect_url` with `imp_uid`, `merchant_uid`, `imp_success` and, when the
//! payment failed, `error_msg`, as PortOne's redirect (`m_redirect_url`) does.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use reqwest::Url;

use std::sync::Arc;

use super::complete;
use crate::checkout::Checkout;
use crate::reply::Reply;
use crate::shared::Shared;

/// The fields the page takes, in its query and then in its form; any other is ignored.
const FIELDS: [&str; 14] = [
    "merchant_uid",
    "amount",
    "redirect_url",
    "name",
    "pay_method",
    "pg",
    "currency",
    "buyer_name",
    "buyer_email",
    "buyer_tel",
    "tier",
    "sandbox",
    "notice_url",
    "custom_data",
];

/// The `fail_reason` of a payment the page declined, as a card company words it.
pub(crate) const DECLINED: &str = "카드사에서 승인을 거절하였습니다.";

/// The first value of each known field.
fn fields(encoded: &[u8]) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for (k, v) in form_urlencoded::parse(encoded) {
        if FIELDS.contains(&k.as_ref()) || k == "action" {
            map.entry(k.into_owned()).or_insert_with(|| v.into_owned());
        }
    }
    map
}

/// What the buyer clicked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Approve,
    Decline,
    Cancel,
}

/// The order the page shows, read and checked from its fields.
struct Order {
    merchant_uid: String,
    amount: String,
    redirect: Url,
}

/// The order and where to send the buyer back; refused before the buyer sees a page
/// that cannot work.
fn read(fields: &HashMap<String, String>) -> Result<Order, Reply> {
    let get = |name: &str| fields.get(name).filter(|v| !v.is_empty()).cloned();
    let needs =
        || Reply::bad_request("the pay page needs `merchant_uid`, `amount` and `redirect_url`");
    let redirect = get("redirect_url").ok_or_else(needs)?;
    let redirect = Url::parse(&redirect)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
        .ok_or_else(|| Reply::bad_request("`redirect_url` must be an absolute http(s) URL"))?;
    sandbox(fields)?;
    let merchant_uid = get("merchant_uid").ok_or_else(needs)?;
    let amount = get("amount").unwrap_or_default();
    if crate::amount::Amount::parse(amount.trim()).is_none_or(|a| a.is_negative()) {
        return Err(Reply::bad_request("`amount` must be a number, 0 or more"));
    }
    Ok(Order {
        merchant_uid,
        amount,
        redirect,
    })
}

fn sandbox(fields: &HashMap<String, String>) -> Result<Option<bool>, Reply> {
    match fields.get("sandbox").map(String::as_str) {
        None | Some("") => Ok(None),
        Some("true" | "1") => Ok(Some(true)),
        Some("false" | "0") => Ok(Some(false)),
        Some(_) => Err(Reply::bad_request("`sandbox` must be true or false")),
    }
}

/// One of [`Checkout`]'s text setters.
type Setter = fn(Checkout, &str) -> Checkout;

/// The checkout the buyer's click completes.
fn checkout(
    fields: &HashMap<String, String>,
    order: &Order,
    action: Action,
) -> Result<Checkout, Reply> {
    let get = |name: &str| fields.get(name).filter(|v| !v.is_empty());
    let amount = serde_json::from_str::<serde_json::Number>(order.amount.trim())
        .map_err(|_| Reply::bad_request("`amount` must be a number, 0 or more"))?;
    let vbank = get("pay_method").is_some_and(|m| m == "vbank");
    let mut c = match action {
        Action::Approve if vbank => Checkout::vbank_ready(order.merchant_uid.clone(), amount),
        Action::Approve => Checkout::paid(order.merchant_uid.clone(), amount),
        Action::Decline => {
            Checkout::failed(order.merchant_uid.clone(), amount).fail_reason(DECLINED)
        }
        // The default reason of a failed checkout is the buyer's giving up.
        Action::Cancel => Checkout::failed(order.merchant_uid.clone(), amount),
    };
    let text: [(&str, Setter); 9] = [
        ("pay_method", Checkout::pay_method),
        ("pg", Checkout::pg),
        ("name", Checkout::name),
        ("buyer_name", Checkout::buyer_name),
        ("buyer_email", Checkout::buyer_email),
        ("buyer_tel", Checkout::buyer_tel),
        ("currency", Checkout::currency),
        ("custom_data", Checkout::custom_data),
        ("notice_url", Checkout::notice_url),
    ];
    for (name, set) in text {
        if let Some(v) = get(name) {
            c = set(c, v);
        }
    }
    if let Some(sandbox) = sandbox(fields)? {
        c = c.sandbox(sandbox);
    }
    Ok(c.tier(get("tier").map(String::as_str)))
}

/// Escapes text for HTML, in an element or a quoted attribute.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn html(status: StatusCode, body: String) -> Response {
    let mut res = (status, body).into_response();
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // Proves the page needs nothing from outside and runs no script.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    // The admin token may ride in the page's address: never send it on.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0}\
main{max-width:28rem;margin:3rem auto;background:#fff;padding:1.5rem 2rem;border-radius:.5rem;\
box-shadow:0 1px 4px rgba(0,0,0,.15)}h1{font-size:1.25rem}.note{color:#666;font-size:.9rem}\
dl{display:grid;grid-template-columns:auto 1fr;gap:.4rem 1rem}dt{color:#666}dd{margin:0;\
word-break:break-all}form{display:flex;gap:.5rem;flex-wrap:wrap;margin-top:1.5rem}\
button{flex:1;padding:.7rem;border:0;border-radius:.3rem;font-size:1rem;cursor:pointer}\
#approve{background:#2d6cdf;color:#fff}#decline{background:#d9534f;color:#fff}#cancel{background:#ddd}";

/// `GET /__mock/pay?merchant_uid=..&amount=..&redirect_url=..`: the payment window.
pub(super) async fn show(parts: Parts) -> Result<Response, Reply> {
    let query = parts.uri.query().unwrap_or_default();
    let given = fields(query.as_bytes());
    let order = read(&given)?;
    let token = form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "admin_token")
        .map(|(_, v)| v.into_owned());
    // Relative, so that the page works behind a proxy that mounts the mock on a prefix.
    let action = match token {
        Some(t) => format!(
            "pay?{}",
            form_urlencoded::Serializer::new(String::new())
                .append_pair("admin_token", &t)
                .finish()
        ),
        None => "pay".to_owned(),
    };
    let mut hidden = String::new();
    for name in FIELDS {
        if let Some(value) = given.get(name) {
            hidden.push_str(&format!(
                "<input type=\"hidden\" name=\"{name}\" value=\"{}\">\n",
                escape(value)
            ));
        }
    }
    let shown = |v: Option<&String>, default: &str| escape(v.map_or(default, String::as_str));
    let amount = escape(&order.amount);
    let body = format!(
        "<!doctype html>
<html lang=\"ko\">
<head>
<meta charset=\"utf-8\">
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">
<title>portone-mock 결제창 (payment window)</title>
<style>{STYLE}</style>
</head>
<body>
<main>
<h1>portone-mock 결제창 (payment window)</h1>
<p class=\"note\">A test payment window of portone-mock: no money moves.</p>
<dl>
<dt>주문명 (name)</dt><dd id=\"name\">{name}</dd>
<dt>merchant_uid</dt><dd id=\"merchant_uid\">{merchant_uid}</dd>
<dt>금액 (amount)</dt><dd id=\"amount\">{amount} {currency}</dd>
<dt>결제수단 (pay method)</dt><dd id=\"pay_method\">{pay_method}</dd>
</dl>
<form method=\"post\" action=\"{action}\">
{hidden}<button type=\"submit\" name=\"action\" value=\"approve\" id=\"approve\">승인 (approve)</button>
<button type=\"submit\" name=\"action\" value=\"decline\" id=\"decline\">거절 (decline)</button>
<button type=\"submit\" name=\"action\" value=\"cancel\" id=\"cancel\">취소 (cancel)</button>
</form>
</main>
</body>
</html>
",
        name = shown(given.get("name"), "-"),
        merchant_uid = escape(&order.merchant_uid),
        currency = shown(given.get("currency"), "KRW"),
        pay_method = shown(given.get("pay_method"), "card"),
        action = escape(&action),
    );
    Ok(html(StatusCode::OK, body))
}

/// `POST /__mock/pay`: the buyer's choice. Completes the checkout, then sends the buyer
/// back to `redirect_url` as PortOne does.
fn complete_form(shared: &Shared, body: &Bytes) -> Result<Response, Reply> {
    let given = fields(body);
    let order = read(&given)?;
    let action = match given.get("action").map(String::as_str) {
        Some("approve") => Action::Approve,
        Some("decline") => Action::Decline,
        Some("cancel") => Action::Cancel,
        _ => {
            return Err(Reply::bad_request(
                "`action` must be approve, decline or cancel",
            ));
        }
    };
    let payment = complete(shared, checkout(&given, &order, action)?)?.response;
    let mut redirect = order.redirect;
    let text = |name: &str| payment[name].as_str().unwrap_or_default().to_owned();
    let status = text("status");
    // A virtual account issued is a success too: the buyer has an account to pay into.
    let success = status == "paid" || (status == "ready" && text("pay_method") == "vbank");
    {
        let mut query = redirect.query_pairs_mut();
        query
            .append_pair("imp_uid", &text("imp_uid"))
            .append_pair("merchant_uid", &text("merchant_uid"))
            .append_pair("imp_success", if success { "true" } else { "false" });
        if !success {
            query.append_pair("error_msg", &text("fail_reason"));
        }
    }
    let location = redirect.to_string();
    let mut res = html(
        StatusCode::SEE_OTHER,
        format!(
            "<!doctype html>\n<title>portone-mock</title>\n<a href=\"{}\">Back to the shop</a>\n",
            escape(&location)
        ),
    );
    let location = HeaderValue::from_str(&location)
        .map_err(|_| Reply::bad_request("`redirect_url` cannot be sent back"))?;
    res.headers_mut().insert(header::LOCATION, location);
    Ok(res)
}

pub(super) async fn submit(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    match complete_form(&shared, &body) {
        Ok(res) => res,
        Err(reply) => reply.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_html_reads() {
        assert_eq!(
            escape(r#"<script>alert("x&y")</script>'"#),
            "&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;&#39;"
        );
    }

    #[test]
    fn only_absolute_http_redirects() {
        let with = |url: &str| {
            let mut f = HashMap::new();
            f.insert("merchant_uid".to_owned(), "m".to_owned());
            f.insert("amount".to_owned(), "1000".to_owned());
            f.insert("redirect_url".to_owned(), url.to_owned());
            read(&f).map(|o| o.redirect.to_string()).ok()
        };
        assert!(with("https://shop.example/done?x=1").is_some());
        assert!(with("http://127.0.0.1:3000/done").is_some());
        for bad in [
            "javascript:alert(1)",
            "data:text/html,hi",
            "/relative",
            "ftp://x/y",
            "",
        ] {
            assert!(with(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn amounts_are_checked_before_the_page_shows() {
        let mut f = HashMap::new();
        f.insert("merchant_uid".to_owned(), "m".to_owned());
        f.insert("redirect_url".to_owned(), "https://x.example/".to_owned());
        for bad in ["", "abc", "-5"] {
            f.insert("amount".to_owned(), bad.to_owned());
            assert!(read(&f).is_err(), "{bad}");
        }
    }
}
