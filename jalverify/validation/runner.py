"""Run third-party code in a child process with a time limit, so a hang or a crash is a finding, not ours.

:class:`IsolatedTarget` starts one worker process (a fresh interpreter started with :mod:`subprocess`, nothing
inherited from the parent's threads) that loads the target and answers calls sent over a private pipe.  Every call returns a :class:`CallResult` whose :class:`CallOutcome` says what happened:

* ``OK``: the method returned (the value is in ``value``);
* ``RAISED``: the method raised; the exception's type, message and traceback are kept;
* ``TIMEOUT``: no answer within the time limit; the worker is killed and restarted for the next call;
* ``CRASHED``: the worker died (segfault, ``os.abort()``, ``os._exit``); its exit code is kept and the worker is
  restarted.

Nothing the target does can raise inside jalverify: the outcome is data.  ``isolate=False`` runs the target in
this process (no time limit, no crash protection) for objects that cannot be sent to a child.
"""

from __future__ import annotations

import enum
import importlib
import os
import pickle
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from jalverify.adapters.protocols import Capabilities, InvalidTarget

__all__ = ["CallOutcome", "CallResult", "IsolatedTarget", "TargetLoadError"]


class TargetLoadError(InvalidTarget):
    """The target could not be loaded in the worker; the message carries the worker's error."""


class CallOutcome(enum.Enum):
    OK = "ok"
    RAISED = "raised"
    TIMEOUT = "timeout"
    CRASHED = "crashed"


@dataclass(frozen=True)
class CallResult:
    """The outcome of one call into a target."""

    outcome: CallOutcome
    value: Any = None
    error_type: str = ""
    error_message: str = ""
    traceback: str = ""
    exitcode: int | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.outcome is CallOutcome.OK

    def describe(self) -> str:
        """One line for a report."""
        if self.outcome is CallOutcome.OK:
            return "returned"
        if self.outcome is CallOutcome.RAISED:
            return f"raised {self.error_type}: {self.error_message}"
        if self.outcome is CallOutcome.TIMEOUT:
            return f"no answer within the time limit of {self.seconds:.3g} s (worker killed)"
        return f"the worker process died with exit code {self.exitcode} ({_describe_exit(self.exitcode)})"


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "unknown"
    if code < 0:
        import signal

        try:
            return f"killed by signal {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


def _load_in_worker(payload: tuple[str, Any]) -> Any:
    kind, data = payload
    if kind == "reference":
        from jalverify.adapters.registry import load_target

        return load_target(data)
    return pickle.loads(data)


class _Channel:
    """A request pipe and an answer pipe seen as one connection."""

    def __init__(self, outgoing: Connection, incoming: Connection) -> None:
        self.outgoing, self.incoming = outgoing, incoming

    def send(self, obj: Any) -> None:
        self.outgoing.send(obj)

    def recv(self) -> Any:
        return self.incoming.recv()

    def poll(self, timeout: float) -> bool:
        return self.incoming.poll(timeout)

    def close(self) -> None:
        self.outgoing.close()
        self.incoming.close()


def _worker_entry(read_fd: int, write_fd: int) -> None:  # pragma: no cover - runs in the child
    conn = _Channel(Connection(write_fd, readable=False), Connection(read_fd, writable=False))
    sys_path, payload = conn.recv()
    sys.path[:] = list(dict.fromkeys(list(sys_path) + sys.path))
    _worker_main(conn, payload)


def _worker_main(conn: Any, payload: tuple[str, Any]) -> None:  # pragma: no cover - runs in the child
    try:
        target = _load_in_worker(payload)
        caps = getattr(target, "capabilities", None)
        if not isinstance(caps, Capabilities):
            raise InvalidTarget(f"target {target!r} has no jalverify.adapters.Capabilities 'capabilities'")
        conn.send(("ready", caps, callable(getattr(target, "warm_up", None))))
    except BaseException as exc:  # report every load failure to the parent, then stop
        conn.send(("load-error", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
        return
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        kind, name, args = request
        try:
            try:
                if kind == "method":
                    value = getattr(target, name)(*args)
                else:  # a function "module:function" called as function(target, *args)
                    module_name, _, func_name = name.partition(":")
                    value = getattr(importlib.import_module(module_name), func_name)(target, *args)
                try:
                    conn.send(("ok", value))
                except (pickle.PicklingError, TypeError, AttributeError) as exc:
                    conn.send(("raised", "UnpicklableResult",
                               f"{name} returned a {type(value).__name__} that cannot be sent back: {exc}", ""))
            except (BrokenPipeError, ConnectionResetError):
                raise
            except Exception as exc:  # the target's failure is the finding; report it, keep serving
                conn.send(("raised", type(exc).__name__, str(exc), traceback.format_exc()))
        except (BrokenPipeError, ConnectionResetError):
            # the parent gave up on this call (its time limit) and closed the pipe: nobody is listening, and
            # the answer is already judged as a time-out; end quietly instead of printing a traceback
            return


class IsolatedTarget:
    """A target running in a child process, called with a time limit.

    Parameters
    ----------
    target : str or object
        A reference understood by :func:`jalverify.adapters.registry.load_target`, or a picklable object.
    time_limit : float
        Seconds allowed per call.
    load_time_limit : float
        Seconds allowed to start the worker and load the target (imports can be slow).
    first_call_time_limit : float
        Seconds allowed for the target's optional ``warm_up()`` method, called once in every fresh worker before
        anything is timed: libraries built on numba compile on their first call (QuantEcon's support
        enumeration takes ~25 s here), which is not a hang.
    isolate : bool
        Run in a child process (default).  ``False`` runs in this process: no time limit, no crash protection.

    Raises
    ------
    TargetLoadError
        The target cannot be loaded (bad reference, import error, missing capabilities).
    """

    def __init__(self, target: Any, *, time_limit: float = 10.0, load_time_limit: float = 120.0,
                 first_call_time_limit: float = 120.0, isolate: bool = True) -> None:
        self.time_limit = float(time_limit)
        self.first_call_time_limit = max(float(first_call_time_limit), float(time_limit))
        self.load_time_limit = float(load_time_limit)
        self.isolate = isolate
        self.restarts = 0
        self._process: Any = None
        self._conn: Any = None
        if isinstance(target, str):
            self.reference = target
            self._payload: tuple[str, Any] = ("reference", target)
        else:
            self.reference = f"{type(target).__module__}:{type(target).__qualname__}"
            if isolate:
                try:
                    self._payload = ("pickle", pickle.dumps(target))
                except (pickle.PicklingError, TypeError, AttributeError) as exc:
                    raise TargetLoadError(
                        f"IsolatedTarget(): {target!r} cannot be sent to a child process ({exc}); pass a reference "
                        "'module:object' or 'file.py:object', or isolate=False"
                    ) from exc
            else:
                self._payload = ("object", target)
        if isolate:
            self.capabilities: Capabilities = self._start()
        else:
            obj = _load_in_worker(self._payload) if self._payload[0] != "object" else self._payload[1]
            caps = getattr(obj, "capabilities", None)
            if not isinstance(caps, Capabilities):
                raise TargetLoadError(f"IsolatedTarget(): {obj!r} has no jalverify.adapters.Capabilities 'capabilities'")
            self._local = obj
            self.capabilities = caps

    # --- process management --------------------------------------------------------------------------
    def _start(self) -> Capabilities:
        # A fresh interpreter started with subprocess (not multiprocessing): nothing is inherited from this
        # process's threads, and the caller's __main__ is never re-imported (no `if __name__ == "__main__"` idiom
        # needed).  Requests and answers travel over two private pipes, so the target may print freely.
        req_read, req_write = os.pipe()
        resp_read, resp_write = os.pipe()
        package_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([package_root] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
        process = subprocess.Popen(
            [sys.executable, "-c", "import sys; from jalverify.validation.runner import _worker_entry; "
             f"_worker_entry({req_read}, {resp_write})"],
            pass_fds=(req_read, resp_write), env=env, stdin=subprocess.DEVNULL, close_fds=True,
        )
        os.close(req_read)
        os.close(resp_write)
        self._process = process
        self._conn = _Channel(Connection(req_write, readable=False), Connection(resp_read, writable=False))
        self._conn.send((list(sys.path), self._payload))
        if not self._conn.poll(self.load_time_limit):
            self._kill()
            raise TargetLoadError(f"IsolatedTarget(): loading {self.reference!r} took longer than {self.load_time_limit} s")
        try:
            message = self._conn.recv()
        except (EOFError, OSError):
            code = self._exitcode()
            self._kill()
            raise TargetLoadError(f"IsolatedTarget(): the worker died while loading {self.reference!r} "
                                  f"({_describe_exit(code)})") from None
        if message[0] != "ready":
            self._kill()
            raise TargetLoadError(f"IsolatedTarget(): cannot load {self.reference!r}: {message[1]}")
        if len(message) > 2 and message[2]:
            warm = self._request(("method", "warm_up", ()), self.first_call_time_limit)
            if not warm.ok:
                self._kill()
                raise TargetLoadError(f"IsolatedTarget(): warm_up() of {self.reference!r} failed: {warm.describe()}")
        return message[1]

    def _kill(self) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            conn.close()
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(2)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)

    def _restart(self) -> None:
        self._kill()
        self.restarts += 1
        self._start()

    def close(self) -> None:
        """Stop the worker (idempotent)."""
        if self._conn is not None:
            try:
                self._conn.send(None)
            except (OSError, BrokenPipeError):
                pass
            if self._process is not None:
                try:
                    self._process.wait(2)
                except subprocess.TimeoutExpired:
                    pass
        self._kill()

    def __enter__(self) -> IsolatedTarget:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:  # pragma: no cover - best effort at interpreter exit
        try:
            self._kill()
        except Exception:  # noqa: BLE001 - nothing sensible to do during finalisation
            pass

    # --- calls -----------------------------------------------------------------------------------------
    def call(self, method: str, *args: Any, time_limit: float | None = None) -> CallResult:
        """Call ``target.method(*args)``."""
        return self._request(("method", method, args), time_limit)

    def call_function(self, function: str, *args: Any, time_limit: float | None = None) -> CallResult:
        """Call ``function(target, *args)`` next to the target (``function`` is ``"module:name"``); used to run
        a whole learning loop in the worker instead of one pipe round trip per step."""
        return self._request(("function", function, args), time_limit)

    def _request(self, request: tuple[str, str, tuple[Any, ...]], time_limit: float | None) -> CallResult:
        limit = self.time_limit if time_limit is None else float(time_limit)
        start = time.perf_counter()
        if not self.isolate:
            return self._call_local(request, start)
        if self._conn is None:
            self._restart()
        try:
            self._conn.send(request)
        except (OSError, BrokenPipeError):
            code = self._exitcode()
            self._kill()
            return CallResult(CallOutcome.CRASHED, exitcode=code, seconds=time.perf_counter() - start)
        if not self._conn.poll(limit):
            self._kill()
            return CallResult(CallOutcome.TIMEOUT, seconds=limit)
        try:
            message = self._conn.recv()
        except (EOFError, OSError):
            code = self._exitcode()
            self._kill()
            return CallResult(CallOutcome.CRASHED, exitcode=code, seconds=time.perf_counter() - start)
        elapsed = time.perf_counter() - start
        if message[0] == "ok":
            return CallResult(CallOutcome.OK, value=message[1], seconds=elapsed)
        return CallResult(CallOutcome.RAISED, error_type=message[1], error_message=message[2], traceback=message[3],
                          seconds=elapsed)

    def _exitcode(self) -> int | None:
        process = self._process
        if process is None:
            return None
        try:
            return process.wait(5)
        except subprocess.TimeoutExpired:
            return None

    def _call_local(self, request: tuple[str, str, tuple[Any, ...]], start: float) -> CallResult:
        kind, name, args = request
        try:
            if kind == "method":
                value = getattr(self._local, name)(*args)
            else:
                module_name, _, func_name = name.partition(":")
                value = getattr(importlib.import_module(module_name), func_name)(self._local, *args)
        except Exception as exc:  # the target's failure is the finding
            return CallResult(CallOutcome.RAISED, error_type=type(exc).__name__, error_message=str(exc),
                              traceback=traceback.format_exc(), seconds=time.perf_counter() - start)
        return CallResult(CallOutcome.OK, value=value, seconds=time.perf_counter() - start)

    def _ensure_started(self) -> None:
        if self.isolate and self._conn is None:
            self._restart()
