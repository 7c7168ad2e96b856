"""The pytest plugin of ``portone-mock``, loaded by pytest wherever the wheel is installed.

- ``portone_mock`` (per test): the server, reset before the test (no payment, request,
  fault or webhook of an earlier test, the clock back to real time). Take this one.
- ``portone_mock_server`` (per session): the same server, not reset; started on a free
  port on first use and stopped at the end of the session, so every test of a session
  (of a pytest-xdist worker) talks to one process.
- ``portone_mock_options`` (per session): the keyword arguments of
  :meth:`~portone_mock.MockServer.start`; override it in a ``conftest.py``::

      @pytest.fixture(scope="session")
      def portone_mock_options():
          return {"frozen_clock": True, "agency": ["A1B"]}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ._server import MockServer


@pytest.fixture(scope="session")
def portone_mock_options() -> dict[str, Any]:
    """The keyword arguments :meth:`MockServer.start` gets: none by default."""
    return {}


@pytest.fixture(scope="session")
def portone_mock_server(portone_mock_options: dict[str, Any]) -> Iterator[MockServer]:
    """One ``portone-mock`` process for the session, stopped at its end."""
    server = MockServer.start(**portone_mock_options)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def portone_mock(portone_mock_server: MockServer) -> MockServer:
    """The session's ``portone-mock``, reset before the test."""
    portone_mock_server.reset()
    return portone_mock_server
