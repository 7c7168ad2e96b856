"""A Python project's tests against PortOne, with the wheel's fixtures and a plain HTTP
client standing in for the code under test."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, get_args

import pytest
from portone_mock import FaultKind, MockAdminError, MockError, MockServer

NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def call(
    mock: MockServer, method: str, path: str, token: str | None = None, body: Any = None
) -> tuple[int, str, bytes]:
    """One request to PortOne's API on the mock: status, content type, body."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        mock.base_url + path, data=data, headers=headers, method=method
    )
    try:
        with NO_PROXY.open(request, timeout=30) as answer:
            return answer.status, answer.headers["Content-Type"], answer.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers["Content-Type"], e.read()


def token(mock: MockServer) -> str:
    status, _, body = call(
        mock,
        "POST",
        "/users/getToken",
        body={"imp_key": mock.api_key, "imp_secret": mock.api_secret},
    )
    assert status == 200, body
    return str(json.loads(body)["response"]["access_token"])


def envelope(body: bytes) -> Any:
    return json.loads(body, parse_float=Decimal)


def test_a_checkout_is_what_a_plain_http_client_finds(portone_mock: MockServer) -> None:
    payment = portone_mock.checkout("order-1001", 15000, buyer_email="buyer@example.com")
    assert payment["status"] == "paid"

    access = token(portone_mock)
    status, _, body = call(portone_mock, "GET", f"/payments/{payment['imp_uid']}", access)
    assert status == 200
    found = envelope(body)
    assert found["code"] == 0
    assert found["response"]["merchant_uid"] == "order-1001"
    assert found["response"]["amount"] == 15000
    assert found["response"]["buyer_email"] == "buyer@example.com"
    assert portone_mock.get_token_calls() == 1


def test_a_partial_refund_guarded_by_the_balance(portone_mock: MockServer) -> None:
    imp_uid = portone_mock.checkout("order-1002", 15000)["imp_uid"]
    access = token(portone_mock)
    refund = {"imp_uid": imp_uid, "amount": 5000, "checksum": 15000, "reason": "one item"}

    status, _, body = call(portone_mock, "POST", "/payments/cancel", access, refund)
    assert status == 200
    cancelled = envelope(body)["response"]
    assert cancelled["cancel_amount"] == 5000
    assert cancelled["status"] == "paid"  # partly refunded: still paid

    # The same refund again: the balance moved, so PortOne refuses it (code 1, HTTP 200).
    status, _, body = call(portone_mock, "POST", "/payments/cancel", access, refund)
    assert status == 200
    assert envelope(body)["code"] == 1
    # Not a virtual account: the admin API refuses to take a deposit for it.
    with pytest.raises(MockAdminError) as refused:
        portone_mock.deposit(imp_uid)
    assert refused.value.status == 409
    sent = [r for r in portone_mock.requests() if r["path"] == "/payments/cancel"]
    assert len(sent) == 2
    assert json.loads(sent[0]["body"])["checksum"] == 15000


def test_a_fault_on_one_route_for_one_request(portone_mock: MockServer) -> None:
    imp_uid = portone_mock.checkout("order-1003", 1000)["imp_uid"]
    fault = portone_mock.inject("html_502", method="GET", path="/payments/{imp_uid}", times=1)
    assert fault["remaining"] == 1
    access = token(portone_mock)

    status, content_type, body = call(portone_mock, "GET", f"/payments/{imp_uid}", access)
    assert status == 502
    assert content_type.startswith("text/html")
    status, _, body = call(portone_mock, "GET", f"/payments/{imp_uid}", access)
    assert status == 200
    assert envelope(body)["response"]["status"] == "paid"
    assert [r["fault"] for r in portone_mock.requests() if r["method"] == "GET"] == [
        "html_502",
        None,
    ]
    assert portone_mock.faults()[0]["remaining"] == 0


def test_every_typed_fault_kind_is_one_the_server_takes(portone_mock: MockServer) -> None:
    for kind in get_args(FaultKind):
        extra: dict[str, Any] = {
            "delay": {"delay_ms": 1},
            "delay_after_processing": {"delay_ms": 1},
            "respond": {"status": 418},
        }.get(kind, {})
        assert portone_mock.inject(kind, path="/nowhere", **extra)["kind"] == kind
    assert len(portone_mock.faults()) == len(get_args(FaultKind))
    portone_mock.clear_faults()
    assert portone_mock.faults() == []


class Receiver(BaseHTTPRequestHandler):
    """A webhook endpoint that keeps what it is sent."""

    received: list[tuple[str, bytes]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.received.append((self.headers["Content-Type"], self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[str, bytes]]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    Receiver.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/portone", Receiver.received
    finally:
        server.shutdown()
        server.server_close()


def test_webhooks_reach_a_local_receiver(
    portone_mock: MockServer, receiver: tuple[str, list[tuple[str, bytes]]]
) -> None:
    url, received = receiver
    payment = portone_mock.checkout("order-1004", 9900, notice_url=url)
    cancelled = portone_mock.cancel_in_console(payment["imp_uid"], 900)

    deliveries = portone_mock.wait_for_webhooks(2)
    assert [d["state"] for d in deliveries] == ["delivered", "delivered"]
    assert [d["event"] for d in deliveries] == ["paid", "console_cancelled"]
    # Sent at once, as PortOne does: they may arrive in either order.
    bodies = {json.loads(body)["status"]: body for _, body in received}
    assert json.loads(bodies["paid"]) == {
        "imp_uid": payment["imp_uid"],
        "merchant_uid": "order-1004",
        "status": "paid",
    }
    assert json.loads(bodies["cancelled"])["cancellation_id"] == cancelled["cancellation_id"]
    assert all(content_type == "application/json" for content_type, _ in received)

    # A duplicate, which a receiver must handle idempotently, is the same body again.
    again = portone_mock.duplicate_webhook(deliveries[0]["id"])
    assert portone_mock.wait_for_webhooks(3)[-1]["id"] == again
    assert received[2][1] == bodies["paid"]


def test_the_fixture_resets_between_tests_of_one_session(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import json, urllib.request
        import pytest
        from portone_mock import MockAdminError

        seen = {}

        def test_one(portone_mock):
            seen["url"] = portone_mock.base_url
            seen["imp_uid"] = portone_mock.checkout("order-1", 1000)["imp_uid"]
            credentials = {"imp_key": portone_mock.api_key, "imp_secret": portone_mock.api_secret}
            request = urllib.request.Request(
                portone_mock.base_url + "/users/getToken",
                data=json.dumps(credentials).encode(),
                headers={"Content-Type": "application/json"},
            )
            urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request).close()
            assert portone_mock.get_token_calls() == 1
            portone_mock.inject("internal_error")

        def test_two(portone_mock):
            assert portone_mock.base_url == seen["url"]  # one process for the session
            assert portone_mock.faults() == []
            assert portone_mock.requests() == []
            with pytest.raises(MockAdminError) as refused:
                portone_mock.deposit(seen["imp_uid"])
            assert refused.value.status == 404  # the payment is gone
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_a_refused_flag_fails_the_start_with_the_reason() -> None:
    with pytest.raises(MockError) as refused:
        MockServer.start(agency=["not-a-tier"])
    assert "not-a-tier" in str(refused.value)


def test_stop_ends_the_process() -> None:
    with MockServer.start(frozen_clock=True) as mock:
        before = mock.advance(0)
        assert mock.advance(60) == before + 60  # frozen: only advance moves it
    assert not mock.running()
    with pytest.raises(MockError):
        mock.faults()


def test_money_is_never_a_float(portone_mock: MockServer) -> None:
    with pytest.raises(TypeError):
        portone_mock.checkout("order-1005", 10.5)  # type: ignore[arg-type]
    payment = portone_mock.checkout("order-1006", Decimal("10.50"), currency="USD")
    assert payment["amount"] == Decimal("10.5")
    assert isinstance(payment["amount"], Decimal)


def test_a_wait_for_webhooks_that_never_come_gives_up(portone_mock: MockServer) -> None:
    with pytest.raises(TimeoutError, match="0 webhook deliveries"):
        portone_mock.wait_for_webhooks(1, timeout=0.05)
