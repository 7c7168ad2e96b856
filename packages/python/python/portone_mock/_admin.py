"""The admin API (``/__mock/...``) of a running ``portone-mock``, over plain HTTP."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from ._types import (
    Amount,
    Fault,
    FaultKind,
    Outcome,
    Payment,
    RecordedRequest,
    WebhookDelivery,
)

#: The ``imp_key`` the binary accepts unless told otherwise.
API_KEY = "mock_imp_key"
#: The ``imp_secret`` the binary accepts unless told otherwise.
API_SECRET = "mock_imp_secret_0123456789abcdef"


class MockError(Exception):
    """Something went wrong with ``portone-mock``: it would not start, or stopped answering."""


class MockAdminError(MockError):
    """The admin API refused a request: what was sent is wrong (``400``), names nothing
    known (``404``), or cannot be done in the record's state (``409``)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"portone-mock answered {status}: {message}")
        #: The HTTP status.
        self.status = status
        #: The server's message, in English.
        self.message = message


def _amount(value: Amount) -> int | str:
    # bool is an int to Python, and a float cannot hold most decimal fractions exactly:
    # both are refused rather than sent as a different amount.
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        raise TypeError(f"an amount is an int, a Decimal or a str, not {type(value).__name__}")
    return value if isinstance(value, int) else str(value)


def _drop_none(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


class MockAdmin:
    """The admin API of a ``portone-mock`` at ``base_url``: what a Rust test does with the
    crate's ``MockServer``, over HTTP.

    :class:`~portone_mock.MockServer` is one of these for the process it started; build
    one directly for a server started some other way (a container, a CI service).

    Every method raises :class:`MockAdminError` when the server refuses the request and
    :class:`MockError` when it cannot be reached.
    """

    def __init__(
        self,
        base_url: str,
        *,
        admin_token: str | None = None,
        api_key: str = API_KEY,
        api_secret: str = API_SECRET,
        timeout: float = 30.0,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._admin_token = admin_token
        self._api_key = api_key
        self._api_secret = api_secret
        self._timeout = timeout
        # The mock is local, or named exactly: an HTTP_PROXY meant for the internet must
        # not carry its admin requests (and their answers, secrets included).
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._base_url!r})"

    @property
    def base_url(self) -> str:
        """The URL to point a PortOne client at, without a trailing slash
        (``http://127.0.0.1:PORT``)."""
        return self._base_url

    @property
    def api_key(self) -> str:
        """The ``imp_key`` getToken accepts."""
        return self._api_key

    @property
    def api_secret(self) -> str:
        """The ``imp_secret`` getToken accepts."""
        return self._api_secret

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """Sends a request to the admin route ``path`` (below ``/__mock``) and returns the
        envelope's ``response``: for a route no helper covers.

        :raises MockAdminError: when the server refuses it.
        :raises MockError: when the server cannot be reached.
        """
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self._admin_token is not None:
            headers["Authorization"] = f"Bearer {self._admin_token}"
        request = urllib.request.Request(
            f"{self._base_url}/__mock{path}", data=data, headers=headers, method=method
        )
        try:
            with self._opener.open(request, timeout=self._timeout) as answer:
                raw = answer.read()
        except urllib.error.HTTPError as e:
            raise MockAdminError(e.code, _message(e.read())) from None
        except (urllib.error.URLError, OSError) as e:
            raise MockError(f"cannot reach portone-mock at {self._base_url}: {e}") from e
        envelope = json.loads(raw, parse_float=Decimal)
        return envelope.get("response")

    def checkout(
        self,
        merchant_uid: str,
        amount: Amount,
        *,
        outcome: Outcome = "paid",
        card_number: str | None = None,
        pay_method: str | None = None,
        pg: str | None = None,
        sandbox: bool | None = None,
        tier: str | None = None,
        notice_url: str | Sequence[str] | None = None,
        name: str | None = None,
        buyer_name: str | None = None,
        buyer_email: str | None = None,
        buyer_tel: str | None = None,
        currency: str | None = None,
        escrow: bool | None = None,
        custom_data: Any = None,
        fail_reason: str | None = None,
    ) -> Payment:
        """Completes a checkout as the buyer's browser would (what ``IMP.request_pay``
        leaves behind) and returns the payment, as ``GET /payments/{imp_uid}`` answers it.

        ``card_number`` picks a test card; one the issuer declines (``...0051``
        insufficient funds, ``...0061`` over the limit, ``...0043`` lost or stolen) fails the
        payment with its reason. ``notice_url`` is where its webhooks go. The other
        fields are PortOne's; the crate's README describes them all.

        :raises MockAdminError: for an unusable field (``400``).
        """
        if not isinstance(notice_url, (str, type(None))):
            notice_url = list(notice_url)
        body = _drop_none(
            {
                "merchant_uid": merchant_uid,
                "amount": _amount(amount),
                "outcome": outcome,
                "card_number": card_number,
                "pay_method": pay_method,
                "pg": pg,
                "sandbox": sandbox,
                "tier": tier,
                "notice_url": notice_url,
                "name": name,
                "buyer_name": buyer_name,
                "buyer_email": buyer_email,
                "buyer_tel": buyer_tel,
                "currency": currency,
                "escrow": escrow,
                "custom_data": custom_data,
                "fail_reason": fail_reason,
            }
        )
        return cast(Payment, self.call("POST", "/checkout", body))

    def deposit(self, imp_uid: str) -> Payment:
        """The buyer pays into a ready virtual account; returns the payment, now ``paid``.

        :raises MockAdminError: ``404`` for an unknown payment, ``409`` for one that is
            not a virtual account waiting for its deposit.
        """
        return cast(Payment, self.call("POST", f"/deposit/{_segment(imp_uid)}"))

    def cancel_in_console(self, imp_uid: str, amount: Amount | None = None) -> Payment:
        """Cancels a payment as the merchant would in PortOne's console, which notifies
        (``cancelled``): the whole balance, or ``amount``. Returns the payment, with the
        ``cancellation_id``.

        :raises MockAdminError: ``404`` for an unknown payment, ``409`` when PortOne
            would refuse the cancel (not paid, already cancelled, more than the balance).
        """
        body = {} if amount is None else {"amount": _amount(amount)}
        return cast(Payment, self.call("POST", f"/cancel/{_segment(imp_uid)}", body))

    def advance(self, seconds: float) -> int:
        """Moves the mock clock forward: due schedules run, tokens expire, webhook
        re-sends go out. Returns the new time, in unix seconds.

        :raises MockAdminError: for a negative number of seconds.
        """
        answer = self.call("POST", "/advance", {"seconds": seconds})
        return int(answer["now"])

    def inject(
        self,
        kind: FaultKind,
        *,
        method: str | None = None,
        path: str | None = None,
        times: int | None = None,
        after_ms: int | None = None,
        delay_ms: int | None = None,
        status: int | None = None,
        content_type: str | None = None,
        body: str | None = None,
    ) -> Fault:
        """Makes PortOne's routes misbehave, and returns the fault in force.

        ``method``, ``path`` (exact, or with ``{name}`` segments such as
        ``/payments/{imp_uid}``), ``times`` and ``after_ms`` narrow it; without them it
        applies to every request, for ever. ``delay`` and ``delay_after_processing`` take
        ``delay_ms``; ``respond`` takes ``status``, ``content_type`` and ``body``.

        :raises MockAdminError: for an unknown kind or a field the kind does not take.
        """
        spec = _drop_none(
            {
                "kind": kind,
                "method": method,
                "path": path,
                "times": times,
                "after_ms": after_ms,
                "delay_ms": delay_ms,
                "status": status,
                "content_type": content_type,
                "body": body,
            }
        )
        return cast(Fault, self.call("POST", "/faults", spec)["fault"])

    def faults(self) -> list[Fault]:
        """Every fault in force, with the uses it has left."""
        return cast("list[Fault]", self.call("GET", "/faults"))

    def clear_faults(self) -> None:
        """Removes every fault."""
        self.call("DELETE", "/faults")

    def requests(self) -> list[RecordedRequest]:
        """Every request PortOne's API received since the last reset, in order, exactly
        as sent (API secrets and card numbers included)."""
        return cast("list[RecordedRequest]", self.call("GET", "/requests")["requests"])

    def get_token_calls(self) -> int:
        """How many times ``POST /users/getToken`` was called since the last reset."""
        return int(self.call("GET", "/requests")["get_token_calls"])

    def reset_log(self) -> None:
        """Forgets the requests received so far, and the count of getToken calls."""
        self.call("DELETE", "/requests")

    def webhooks(self) -> list[WebhookDelivery]:
        """Every webhook delivery so far, in the order they were emitted, with their
        attempts."""
        return cast("list[WebhookDelivery]", self.call("GET", "/webhooks")["deliveries"])

    def wait_for_webhooks(self, count: int = 0, timeout: float = 30.0) -> list[WebhookDelivery]:
        """Waits until at least ``count`` deliveries exist and none is on its way or due
        (each is delivered, failed, or waiting for a re-send the mock clock has not
        reached), then returns them all.

        :raises TimeoutError: when that has not happened after ``timeout`` seconds of
            pauses between polls (real time, even under freezegun or time-machine).
        """
        # Over HTTP the only way to learn that deliveries settled is to ask again: a
        # bounded poll, backing off to 0.1 s. Its deadline is the time it has slept, not
        # the clock, which freezegun and time-machine freeze.
        slept = 0.0
        pause = 0.005
        while True:
            answer = self.call("GET", "/webhooks")
            deliveries = cast("list[WebhookDelivery]", answer["deliveries"])
            if answer["settled"] and len(deliveries) >= count:
                return deliveries
            if slept >= timeout:
                raise TimeoutError(
                    f"portone-mock: {len(deliveries)} webhook deliveries, settled: "
                    f"{answer['settled']}, after {timeout} s (waiting for {count}, settled)"
                )
            time.sleep(pause)
            slept += pause
            pause = min(pause * 2, 0.1)

    def send_webhook(
        self,
        url: str,
        imp_uid: str,
        merchant_uid: str,
        status: str,
        *,
        cancellation_id: str | None = None,
    ) -> int:
        """POSTs a notification of your own to ``url``, as PortOne would: a forgery, for
        the receiver to refuse, or a receiver's test. Returns the delivery's id.

        :raises MockAdminError: when ``url`` is not a URL.
        """
        body = _drop_none(
            {
                "url": url,
                "imp_uid": imp_uid,
                "merchant_uid": merchant_uid,
                "status": status,
                "cancellation_id": cancellation_id,
            }
        )
        return int(self.call("POST", "/webhooks", body)["id"])

    def duplicate_webhook(self, delivery_id: int) -> int:
        """Sends delivery ``delivery_id`` again, as PortOne can: a duplicate the receiver
        must handle idempotently. Returns the new delivery's id.

        :raises MockAdminError: ``404`` when there is no such delivery.
        """
        return int(self.call("POST", f"/webhooks/{int(delivery_id)}/duplicate")["id"])

    def reset(self) -> None:
        """Forgets every record, the request log, the faults, the webhook deliveries and
        the access token, and puts the clock back to real time. The settings stay, and
        ids keep counting, so no ``imp_uid`` comes back."""
        self.call("POST", "/reset")

    def pay_url(self, merchant_uid: str, amount: Amount, redirect_url: str, **fields: str) -> str:
        """The address of the pay page for an order: send a browser there (Playwright,
        Selenium) and click ``#approve``, ``#decline`` or ``#cancel``; it comes back to
        ``redirect_url`` with ``imp_uid``, ``merchant_uid`` and ``imp_success``, as
        PortOne's ``m_redirect_url`` does. ``fields`` are the page's other parameters
        (``pay_method``, ``name``, ``buyer_email``, ``notice_url``, ...)."""
        query = {
            "merchant_uid": merchant_uid,
            "amount": str(_amount(amount)),
            "redirect_url": redirect_url,
            **fields,
        }
        if self._admin_token is not None:
            query["admin_token"] = self._admin_token
        return f"{self._base_url}/__mock/pay?{urllib.parse.urlencode(query)}"


def _segment(value: str) -> str:
    """``value`` as one path segment: an id with ``/`` or ``?`` still names one record."""
    return urllib.parse.quote(value, safe="")


def _message(body: bytes) -> str:
    """The envelope's message, or the body itself when it is not one."""
    try:
        message = json.loads(body).get("message")
    except (ValueError, AttributeError):
        message = None
    return str(message) if message else body.decode(errors="replace")
