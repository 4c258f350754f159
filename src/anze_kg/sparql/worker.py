"""Query evaluation in a child process that can be killed: the time limit and
the heap limit of :func:`anze_kg.sparql.evaluate.run_query`.

Two ways, both POSIX ``fork`` (the child inherits the open store):

* :func:`in_child`: a new child for one piece of work, gone after it; used for
  a bare ``pyoxigraph.Store``, whose contents this package cannot track.
* :class:`QueryWorker`: one long-lived child per :class:`anze_kg.sparql.stores.Store`,
  reused query after query.  Forking costs a few milliseconds for a large
  store, and a new child starts with a cold RocksDB block cache every time
  (measured on 1,000 reports: medium queries two to four times slower than on
  the same store in-process); a worker keeps its cache warm.  It is stopped
  and forked again when a query runs past the deadline or dies (out of
  memory), when the store changed since it was forked (``Store.generation``),
  and when the store is closed.

Requests and answers cross a pipe as length-prefixed pickles.  Without fork
(not POSIX) the work runs in this process, without limits.

Each child first leaves the network: on Linux it moves into a network
namespace of its own (``unshare(CLONE_NEWNET)``, as root; else together with
a user namespace, where the kernel allows unprivileged ones), which holds
only a loopback interface that is down.  A ``SERVICE`` the guard let through
by mistake then cannot connect anywhere, not even to 127.0.0.1: Oxigraph
offers no switch to turn its service handler off.  Where the OS refuses
both, the child runs on with the network of its parent and
:func:`network_isolated` says so.
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import signal
import stat
import struct
import sys
import time
import weakref
from collections.abc import Callable

from anze_kg.errors import QueryError

MEMORY_LIMIT_BYTES = 2 << 30  # heap a query process may add before it is stopped
_HEADER = struct.Struct("!Q")
_WORKERS: "weakref.WeakSet[QueryWorker]" = weakref.WeakSet()


def limit_memory() -> None:
    """Cap the heap this process may still add at MEMORY_LIMIT_BYTES (Linux; best effort)."""
    try:
        import resource  # deferred: POSIX only (elsewhere no heap limit)

        with open("/proc/self/status", encoding="ascii") as handle:
            vmdata = next(int(line.split()[1]) * 1024 for line in handle if line.startswith("VmData:"))
        soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        limit = vmdata + MEMORY_LIMIT_BYTES
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    except (OSError, ValueError, StopIteration, ImportError):
        pass


CLONE_NEWNET, CLONE_NEWUSER = 0x40000000, 0x10000000
_unshare = None  # the unshare(2) of this platform, found in the parent before the first fork


def _find_unshare():
    if hasattr(os, "unshare"):  # Python 3.12+
        return os.unshare
    try:
        import ctypes  # deferred: only where a child is forked, and once

        libc = ctypes.CDLL(None, use_errno=True)
    except (OSError, ImportError):
        return None

    def unshare(flags: int) -> None:
        if libc.unshare(flags) != 0:
            raise OSError(ctypes.get_errno(), "unshare")
    return unshare


def isolate_network() -> bool:
    """Move this process (a forked child: single-threaded, as unshare needs)
    into a network namespace of its own; True if it is there now."""
    if not _unshare:
        return False
    for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET):
        try:
            _unshare(flags)
            return True
        except (OSError, AttributeError):
            continue
    return False


def network_isolated() -> bool:
    """Whether a query child of this process is cut off from the network (a child is forked to ask)."""
    return bool(in_child(isolate_network, 10.0))


def timed_out(timeout_s: float) -> QueryError:
    return QueryError(f"the query was stopped: it ran longer than the time limit of {timeout_s:g} s",
                      hint="narrow it (more specific patterns, LIMIT) or raise --timeout")


def died(status: int | None) -> QueryError:
    sig = os.WTERMSIG(status) if status is not None and os.WIFSIGNALED(status) else None
    what = "it ran out of memory" if sig in (None, signal.SIGABRT, signal.SIGKILL, signal.SIGSEGV) else "it crashed"
    return QueryError(f"the query was stopped: {what} (limit {MEMORY_LIMIT_BYTES >> 20} MiB)",
                      hint="narrow it (more specific patterns, LIMIT)")


# --------------------------------------------------------------------------- one child, one job

def in_child(work: Callable[[], object], timeout_s: float):
    """Run ``work()`` in a forked child and return what it returns; kill the
    child at the deadline."""
    if not hasattr(os, "fork"):
        return work()
    read_end, write_end = os.pipe()
    pid = _fork()
    if pid == 0:  # the child: no return from this branch
        os.close(read_end)
        _one_job(work, write_end)
    os.close(write_end)
    try:
        data = _read_all(read_end, time.monotonic() + timeout_s)
    except TimeoutError:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise timed_out(timeout_s) from None
    finally:
        os.close(read_end)
    _, status = os.waitpid(pid, 0)
    if not data:
        raise died(status)
    return pickle.loads(data)


def _one_job(work, fd: int) -> None:
    try:
        _quiet()
        isolate_network()
        limit_memory()
        _write_all(fd, pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException:  # noqa: BLE001 - the parent reports an empty answer
        pass
    finally:
        os._exit(0)


# --------------------------------------------------------------------------- one child, many jobs

class QueryWorker:
    """A forked child that runs ``handler(request)`` for each request, on the
    state it inherited at fork time (see the module docstring).  The same
    worker serves ``anze-kg query`` and each worker of ``anze-kg serve``."""

    def __init__(self, handler: Callable[[object], object], *, close_sockets: bool = False) -> None:
        self.handler = handler  # returns ("ok", value) or ("error", message, hint, ...), or any picklable answer
        self.close_sockets = close_sockets  # a server's worker: drop its listening and client sockets
        self.pid: int | None = None
        self.to_child = self.from_child = -1
        _WORKERS.add(self)

    @property
    def alive(self) -> bool:
        return self.pid is not None

    def call(self, request, timeout_s: float):
        if not hasattr(os, "fork"):
            return self.handler(request)
        if self.pid is None:
            self.start()
        deadline = time.monotonic() + timeout_s
        try:
            _write_all(self.to_child, _framed(pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)))
            size = _HEADER.unpack(_read_exactly(self.from_child, _HEADER.size, deadline))[0]
            data = _read_exactly(self.from_child, size, deadline)
        except TimeoutError:
            self.stop()
            raise timed_out(timeout_s) from None
        except (EOFError, OSError):
            raise died(self.stop()) from None
        return pickle.loads(data)

    def start(self) -> None:
        """Fork the child now (else it is forked by the first :meth:`call`)."""
        if self.pid is not None or not hasattr(os, "fork"):
            return
        request_read, request_write = os.pipe()
        answer_read, answer_write = os.pipe()
        pid = _fork()
        if pid == 0:  # the child: serves until its request pipe closes
            os.close(request_write)
            os.close(answer_read)
            for other in list(_WORKERS):  # else a sibling would hold the others' pipes open
                if other is not self and other.pid is not None:
                    for fd in (other.to_child, other.from_child):
                        try:
                            os.close(fd)
                        except OSError:
                            pass
            if self.close_sockets:
                _close_sockets()
            self._serve(request_read, answer_write)
        os.close(request_read)
        os.close(answer_write)
        self.pid, self.to_child, self.from_child = pid, request_write, answer_read

    def _serve(self, requests: int, answers: int) -> None:
        try:
            _quiet()
            isolate_network()
            limit_memory()
            while True:
                try:
                    size = _HEADER.unpack(_read_exactly(requests, _HEADER.size, None))[0]
                    request = pickle.loads(_read_exactly(requests, size, None))
                except EOFError:
                    break
                try:
                    answer = self.handler(request)
                except Exception as exc:  # noqa: BLE001 - reported to the parent, the worker lives on
                    answer = ("error", f"the query failed: {exc}", None)
                _write_all(answers, _framed(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)))
        except BaseException:  # noqa: BLE001 - the parent sees the pipe close
            pass
        finally:
            os._exit(0)

    def stop(self) -> int | None:
        """Kill the child (if any); returns its wait status."""
        status = None
        if self.pid is not None:
            for fd in (self.to_child, self.from_child):
                try:
                    os.close(fd)
                except OSError:
                    pass
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                status = os.waitpid(self.pid, 0)[1]
            except ChildProcessError:
                pass
        self.pid, self.to_child, self.from_child = None, -1, -1
        return status


def _fork() -> int:
    global _unshare
    if _unshare is None and sys.platform.startswith("linux"):
        _unshare = _find_unshare() or False
    return _frozen_fork()


def _frozen_fork() -> int:
    """``os.fork()`` with the parent's objects frozen for the child: its garbage
    collector then never walks (and so never copies, page by page) what it
    inherited, which made a worker's first answer 3-4 ms slower.  The parent
    unfreezes at once and collects as before."""
    gc.freeze()
    try:
        pid = os.fork()
    except BaseException:
        gc.unfreeze()
        raise
    if pid != 0:
        gc.unfreeze()
    return pid


# --------------------------------------------------------------------------- pipes

def _quiet() -> None:
    """A child writes nothing to the terminal, and dies of the signals that stop
    a command (its parent's Python handlers would only mark the copy it holds)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
    try:
        signal.set_wakeup_fd(-1)
    except ValueError:  # not the main thread of the child
        pass


def _close_sockets() -> None:
    """Close every socket this (forked) process inherited: a server's listening
    socket and its client connections, which would otherwise stay open (a
    client waiting for the end of an answer would hang) as long as a worker lives."""
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        return
    for fd in fds:
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.close(fd)
        except OSError:
            pass


def _framed(data: bytes) -> bytes:
    return _HEADER.pack(len(data)) + data


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _wait_readable(fd: int, deadline: float | None) -> None:
    while True:
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            raise TimeoutError
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            return


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes:
    chunks, got = [], 0
    while got < size:
        _wait_readable(fd, deadline)
        chunk = os.read(fd, min(size - got, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _read_all(fd: int, deadline: float) -> bytes:
    chunks = []
    while True:
        _wait_readable(fd, deadline)
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
