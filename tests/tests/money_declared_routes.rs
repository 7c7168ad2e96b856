//! PortOne's money rules follow the route, not the declaration: a user who declares a money
//! route with `#[portone::api]` (or builds the request by hand) gets the rule of the route
//! whether or not the declaration says `charge`. A declined charge is `Error::Declined`, a
//! `ready` one `Error::Unsettled`, a timed-out one an unknown outcome sent once; a refund or
//! a virtual account's change is never sent again after a timeout, although a `PUT` otherwise
//! is; asking a hand-built money request to be retried is refused before anything is sent.
//!
//! The compile-time side (`idempotent` on a money route is an error naming the route) is in
//! `tests/ui/fail/money/`.

mod common;

use std::time::Duration;

use portone::model::{Payment, PaymentStatus};
use portone::{Client, Endpoint, Error, Execute, Method, Money, Request, RequestError};
use serde_json::{Value, json};
use wiremock::{MockServer, ResponseTemplate};

/// Short, since a timeout is the point, yet long enough for a request to arrive on a busy
/// machine; the server waits thirty times longer.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(1);
const SERVER_DELAY: Duration = Duration::from_secs(30);

/// A user's declarations of documented money routes, none of which says `charge`.
#[portone::api]
trait Plain {
    #[post("/subscribe/payments/again")]
    async fn again(&self, #[body] body: &Value) -> portone::Result<Payment>;

    #[post("/payments/cancel")]
    async fn cancel(&self, #[body] body: &Value) -> portone::Result<Payment>;

    /// A `PUT`, which the client otherwise sends again after a lost answer.
    #[put("/vbanks/<imp_uid>")]
    async fn modify_vbank(&self, imp_uid: &str, #[body] body: &Value) -> portone::Result<Payment>;

    /// Never documented; older SDKs call it with card data, as `onetime`.
    #[post("/subscribe/payments/foreign", undocumented)]
    async fn foreign(&self, #[body] body: &Value) -> portone::Result<Payment>;
}

/// The same charge, declared as the docs show it.
#[portone::api]
trait Charging {
    #[post("/subscribe/payments/again", charge)]
    async fn again(&self, #[body] body: &Value) -> portone::Result<Payment>;
}

/// One declaration for several routes, whose placeholder can stand for a money route's
/// literal: the rule is the route's, known when the request is built.
#[portone::api]
trait Generic {
    #[post("/payments/<action>", idempotent, undocumented)]
    async fn payments_action(&self, action: &str, #[body] body: &Value)
    -> portone::Result<Payment>;

    #[post("/subscribe/payments/<how>", undocumented)]
    async fn subscribe_payment(&self, how: &str, #[body] body: &Value) -> portone::Result<Payment>;
}

/// A payment for `order` in `status`, in PortOne's envelope.
fn payment(status: &str) -> Value {
    let mut body = common::paid_card_in(status);
    if status == "failed" {
        body["response"]["fail_reason"] = json!("잔액부족");
    }
    body
}

async fn serve(verb: &str, route: &str, answer: ResponseTemplate) -> (MockServer, Client) {
    common::answering(verb, route, answer, Some(CLIENT_TIMEOUT)).await
}

/// How many requests other than getToken reached the server.
async fn arrivals(server: &MockServer) -> usize {
    common::arrivals(server, None).await
}

/// A call that timed out may have reached PortOne: the outcome is unknown.
fn timed_out_unknown(error: Option<&Error>) {
    assert!(
        error.is_some_and(|e| e.is_timeout() && e.is_outcome_unknown()),
        "{error:?}"
    );
}

/// A charge answered `failed` must be Declined (known), one answered `ready` Unsettled.
fn declined_or_unsettled(status: &str, error: Option<&Error>) {
    let declined = status == "failed";
    assert_eq!(
        error.map(Error::is_declined),
        Some(declined),
        "{status}: {error:?}"
    );
    assert_eq!(
        error.map(Error::is_outcome_unknown),
        Some(!declined),
        "{status}: {error:?}"
    );
}

fn body() -> Value {
    json!({"customer_uid": "customer-1", "merchant_uid": "57008833-33010", "amount": 1, "name": "x"})
}

/// The three ways to send the charge: declared without `charge`, with it, by hand.
#[derive(Clone, Copy, Debug)]
enum Way {
    Plain,
    Charging,
    ByHand,
}

impl Way {
    const ALL: [Way; 3] = [Way::Plain, Way::Charging, Way::ByHand];

    async fn again(self, client: &Client) -> portone::Result<Payment> {
        match self {
            Way::Plain => Plain::again(client, &body()).await,
            Way::Charging => Charging::again(client, &body()).await,
            // No `.charge(true)`: the route says what it is.
            Way::ByHand => {
                let request = Request::builder(Method::POST, "/subscribe/payments/again")
                    .path("/subscribe/payments/again")
                    .json(&body())
                    .build()?;
                assert_eq!(request.money(), Money::Charges);
                client.call(request).await
            }
        }
    }
}

const AGAIN: &str = "/subscribe/payments/again";

#[tokio::test]
async fn a_declared_charge_is_declined_unsettled_or_unknown_with_or_without_charge() {
    for way in Way::ALL {
        let paid = ResponseTemplate::new(200).set_body_json(payment("paid"));
        let (_server, client) = serve("POST", AGAIN, paid).await;
        let ok = way.again(&client).await;
        assert!(
            ok.as_ref().is_ok_and(|p| p.status == PaymentStatus::Paid),
            "{way:?}: {ok:?}"
        );

        let failed = ResponseTemplate::new(200).set_body_json(payment("failed"));
        let (server, client) = serve("POST", AGAIN, failed).await;
        let error = way.again(&client).await.err();
        let declined = error.as_ref().and_then(Error::declined);
        assert_eq!(
            declined.and_then(|d| d.fail_reason.as_deref()),
            Some("잔액부족"),
            "{way:?}: {error:?}"
        );
        assert!(error.as_ref().is_some_and(|e| !e.is_outcome_unknown()));
        assert_eq!(arrivals(&server).await, 1, "{way:?}");

        let ready = ResponseTemplate::new(200).set_body_json(payment("ready"));
        let (server, client) = serve("POST", AGAIN, ready).await;
        let error = way.again(&client).await.err();
        let unsettled = error.as_ref().and_then(Error::unsettled);
        assert_eq!(
            unsettled.and_then(|u| u.payment_status.as_deref()),
            Some("ready"),
            "{way:?}: {error:?}"
        );
        assert!(error.as_ref().is_some_and(Error::is_outcome_unknown));
        assert_eq!(arrivals(&server).await, 1, "{way:?}");

        let late = ResponseTemplate::new(200)
            .set_body_json(payment("paid"))
            .set_delay(SERVER_DELAY);
        let (server, client) = serve("POST", AGAIN, late).await;
        let error = way.again(&client).await.err();
        timed_out_unknown(error.as_ref());
        assert_eq!(arrivals(&server).await, 1, "{way:?}");
    }
}

#[test]
fn endpoints_carry_the_routes_rule_not_the_declarations() {
    let rule = |endpoints: &[Endpoint], name: &str| {
        endpoints
            .iter()
            .find(|e| e.name == name)
            .map(|e| (e.money, e.idempotent))
    };
    let plain = <Client as Plain>::ENDPOINTS;
    assert_eq!(rule(plain, "again"), Some((Money::Charges, false)));
    assert_eq!(rule(plain, "cancel"), Some((Money::Moves, false)));
    assert_eq!(rule(plain, "modify_vbank"), Some((Money::Moves, false)));
    assert_eq!(rule(plain, "foreign"), Some((Money::Charges, false)));
    let charging = <Client as Charging>::ENDPOINTS;
    assert_eq!(rule(charging, "again"), Some((Money::Charges, false)));
}

#[tokio::test]
async fn a_declared_refund_is_never_sent_again_after_a_timeout() {
    let late = ResponseTemplate::new(200)
        .set_body_json(payment("cancelled"))
        .set_delay(SERVER_DELAY);
    let (server, client) = serve("POST", "/payments/cancel", late).await;
    let refund = json!({"imp_uid": "imp_088022300265", "amount": 1, "checksum": 1});
    let error = Plain::cancel(&client, &refund).await.err();
    timed_out_unknown(error.as_ref());
    assert_eq!(arrivals(&server).await, 1);

    // A gateway error on it is not retried either, though a 503 is on a lookup.
    let (server, client) = serve("POST", "/payments/cancel", ResponseTemplate::new(503)).await;
    let error = Plain::cancel(&client, &refund).await.err();
    assert!(
        error.as_ref().is_some_and(Error::is_outcome_unknown),
        "{error:?}"
    );
    assert_eq!(arrivals(&server).await, 1);
}

#[tokio::test]
async fn a_declared_put_that_moves_money_is_not_retried_like_other_puts() {
    let route = "/vbanks/imp_088022300265";
    let late = ResponseTemplate::new(200)
        .set_body_json(payment("ready"))
        .set_delay(SERVER_DELAY);
    let (server, client) = serve("PUT", route, late).await;
    let change = json!({"vbank_amount": 2});
    let error = Plain::modify_vbank(&client, "imp_088022300265", &change)
        .await
        .err();
    timed_out_unknown(error.as_ref());
    assert_eq!(arrivals(&server).await, 1);

    // The same PUT to a route that moves no money is retried after a gateway error.
    let (server, client) = serve("PUT", "/a/put/of/mine", ResponseTemplate::new(503)).await;
    let request = Request::builder(Method::PUT, "/a/put/of/mine")
        .path("/a/put/of/mine")
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(request.is_idempotent());
    let error = client.call::<()>(request).await.err();
    assert!(
        error.as_ref().is_some_and(|e| !e.is_outcome_unknown()),
        "{error:?}"
    );
    assert_eq!(arrivals(&server).await, 3);
}

#[tokio::test]
async fn a_hand_built_refund_asked_to_be_retried_is_refused_and_sends_nothing() {
    let paid = ResponseTemplate::new(200).set_body_json(payment("cancelled"));
    let (server, client) = serve("POST", "/payments/cancel", paid).await;
    for route in ["/payments/cancel", "/payments/cancel/"] {
        let built = Request::builder(Method::POST, "/payments/cancel")
            .path(route)
            .json(&json!({"imp_uid": "imp_088022300265"}))
            .idempotent(true)
            .build();
        let error = match built {
            Ok(request) => client.call::<Payment>(request).await.map(drop).err(),
            Err(e) => Some(e),
        };
        let Some(Error::InvalidRequest(RequestError::RetriedMoneyRoute { route: named })) = &error
        else {
            panic!("{route}: {error:?}")
        };
        assert_eq!(*named, "/payments/cancel");
        assert!(!error.as_ref().is_some_and(Error::is_outcome_unknown));
    }
    assert_eq!(arrivals(&server).await, 0);
}

#[tokio::test]
async fn an_undocumented_foreign_charge_gets_the_charge_rule() {
    let route = "/subscribe/payments/foreign";
    let card = json!({"merchant_uid": "57008833-33010", "amount": 1, "card_number": "4111-1111-1111-1111", "expiry": "2031-12"});
    for status in ["failed", "ready"] {
        let answer = ResponseTemplate::new(200).set_body_json(payment(status));
        let (server, client) = serve("POST", route, answer).await;
        let error = Plain::foreign(&client, &card).await.err();
        declined_or_unsettled(status, error.as_ref());
        assert_eq!(arrivals(&server).await, 1);
    }
    // By hand too, and `.charge(false)` cannot make it something else.
    let answer = ResponseTemplate::new(200).set_body_json(payment("failed"));
    let (_server, client) = serve("POST", route, answer).await;
    let request = Request::builder(Method::POST, route)
        .path(route)
        .json(&card)
        .charge(false)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(request.money(), Money::Charges);
    let error = client.call::<Payment>(request).await.err();
    assert!(error.as_ref().is_some_and(Error::is_declined), "{error:?}");
}

#[tokio::test]
async fn a_placeholder_that_names_a_money_route_gets_its_rule_when_sent() {
    // `idempotent` on `/payments/<action>` compiles; sent as `/payments/cancel`, it is refused
    // before anything leaves.
    let answer = ResponseTemplate::new(503);
    let (server, client) = serve("POST", "/payments/cancel", answer).await;
    let refund = json!({"imp_uid": "imp_088022300265"});
    let error = Generic::payments_action(&client, "cancel", &refund)
        .await
        .err();
    assert!(
        matches!(
            error,
            Some(Error::InvalidRequest(
                RequestError::RetriedMoneyRoute { .. }
            ))
        ),
        "{error:?}"
    );
    assert_eq!(arrivals(&server).await, 0);

    // `/subscribe/payments/<how>` sent as `again` is a charge: declined, unsettled, once.
    for status in ["failed", "ready"] {
        let answer = ResponseTemplate::new(200).set_body_json(payment(status));
        let (server, client) = serve("POST", AGAIN, answer).await;
        let error = Generic::subscribe_payment(&client, "again", &body())
            .await
            .err();
        declined_or_unsettled(status, error.as_ref());
        assert_eq!(arrivals(&server).await, 1);
    }
}
