"""The ``portone-mock`` binary as a child process: found, started, stopped."""

from __future__ import annotations

import collections
import os
import queue
import shutil
import subprocess
import sys
import sysconfig
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Literal

from ._admin import API_KEY, API_SECRET, MockAdmin, MockError

#: Names a binary to run instead of the one the wheel installed.
BINARY_ENV = "PORTONE_MOCK_BINARY"

_EXE = "portone-mock.exe" if sys.platform == "win32" else "portone-mock"


def binary_path() -> Path:
    """The ``portone-mock`` binary: the one named by ``$PORTONE_MOCK_BINARY``, else the one
    this wheel installed beside the interpreter (found whether or not the virtual
    environment is activated), else the first on ``PATH``.

    :raises MockError: when there is none.
    """
    override = os.environ.get(BINARY_ENV)
    if override:
        if not Path(override).is_file():
            raise MockError(f"${BINARY_ENV} names {override!r}, which is not a file")
        return Path(override)
    dirs = [sysconfig.get_path("scripts")]
    user_scheme = sysconfig.get_preferred_scheme("user")
    if user_scheme in sysconfig.get_scheme_names():
        dirs.append(sysconfig.get_path("scripts", user_scheme))
    for d in dirs:
        candidate = Path(d) / _EXE
        if candidate.is_file():
            return candidate
    found = shutil.which(_EXE)
    if found:
        return Path(found)
    raise MockError(
        f"no {_EXE} binary in {', '.join(dirs)} or on PATH: reinstall the portone-mock "
        f"wheel, or set ${BINARY_ENV}"
    )


def _stop(process: subprocess.Popen[str], grace: float) -> None:
    """SIGTERM, as the binary expects: requests in flight finish (a ``--state`` file holds
    every change already). Killed when it has not exited after ``grace`` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class MockServer(MockAdmin):
    """A ``portone-mock`` process on a free port, with the helpers of
    :class:`~portone_mock.MockAdmin`. Start it with :meth:`start`; stop it with
    :meth:`stop` or by leaving a ``with`` block. A server never stopped is stopped when
    it is garbage-collected or when the interpreter exits.
    """

    def __init__(
        self,
        process: subprocess.Popen[str],
        base_url: str,
        stderr: collections.deque[str],
        readers: list[threading.Thread],
        *,
        admin_token: str | None,
        api_key: str,
        api_secret: str,
    ) -> None:
        super().__init__(base_url, admin_token=admin_token, api_key=api_key, api_secret=api_secret)
        self._process = process
        self._stderr = stderr
        self._readers = readers
        self._finalizer = weakref.finalize(self, _stop, process, 10.0)

    @classmethod
    def start(
        cls,
        *,
        frozen_clock: bool = False,
        agency: Sequence[str] = (),
        webhook_url: str | None = None,
        webhook_format: Literal["json", "form"] = "json",
        webhook_resend: bool = False,
        live_quirks: bool = False,
        state: str | os.PathLike[str] | None = None,
        api_key: str = API_KEY,
        api_secret: str = API_SECRET,
        admin_token: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        binary: str | os.PathLike[str] | None = None,
        startup_timeout: float = 30.0,
    ) -> MockServer:
        """Starts ``portone-mock`` and returns once it listens.

        The keyword arguments are the binary's flags (``--frozen-clock``, ``--agency``,
        ...; the crate's README describes them). ``port`` 0, the default, lets the
        binary pick a free port and report it, so parallel test runs never collide.
        ``args`` are more flags, passed as they are; ``env`` adds variables to the
        process's environment (``{"RUST_LOG": "debug"}`` logs every request on its
        standard error). ``binary`` runs another binary than :func:`binary_path`'s.

        The API secret and the admin token reach the process through its environment,
        which other users of the machine cannot read, not its command line.

        :raises MockError: when the binary is missing, refuses a flag, or has not
            reported its address after ``startup_timeout`` seconds; the message
            carries what it wrote on standard error.
        """
        command = [
            str(binary if binary is not None else binary_path()),
            "--host",
            host,
            "--port",
            str(port),
            "--api-key",
            api_key,
            "--webhook-format",
            webhook_format,
        ]
        if frozen_clock:
            command.append("--frozen-clock")
        if agency:
            command += ["--agency", ",".join(agency)]
        if webhook_url is not None:
            command += ["--webhook-url", webhook_url]
        if webhook_resend:
            command.append("--webhook-resend")
        if live_quirks:
            command.append("--live-quirks")
        if state is not None:
            command += ["--state", os.fspath(state)]
        command += list(args)

        child_env = {**os.environ, **(env or {})}
        child_env["PORTONE_MOCK_API_SECRET"] = api_secret
        # An admin token inherited from the caller's environment would lock the helpers
        # out: the process gets exactly the one given here, or none.
        child_env.pop("PORTONE_MOCK_ADMIN_TOKEN", None)
        if admin_token is not None:
            child_env["PORTONE_MOCK_ADMIN_TOKEN"] = admin_token

        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=child_env,
                text=True,
                encoding="utf-8",
                errors="replace",
            )
        except OSError as e:
            raise MockError(f"cannot run {command[0]}: {e}") from e

        stderr: collections.deque[str] = collections.deque(maxlen=200)
        # The first line of standard output is the base URL; nothing else is written there.
        stdout: queue.Queue[str] = queue.Queue()
        readers = [_drain(process.stdout, stdout.put), _drain(process.stderr, stderr.append)]
        try:
            url = stdout.get(timeout=startup_timeout).strip()
        except queue.Empty:
            url = ""
        if not url.startswith("http"):
            _stop(process, 10.0)
            for reader in readers:
                reader.join(5.0)
            why = "".join(stderr).strip() or "(nothing on standard error)"
            raise MockError(f"portone-mock did not start (exit code {process.returncode}): {why}")
        return cls(
            process,
            url,
            stderr,
            readers,
            admin_token=admin_token,
            api_key=api_key,
            api_secret=api_secret,
        )

    def __enter__(self) -> MockServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"MockServer({self.base_url!r}, pid={self._process.pid})"

    @property
    def pid(self) -> int:
        """The process id."""
        return self._process.pid

    def running(self) -> bool:
        """Whether the process is still running."""
        return self._process.poll() is None

    def stderr_tail(self) -> str:
        """The last lines the process wrote on standard error (its logs)."""
        return "".join(self._stderr)

    def stop(self, grace: float = 10.0) -> int:
        """Stops the process as SIGTERM does (requests in flight finish; a state file
        holds every change already), killing it after ``grace`` seconds, and returns its
        exit code: 0 for a clean stop. Stopping a stopped server returns the same code."""
        self._finalizer.detach()
        _stop(self._process, grace)
        for reader in self._readers:
            reader.join(5.0)
        return self._process.returncode


def _drain(stream: IO[str] | None, sink: Callable[[str], object]) -> threading.Thread:
    """Reads ``stream`` line by line into ``sink`` on a daemon thread, so that the
    process never blocks on a full pipe, then sends ``""`` when the stream ends (the
    process exited): whoever waits for a line stops waiting."""

    def run() -> None:
        if stream is not None:
            with stream:
                for line in stream:
                    sink(line)
        sink("")

    thread = threading.Thread(target=run, name="portone-mock output", daemon=True)
    thread.start()
    return thread
