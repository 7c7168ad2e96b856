"""The shapes of what the admin API answers, as typed dictionaries.

They describe the JSON as the server sends it; amounts with a fraction are decoded as
:class:`decimal.Decimal`, never as ``float``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal, TypedDict

#: A payment as ``GET /payments/{imp_uid}`` answers it (``imp_uid``, ``merchant_uid``,
#: ``amount``, ``status``, ``cancel_amount``, ...). PortOne's payment has some sixty
#: fields; the crate's README and PortOne's spec list them.
Payment = dict[str, Any]

#: How a checkout ends: paid, failed, or a virtual account waiting for its deposit.
Outcome = Literal["paid", "failed", "vbank_ready"]

#: What a fault makes PortOne's routes do (the crate's ``Fault`` constructors).
FaultKind = Literal[
    "delay",
    "delay_after_processing",
    "respond",
    "html_502",
    "service_unavailable",
    "gateway_timeout",
    "internal_error",
    "unauthorized",
    "close_connection",
    "reset_connection",
    "close_before_body",
    "drop_response",
    "reset_mid_body",
    "malformed_json",
    "wrong_content_type",
]

#: An amount of money: an integer, a :class:`decimal.Decimal`, or a string holding a
#: number. Never a ``float``, which cannot hold most decimal fractions exactly.
Amount = int | Decimal | str


class Fault(TypedDict):
    """A fault in force, as ``GET /__mock/faults`` lists it."""

    kind: str
    method: str | None
    path: str | None
    #: How many matching requests it applies to (``None``: all of them).
    times: int | None
    #: How many uses it has left (``None``: unlimited).
    remaining: int | None
    after_ms: int | None


class RecordedRequest(TypedDict):
    """A request PortOne's API received, secrets included, exactly as sent."""

    method: str
    #: Still percent-encoded.
    path: str
    #: Without ``?``, still percent-encoded; ``None`` when there was none.
    query: str | None
    #: ``[name, value]`` pairs in arrival order, names in lower case.
    headers: list[list[str]]
    #: The body as text (empty when a fault closed the connection before reading it).
    body: str
    #: The name of the fault applied to it, if any.
    fault: str | None


class WebhookAttempt(TypedDict):
    """One try at delivering a notification."""

    #: When it was sent, in unix seconds on the mock clock.
    at: int
    #: The HTTP status the receiver answered, if it answered.
    status: int | None
    #: Why no answer came, if none came.
    error: str | None


class Webhook(TypedDict, total=False):
    """What a notification says."""

    imp_uid: str
    merchant_uid: str
    status: str
    cancellation_id: str


class WebhookDelivery(TypedDict):
    """A notification the mock sent (or is sending), with every attempt."""

    id: int
    #: Why it was sent: ``paid``, ``vbank_issued``, ``vbank_deposited``,
    #: ``schedule_paid``, ``schedule_failed``, ``cancelled``, ``console_cancelled``,
    #: ``test``.
    event: str
    url: str
    content_type: str
    #: The body, exactly as sent.
    body: str
    webhook: Webhook
    tier: str | None
    created_at: int
    attempts: list[WebhookAttempt]
    #: ``sending``, ``retrying``, ``delivered`` or ``failed``.
    state: str
    next_attempt_at: int | None
