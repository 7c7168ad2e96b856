"""``portone-mock``, a PortOne V1 test server (``api.iamport.kr``), from Python.

The wheel puts the ``portone-mock`` binary on the environment's ``PATH``; this module starts
it and drives its admin API (``/__mock/...``). In a pytest test, take the fixture::

    def test_order_is_paid(portone_mock):
        payment = portone_mock.checkout("order-1", 15000)
        # point the code under test at portone_mock.base_url, with portone_mock.api_key
        # and portone_mock.api_secret, and let it look payment["imp_uid"] up

Without pytest::

    from portone_mock import MockServer

    with MockServer.start(frozen_clock=True) as mock:
        imp_uid = mock.checkout("order-1", 15000)["imp_uid"]

The fixtures are in :mod:`portone_mock.pytest_plugin`; the server's rules, flags and admin
routes are described in the crate's README.
"""

from importlib.metadata import PackageNotFoundError, version

from ._admin import API_KEY, API_SECRET, MockAdmin, MockAdminError, MockError
from ._server import BINARY_ENV, MockServer, binary_path
from ._types import (
    Amount,
    Fault,
    FaultKind,
    Outcome,
    Payment,
    RecordedRequest,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)

try:
    #: The version of the wheel, which is the version of the binary it carries.
    __version__ = version("portone-mock")
except PackageNotFoundError:  # pragma: no cover - run from a source tree
    __version__ = "0+unknown"

__all__ = [
    "API_KEY",
    "API_SECRET",
    "BINARY_ENV",
    "Amount",
    "Fault",
    "FaultKind",
    "MockAdmin",
    "MockAdminError",
    "MockError",
    "MockServer",
    "Outcome",
    "Payment",
    "RecordedRequest",
    "Webhook",
    "WebhookAttempt",
    "WebhookDelivery",
    "binary_path",
]
