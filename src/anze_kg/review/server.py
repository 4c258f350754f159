"""The review page and its JSON API, served on 127.0.0.1 only (Starlette on
uvicorn, as ``anze-kg serve``).

* ``GET /`` the page (``static/index.html``, ``review.js``, ``review.css``:
  plain JavaScript, nothing fetched from elsewhere, report text inserted as
  text, never as HTML);
* ``GET /api/records``: the report id, the counts, notes on the folder and
  every draft in text order (key, status, id, type, label, quote, its
  ``start``/``end`` in the text in characters, the record as YAML, warnings);
* ``GET /api/text``: the report body the offsets count in;
* ``POST /api/decide`` ``{"key", "action": "accept"|"correct"|"reject", "yaml"?}``
  and ``POST /api/undo`` ``{"key"}``: 200 with the counts and the records
  as ``/api/records`` gives them, or the refusal ``{"error", "field", "line",
  "hint"}`` with 404, 409 or 422.

Every request passes :class:`anze_kg.protocol.endpoint.Hygiene` (its Host a
loopback name with this port, its Origin, if any, this server: neither DNS
rebinding nor another site's page can decide) and every POST must be
``application/json`` (415 otherwise; a cross-site form cannot send it without
a preflight this server never answers) of at most 1 MiB (413).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from importlib import resources

from anze_kg.errors import AnzeKGError, UsageError
from anze_kg.protocol.connections import DEFAULT_HEADER_TIMEOUT, protocol_with
from anze_kg.protocol.endpoint import Hygiene, allowed_hosts
from anze_kg.review.session import Refused, Session, counts, entries, notes

HOST = "127.0.0.1"
STATIC_FILES = {"review.js": "text/javascript", "review.css": "text/css"}
PAGE_POLICY = ("default-src 'none'; connect-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
               "base-uri 'none'; form-action 'none'")
JSON_TYPE = "application/json"
MAX_BODY = 1 << 20
NO_STORE = {"Cache-Control": "no-store"}


def records_json(session: Session) -> dict:
    state = session.state()
    return {"report": state.report_id, "counts": counts(state), "notes": notes(state),
            "records": entries(session.ctx, state)}


class _BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


async def _json_body(request) -> dict:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != JSON_TYPE:
        raise _BadRequest(415, f"a POST must be {JSON_TYPE}, not {ctype or 'without a Content-Type'}")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise _BadRequest(413, f"the request body is larger than {MAX_BODY} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise _BadRequest(413, f"the request body is larger than {MAX_BODY} bytes")
        chunks.append(chunk)
    try:
        data = json.loads(b"".join(chunks).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _BadRequest(400, "the request body is not JSON (UTF-8)") from None
    if not isinstance(data, dict) or not isinstance(data.get("key"), str):
        raise _BadRequest(400, 'the body must be a JSON object with a "key" (text)')
    return data


def create_app(session: Session, allowed: frozenset):
    """The Starlette app of the page and the API, inside :class:`Hygiene` with the Host names ``allowed``."""
    # deferred: Starlette loads only for the page, not for `review --status` or `extract --refresh`
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    files = {name: resources.files(__package__).joinpath("static", name).read_bytes()
             for name in ("index.html", *STATIC_FILES)}

    def failure(status: int, message: str) -> JSONResponse:
        return JSONResponse({"error": message, "field": None, "line": None, "hint": None}, status, headers=NO_STORE)

    async def call(work: Callable[[], dict]):
        try:
            return JSONResponse(await run_in_threadpool(work), headers=NO_STORE)
        except Refused as refused:
            return JSONResponse(refused.to_json(), refused.status, headers=NO_STORE)
        except AnzeKGError as exc:  # the folder became unreadable (an edit by hand, a disk full)
            return failure(500, str(exc))

    async def index(request):
        return Response(files["index.html"], media_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": PAGE_POLICY, **NO_STORE})

    async def static(request):
        name = request.path_params["name"]
        if name not in STATIC_FILES:
            return PlainTextResponse("not found\n", 404)
        return Response(files[name], media_type=f"{STATIC_FILES[name]}; charset=utf-8", headers=NO_STORE)

    async def records(request):
        return await call(lambda: records_json(session))

    def text_json() -> dict:
        state = session.state()
        return {"report": state.report_id, "text": state.text}

    async def text(request):
        return await call(text_json)

    async def decide(request):
        try:
            body = await _json_body(request)
            action, yaml_text = body.get("action"), body.get("yaml")
            if not isinstance(action, str) or (yaml_text is not None and not isinstance(yaml_text, str)):
                raise _BadRequest(400, 'the body takes "key", "action" and, to correct, "yaml" (texts)')
        except _BadRequest as bad:
            return failure(bad.status, bad.message)

        def work() -> dict:
            session.decide(body["key"], action, yaml_text)
            return records_json(session)

        return await call(work)

    async def undo(request):
        try:
            body = await _json_body(request)
        except _BadRequest as bad:
            return failure(bad.status, bad.message)

        def work() -> dict:
            session.undo(body["key"])
            return records_json(session)

        return await call(work)

    async def no_icon(request):
        return Response(status_code=204)

    routes = [Route("/", index), Route("/favicon.ico", no_icon), Route("/static/{name}", static),
              Route("/api/records", records),
              Route("/api/text", text), Route("/api/decide", decide, methods=["POST"]),
              Route("/api/undo", undo, methods=["POST"])]
    return Hygiene(Starlette(routes=routes), allowed)


def serve_review(session: Session, *, port: int = 0, on_ready: Callable[[str], None] | None = None) -> None:
    """Serve the page on 127.0.0.1:``port`` (0: a free port) until interrupted; ``on_ready``
    gets the URL once the port is bound, before the first request can come."""
    import uvicorn  # deferred: see create_app

    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port} is not a TCP port", hint="give 1-65535 (0: any free port)")
    try:
        sock = socket.create_server((HOST, port))
    except OSError as exc:
        raise UsageError(f"cannot listen on {HOST}:{port}: {exc.strerror or exc}",
                         hint="choose another --port, or 0 for any free one") from None
    bound = sock.getsockname()[1]
    app = create_app(session, allowed_hosts(bound, (), HOST))
    if on_ready is not None:
        on_ready(f"http://{HOST}:{bound}/")
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                            http=protocol_with(DEFAULT_HEADER_TIMEOUT))  # no connection held open for free
    uvicorn.Server(config).run(sockets=[sock])
