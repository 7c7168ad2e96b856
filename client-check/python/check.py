"""Drives a running portone-mock with PortOne's official Python client, iamport-rest-client.

Usage: python check.py BASE_URL API_KEY API_SECRET

Each step calls the client as a shop would and asserts what it returned; the payments
themselves are made through the mock's admin API (what a buyer's browser would do). Ends
with the plain line "N passed, M failed" and exits non-zero on any failure.

What the client needs (read from its source, iamport/client.py, version 0.9.0):
- `imp_url` must end with "/": it formats "{imp_url}users/getToken".
- It sends the token as `Authorization: <token>` (no "Bearer"), and fetches a new token
  before every call, as the live server allows (the same token comes back while valid).
- `get_response` raises `HttpError` on any status but 200 and `ResponseError` on a
  `code` other than 0: a declined charge (code 0, status "failed") comes back as a payment.
- `find_by_status` passes `params=` to `_get`, which does not take it: unusable, skipped.
- It never sends a trailing slash itself; PortOne's PHP client does on every refund
  (`/payments/cancel/`), so that step goes through the client's own `_post` with that path.
"""

import json
import sys
import traceback

import requests
from iamport import Iamport

BASE, KEY, SECRET = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
# portone_mock::cards: approved, and declined by the issuer for lack of funds.
APPROVED = "4111-1111-1111-1111"
INSUFFICIENT_FUNDS = "5555-0000-0000-0051"

client = Iamport(imp_key=KEY, imp_secret=SECRET, imp_url=BASE + "/")
passed, failed = 0, 0


def checkout(merchant_uid, amount):
    """A payment the buyer made in the browser, through the mock's admin API."""
    answer = requests.post(
        BASE + "/__mock/checkout",
        data=json.dumps({"merchant_uid": merchant_uid, "amount": amount}),
        timeout=30,
    ).json()
    assert answer["code"] == 0, answer
    return answer["response"]["imp_uid"]


def step(name):
    def run(f):
        global passed, failed
        try:
            f()
            passed += 1
            print(f"ok   {name}")
        except Exception:  # noqa: BLE001 - every failure is reported, then counted
            failed += 1
            print(f"FAIL {name}")
            traceback.print_exc()
        return f

    return run


@step("getToken")
def _():
    token = client._get_token()
    assert isinstance(token, str) and len(token) == 40, token


state = {}


@step("checkout through the admin API, then lookups by imp_uid and merchant_uid")
def _():
    state["imp_uid"] = checkout("py-order-1", 10000)
    by_uid = client.find(imp_uid=state["imp_uid"])
    assert (by_uid["status"], by_uid["amount"]) == ("paid", 10000), by_uid
    by_order = client.find(merchant_uid="py-order-1")
    assert by_order["imp_uid"] == state["imp_uid"], by_order
    assert client.is_paid(10000, imp_uid=state["imp_uid"])


@step("a partial refund guarded by checksum, then a full refund")
def _():
    partial = client.cancel("partial", imp_uid=state["imp_uid"], amount=3000, checksum=10000)
    assert (partial["status"], partial["cancel_amount"]) == ("paid", 3000), partial
    full = client.cancel("the rest", merchant_uid="py-order-1")
    assert (full["status"], full["cancel_amount"]) == ("cancelled", 10000), full


@step("a refund on /payments/cancel/ (trailing slash, as PortOne's PHP client sends it)")
def _():
    imp_uid = checkout("py-order-2", 5000)
    refund = client._post(BASE + "/payments/cancel/", {"imp_uid": imp_uid, "reason": "php"})
    assert refund["status"] == "cancelled", refund


@step("a billing key, and a charge with it")
def _():
    key = client.customer_create(
        customer_uid="py-key-1", card_number=APPROVED, expiry="2099-12", birth="900101"
    )
    assert key["card_number"] == "411111******1111", key
    assert client.customer_get("py-key-1")["customer_uid"] == "py-key-1"
    paid = client.pay_again(
        customer_uid="py-key-1", merchant_uid="py-again-1", amount=2500, name="monthly"
    )
    assert (paid["status"], paid["amount"]) == ("paid", 2500), paid


@step("a charge the card company declines: code 0, the payment failed")
def _():
    client.customer_create(
        customer_uid="py-key-poor", card_number=INSUFFICIENT_FUNDS, expiry="2099-12", birth="900101"
    )
    declined = client.pay_again(
        customer_uid="py-key-poor", merchant_uid="py-again-2", amount=2500, name="monthly"
    )
    assert (declined["status"], declined["fail_reason"]) == ("failed", "잔액부족"), declined
    assert not client.is_paid(2500, response=declined)


@step("an unknown customer: ResponseError, code 1, PortOne's words")
def _():
    try:
        client.pay_again(customer_uid="py-ghost", merchant_uid="py-again-3", amount=100, name="x")
    except Iamport.ResponseError as e:
        assert (e.code, e.message) == (1, "등록되지 않은 구매자입니다."), (e.code, e.message)
    else:
        raise AssertionError("an unknown customer was charged")


@step("a card number that fails the Luhn check: code -1, no payment recorded")
def _():
    try:
        client.pay_onetime(
            merchant_uid="py-luhn", amount=100, card_number="1234-1234-1234-1234",
            expiry="2099-12", birth="900101", pwd_2digit="00",
        )
    except Iamport.ResponseError as e:
        assert e.code == -1 and "유효하지않은 카드번호" in e.message, (e.code, e.message)
    else:
        raise AssertionError("a card that fails the Luhn check was charged")
    try:
        client.find(merchant_uid="py-luhn")
    except Iamport.HttpError as e:
        assert e.code == 404, e.code
    else:
        raise AssertionError("the refused payment was recorded")


@step("a one-time payment with a card issued abroad (/subscribe/payments/foreign)")
def _():
    paid = client.pay_foreign(
        merchant_uid="py-foreign-1", amount=1200, card_number=APPROVED, expiry="2099-12"
    )
    assert (paid["status"], paid["amount"]) == ("paid", 1200), paid


print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
