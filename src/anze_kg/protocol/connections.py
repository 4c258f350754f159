"""Connections that cannot be held open for free: uvicorn's HTTP/1.1 protocol
(h11) with a deadline for each request's head.

uvicorn closes a kept-alive connection that stays idle after a response
(``timeout_keep_alive``), but not one that never sends a request, nor one
that sends its headers a byte at a time: either holds a connection, and a
few hundred of them hold the server.  Here a connection must deliver a whole
request head within ``header_timeout`` seconds of opening, and again of each
response, or it is closed.  The body of a request has its own deadline in
the endpoint (:func:`anze_kg.protocol.endpoint.read_body`).
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.h11_impl import H11Protocol

DEFAULT_HEADER_TIMEOUT = 10.0


class DeadlineH11Protocol(H11Protocol):
    """H11Protocol that closes a connection whose request head does not arrive in time."""

    header_timeout = DEFAULT_HEADER_TIMEOUT

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._started = None
        self._head_deadline = None
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._head_deadline = self.loop.call_later(self.header_timeout, self._too_slow)

    def _disarm(self) -> None:
        if getattr(self, "_head_deadline", None) is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _too_slow(self) -> None:
        self._head_deadline = None
        if self.transport is not None and not self.transport.is_closing():
            self.transport.close()

    def handle_events(self) -> None:
        super().handle_events()
        if self.cycle is not None and self.cycle is not self._started:  # a whole head arrived: a new request
            self._started = self.cycle
            self._disarm()

    def on_response_complete(self) -> None:
        if not self.transport.is_closing():
            self._arm()  # the next request's head, in time too (a pipelined one, read below, disarms it)
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def protocol_with(header_timeout: float) -> type[DeadlineH11Protocol]:
    """The protocol class for uvicorn's ``Config(http=...)`` with this deadline."""
    return type("DeadlineH11Protocol", (DeadlineH11Protocol,), {"header_timeout": header_timeout})
