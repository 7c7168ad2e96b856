//! What a server on 127.0.0.1 receives from methods declared with `#[portone::api]`, sent
//! through a real `portone::Client`: the exact method, raw path, raw query string, headers and
//! body for every kind of argument and verb option.

use std::time::Duration;

use portone::{Client, RetryPolicy};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[derive(Debug, Deserialize)]
struct Payment {
    imp_uid: String,
}

#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
enum Status {
    Paid,
}

#[derive(Debug, Serialize)]
struct Paging {
    page: u32,
    limit: Option<u32>,
    #[serde(rename = "sorting")]
    sort: &'static str,
}

#[derive(Debug, Serialize)]
struct Cancel {
    imp_uid: &'static str,
    amount: u64,
    reason: Option<&'static str>,
}

#[portone::api]
trait Api {
    #[get("/payments/<imp_uid>")]
    async fn payment(&self, imp_uid: &str) -> portone::Result<Payment>;

    #[get("/payments/find/<merchant_uid>/<status?>")]
    async fn find(
        &self,
        merchant_uid: &str,
        status: Option<Status>,
        #[query] sorting: Option<&str>,
    ) -> portone::Result<Payment>;

    #[get("/payments")]
    async fn payments(
        &self,
        #[query("imp_uid[]")] imp_uids: &[&str],
        #[query("merchant_uid[]")] merchant_uids: &[&str],
    ) -> portone::Result<Vec<Payment>>;

    #[get("/payments/status/<status>")]
    async fn by_status(
        &self,
        status: Status,
        #[query(flatten)] paging: &Paging,
    ) -> portone::Result<Value>;

    #[post("/payments/cancel")]
    async fn cancel(&self, #[body] request: &Cancel) -> portone::Result<Payment>;

    #[get("/vbanks/holder", timeout_ms = 5000, undocumented)]
    async fn holder(
        &self,
        #[query] bank_code: &str,
        #[query] bank_num: &str,
        #[header("X-Request-Id")] request_id: Option<&str>,
    ) -> portone::Result<Value>;

    #[put("/subscribe/customers/<customer_uid>", undocumented)]
    async fn put_customer(
        &self,
        customer_uid: &str,
        #[body] customer: &Value,
    ) -> portone::Result<Value>;

    #[patch("/things/<id>", undocumented)]
    async fn patch_thing(&self, id: u64, #[body] patch: Value) -> portone::Result<Value>;

    #[delete("/subscribe/customers/<customer_uid>")]
    async fn delete_customer(
        &self,
        customer_uid: &str,
        #[query] reason: Option<&str>,
    ) -> portone::Result<Value>;

    #[post("/payments/prepare/check", idempotent, undocumented)]
    async fn read_only_post(&self, #[body] body: &Value) -> portone::Result<Value>;

    #[post("/payments/onetime", undocumented)]
    async fn money_post(&self, #[body] body: &Value) -> portone::Result<Value>;
}

const TOKEN: &str = r#"{"code":0,"message":null,"response":{"access_token":"tok","now":1700000000,"expired_at":1700001800}}"#;

fn envelope(response: Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"code": 0, "message": null, "response": response}))
}

/// A server that hands out tokens and answers every other request with `response`, and a
/// client pointed at it whose retries do not wait.
async fn serve(response: Value) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/users/getToken"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(TOKEN, "application/json"))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(envelope(response))
        .with_priority(u8::MAX)
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key("k")
        .api_secret("s")
        .base_url(server.uri())
        .retry(RetryPolicy::new(2).base_delay(Duration::from_millis(1)))
        .build()
        .expect("client builds");
    (server, client)
}

/// Every request but token fetches, in the order received.
async fn api_requests(server: &MockServer) -> Vec<Request> {
    let all = server.received_requests().await.expect("recording is on");
    all.into_iter()
        .filter(|r| r.url.path() != "/users/getToken")
        .collect()
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = api_requests(server).await;
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .get(name)
        .map(|value| value.to_str().expect("ASCII header"))
}

/// `"GET /path?query"` exactly as it arrived.
fn request_line(request: &Request) -> String {
    match request.url.query() {
        Some(query) => format!("{} {}?{query}", request.method, request.url.path()),
        None => format!("{} {}", request.method, request.url.path()),
    }
}

#[tokio::test]
async fn path_parameter_becomes_one_encoded_segment() {
    let (server, client) = serve(json!({"imp_uid": "imp_1"})).await;
    let payment = client.payment("imp/1 ?#한.").await.expect("call succeeds");
    assert_eq!(payment.imp_uid, "imp_1");

    let request = only_request(&server).await;
    assert_eq!(
        request_line(&request),
        "GET /payments/imp%2F1%20%3F%23%ED%95%9C."
    );
    assert_eq!(header(&request, "authorization"), Some("Bearer tok"));
    assert_eq!(header(&request, "accept"), Some("application/json"));
    assert_eq!(header(&request, "content-type"), None);
    assert_eq!(header(&request, "tier"), None);
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn optional_segment_and_query_are_sent_only_when_some() {
    let (server, client) = serve(json!({"imp_uid": "imp_1"})).await;
    client
        .find("order/1", Some(Status::Paid), Some("-paid"))
        .await
        .expect("with status");
    client.find("order-2", None, None).await.expect("without");

    let lines: Vec<_> = api_requests(&server)
        .await
        .iter()
        .map(request_line)
        .collect();
    assert_eq!(
        lines,
        [
            "GET /payments/find/order%2F1/paid?sorting=-paid",
            "GET /payments/find/order-2",
        ]
    );
}

#[tokio::test]
async fn sequence_query_repeats_its_key_in_argument_order() {
    let (server, client) = serve(json!([{"imp_uid": "a"}, {"imp_uid": "b&c"}])).await;
    let payments = client
        .payments(&["a", "b&c"], &["o/1"])
        .await
        .expect("call");
    assert_eq!(payments.len(), 2);
    assert_eq!(payments[1].imp_uid, "b&c");

    let request = only_request(&server).await;
    assert_eq!(
        request_line(&request),
        "GET /payments?imp_uid[]=a&imp_uid[]=b%26c&merchant_uid[]=o%2F1"
    );
}

#[tokio::test]
async fn struct_query_sends_its_fields_under_their_serde_names() {
    let (server, client) = serve(json!({})).await;
    let paging = Paging {
        page: 2,
        limit: None,
        sort: "-paid",
    };
    client.by_status(Status::Paid, &paging).await.expect("call");

    let request = only_request(&server).await;
    assert_eq!(
        request_line(&request),
        "GET /payments/status/paid?page=2&sorting=-paid"
    );
}

#[tokio::test]
async fn body_is_sent_as_json() {
    let (server, client) = serve(json!({"imp_uid": "imp_1"})).await;
    let cancel = Cancel {
        imp_uid: "imp_1",
        amount: 1000,
        reason: None,
    };
    client.cancel(&cancel).await.expect("call");

    let request = only_request(&server).await;
    assert_eq!(request_line(&request), "POST /payments/cancel");
    assert_eq!(
        header(&request, "content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(
        request.body,
        br#"{"imp_uid":"imp_1","amount":1000,"reason":null}"#
    );
}

#[tokio::test]
async fn header_is_sent_only_when_some() {
    let (server, client) = serve(json!({"bank_holder": "홍길동"})).await;
    let holder = client
        .holder("004", "123-45", Some("req-1"))
        .await
        .expect("with header");
    assert_eq!(holder, json!({"bank_holder": "홍길동"}));
    client.holder("004", "123-45", None).await.expect("without");

    let requests = api_requests(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(
        request_line(&requests[0]),
        "GET /vbanks/holder?bank_code=004&bank_num=123-45"
    );
    assert_eq!(header(&requests[0], "x-request-id"), Some("req-1"));
    assert_eq!(header(&requests[1], "x-request-id"), None);
}

#[tokio::test]
async fn put_patch_and_delete_send_their_verbs() {
    let (server, client) = serve(json!({})).await;
    client
        .put_customer("cust 1", &json!({"card_number": "x"}))
        .await
        .expect("put");
    client
        .patch_thing(7, json!({"a": [1, 2]}))
        .await
        .expect("patch");
    client
        .delete_customer("cust_1", Some("closed account"))
        .await
        .expect("delete");

    let requests = api_requests(&server).await;
    let lines: Vec<_> = requests.iter().map(request_line).collect();
    assert_eq!(
        lines,
        [
            "PUT /subscribe/customers/cust%201",
            "PATCH /things/7",
            "DELETE /subscribe/customers/cust_1?reason=closed%20account",
        ]
    );
    assert_eq!(requests[0].body, br#"{"card_number":"x"}"#);
    assert_eq!(requests[1].body, br#"{"a":[1,2]}"#);
    assert!(requests[2].body.is_empty());
}

#[tokio::test]
async fn tier_view_runs_generated_methods_with_its_tier() {
    let (server, client) = serve(json!({"imp_uid": "imp_1"})).await;
    let tiered = client.with_tier("A1B").expect("valid tier");
    tiered.payment("imp_1").await.expect("call");

    let request = only_request(&server).await;
    assert_eq!(header(&request, "tier"), Some("A1B"));
}

#[tokio::test]
async fn spawned_future_owns_its_arguments() {
    let (server, client) = serve(json!({"imp_uid": "imp_1"})).await;
    let imp_uid = String::from("imp_1");
    let future = client.payment(&imp_uid);
    drop(imp_uid);
    let task = tokio::spawn(future);
    drop(client);
    let payment = task.await.expect("task joins").expect("call succeeds");
    assert_eq!(payment.imp_uid, "imp_1");
    assert_eq!(
        request_line(&only_request(&server).await),
        "GET /payments/imp_1"
    );
}

#[tokio::test]
async fn bad_values_are_refused_before_anything_is_sent() {
    let (server, client) = serve(json!({"imp_uid": "imp_1"})).await;
    for value in ["", ".", ".."] {
        let error = client.payment(value).await.expect_err("refused");
        assert!(
            matches!(error, portone::Error::InvalidRequest(_)),
            "{value:?}: {error:?}"
        );
    }
    let error = client
        .holder("004", "1", Some("line\nbreak"))
        .await
        .expect_err("header value with a newline");
    assert!(
        matches!(error, portone::Error::InvalidRequest(_)),
        "{error:?}"
    );

    let received = server.received_requests().await.expect("recording is on");
    assert!(received.is_empty(), "{received:?}");
}

#[tokio::test]
async fn only_posts_marked_idempotent_are_retried() {
    let (server, client) = serve(json!(null)).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .with_priority(2)
        .mount(&server)
        .await;

    let error = client.read_only_post(&json!({})).await.expect_err("503");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    let error = client.money_post(&json!({})).await.expect_err("503");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));

    let lines: Vec<_> = api_requests(&server)
        .await
        .iter()
        .map(request_line)
        .collect();
    assert_eq!(
        lines,
        [
            "POST /payments/prepare/check",
            "POST /payments/prepare/check",
            "POST /payments/prepare/check",
            "POST /payments/onetime",
        ]
    );
}
