"""Calls on untrusted input, run in worker processes, bounded in time and memory.

pypdf, python-docx and docxtpl run in Python (and lxml) and cannot be interrupted inside a
thread: a hostile file may loop for ever or claim all memory. `run_bounded` hands one call to a
worker process that has it alone, its address space capped; a call that outlives its time
limit has its worker killed, so only that call fails, and a new worker takes its place.

Starting a Python process costs about half a second, more than reading a decree, so a worker
serves call after call while they end cleanly: a value, or the DomainError saying why the input
is refused. One that ran out of time or memory, crashed or raised anything else is never used
again, nor one whose address space stays above RETIRE_BYTES after its call (what a call leaves
behind must not narrow the next one's limit). Up to IDLE_WORKERS wait between calls, and when a
call takes the last one a spare starts, so that a concurrent call does not wait for a start.

A call from an app context first ends a database transaction that has written nothing
(`db.release_locks`): no lock is held while it waits for its worker.
"""

import importlib
import logging
import multiprocessing
import os
import resource
import threading

from flask import has_app_context

from . import db
from .errors import DomainError, Unavailable

log = logging.getLogger(__name__)
START_SECONDS = 60.0  # for a new worker to start and import the warm modules
IDLE_WORKERS = 2  # kept up between calls (the server is threaded)
RETIRE_BYTES = 256 * 2**20  # a worker starts with about 110 MiB of address space

_context = multiprocessing.get_context("spawn")
_warm_modules = {__name__}
_idle: list["_Worker"] = []
_lock = threading.Lock()


class BoundedCallFailed(Exception):
    """A bounded call ran out of `"time"` or `"memory"`, its process died (`"crashed"`), or it
    raised something other than a DomainError (`"error"`, with `detail`)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


def warm(*modules: str) -> None:
    """Have every new worker import `modules` before its first call (not counted in it)."""
    _warm_modules.update(modules)


def run_bounded(function, *args, timeout: float, memory: int):
    """`function(*args)` in a worker process, within `timeout` seconds (counted once the
    worker is up) and `memory` bytes of address space. Returns its value; raises its
    DomainError, BoundedCallFailed otherwise, Unavailable when no worker can start."""
    if has_app_context():
        db.release_locks()
    worker = _take_worker()
    try:
        return worker.call(function, args, timeout, memory)
    finally:
        _release(worker)


class _Worker:
    """One worker process and the pipe to it."""

    def __init__(self):
        self.connection, child_end = _context.Pipe()
        self.process = _context.Process(
            target=_serve,
            args=(child_end, sorted(_warm_modules)),
            daemon=True,
            name="legalbase-bounded",
        )
        self.process.start()
        child_end.close()
        self.ready = False
        self.reusable = False

    def call(self, function, args: tuple, timeout: float, memory: int):
        self.reusable = False
        try:
            if not self.ready:
                self.ready = self.connection.poll(START_SECONDS) and self.connection.recv()
                if not self.ready:
                    raise EOFError
            self.connection.send((function, args, memory))
        except (EOFError, OSError):
            raise Unavailable(
                "Proses pemeriksa berkas tidak dapat dijalankan; coba lagi nanti."
            ) from None
        if not self.connection.poll(timeout):
            raise BoundedCallFailed("time")
        try:
            kind, payload, retiring = self.connection.recv()
        except EOFError:
            raise BoundedCallFailed("crashed") from None
        if kind == "failed":
            raise BoundedCallFailed(*payload)
        self.reusable = not retiring
        if kind == "raise":
            raise payload
        return payload

    def stop(self) -> None:
        self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


def _take_worker() -> _Worker:
    """An idle worker, or a new one; when none is left idle, a spare is started meanwhile, so
    that a call arriving while this one runs (a hostile file, say) finds a worker up."""
    while True:
        with _lock:
            worker = _idle.pop() if _idle else None
            drained = not _idle
        if worker is not None and not worker.process.is_alive():
            worker.stop()  # died while it waited
            continue
        worker = worker or _Worker()
        if drained:
            _start_spare()
        return worker


def _start_spare() -> None:
    try:
        spare = _Worker()
    except OSError as exc:  # the next call tries again, and says so if it cannot
        log.warning("No spare worker for bounded calls: %s", exc)
        return
    with _lock:
        _idle.append(spare)


def _release(worker: _Worker) -> None:
    """Keep a reusable worker for the next call, unless enough wait; stop any other."""
    with _lock:
        if worker.reusable and len(_idle) < IDLE_WORKERS:
            _idle.append(worker)
            return
    worker.stop()


def _forget_workers() -> None:
    """In a forked server process: the workers (and the lock) belong to its parent."""
    global _lock
    _lock = threading.Lock()
    _idle.clear()


os.register_at_fork(after_in_child=_forget_workers)


def _serve(connection, modules: list[str]) -> None:
    """The worker's side: import the warm modules, say it is up, then run calls one by one
    until one fails, it retires, or the pipe closes."""
    for module in modules:
        importlib.import_module(module)
    connection.send(True)
    while True:
        try:
            function, args, memory = connection.recv()
        except EOFError:
            return
        _cap_memory(memory)
        try:
            kind, payload = "value", function(*args)
        except DomainError as exc:
            kind, payload = "raise", exc
        except MemoryError:
            kind, payload = "failed", ("memory",)
        except Exception as exc:  # whatever hostile input provokes in the libraries
            kind, payload = "failed", ("error", f"{type(exc).__name__}: {exc}")
        retiring = kind == "failed" or _address_space_bytes() > RETIRE_BYTES
        connection.send((kind, payload, retiring))
        if retiring:
            return


def _cap_memory(memory: int) -> None:
    """A soft cap for this call; the hard limit stays, so the next call may set its own."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        memory = min(memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (memory, hard))


def _address_space_bytes() -> int:
    """What RLIMIT_AS counts, now (Linux; 0 where /proc is missing)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:
        return 0
