"""Set-up of the worker processes of a Dask local cluster that jalverify starts (needs :mod:`distributed`)."""

from __future__ import annotations

import signal
from typing import Any

from distributed import WorkerPlugin

__all__ = ["IgnoreInterrupts"]


class IgnoreInterrupts(WorkerPlugin):
    """Workers leave SIGINT to the driver, which stops them.

    Ctrl-C in a terminal reaches the whole process group, so each worker would otherwise break its own event loop
    and take seconds to close.  Dask calls :meth:`setup` in the worker's event loop, which runs in the main thread
    of a worker process (where signal handlers may be set), also in every worker restarted after a death.
    """

    def setup(self, worker: Any) -> None:  # pragma: no cover - runs in the worker
        signal.signal(signal.SIGINT, signal.SIG_IGN)
