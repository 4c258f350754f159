"""Defence in depth behind the guard: the process that evaluates a query has
no network.  Each test hands the engine a SERVICE query directly, as a guard
bug would, and a listening socket on 127.0.0.1 counts who connects."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from test_query import Listener

from anze_kg.sparql import worker
from anze_kg.sparql.evaluate import Request, evaluate
from anze_kg.sparql.stores import Store
from anze_kg.storespec import parse_spec

ISOLATED = worker.network_isolated()
needs_isolation = pytest.mark.skipif(
    not ISOLATED, reason="this OS gives a process no network namespace of its own (unshare(CLONE_NEWNET) "
                         "refused, and unprivileged user namespaces are off: sysctl kernel.unprivileged_userns_clone=1)")


def service(listener: Listener) -> Request:
    return Request(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}", "SELECT")


@pytest.fixture
def listener():
    canary = Listener()
    yield canary
    canary.close()


def test_the_engine_itself_reaches_the_network(listener):
    # the premise: in this process, pyoxigraph does connect for a SERVICE (else the tests below prove nothing)
    evaluate(ox.Store(), service(listener))
    assert listener.close() >= 1


@needs_isolation
def test_a_query_child_cannot_connect_even_to_loopback(listener):
    outcome = worker.in_child(lambda: evaluate(ox.Store(), service(listener)), 10)
    assert outcome[0] == "error" and "unreachable" in outcome[1].lower()
    assert listener.close() == 0


@needs_isolation
@pytest.mark.parametrize("close_sockets", [False, True])  # the query command's worker, the endpoint's
def test_a_long_lived_worker_cannot_connect(listener, close_sockets):
    store = Store(ox.Store(), parse_spec("memory"))
    child = worker.QueryWorker(lambda request: evaluate(store.ox, request), close_sockets=close_sockets)
    try:
        for _ in range(2):  # the first request and a later one
            outcome = child.call(service(listener), 10)
            assert outcome[0] == "error" and "unreachable" in outcome[1].lower()
        # and it still answers what needs no network
        ok = child.call(Request("ASK { }", "ASK"), 10)
        assert ok[0] == "ok" and ok[1].boolean is True
    finally:
        child.stop()
    assert listener.close() == 0
