"""The SPARQL guard against Oxigraph's own reading of a query.

A canary HTTP server on 127.0.0.1 (random port) counts every connection.
Each hostile query below is first shown to reach it when Oxigraph runs the
query unguarded (so the case is a real bypass, not a syntax error), then
shown to be refused by :func:`check_query`.  A differential fuzz test mixes
SERVICE in every spelling with comments, strings, IRIs and names, runs each
query that parses on a tiny store, and asserts that nothing the guard lets
through ever connects to the canary."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
import time
from collections import Counter

import pyoxigraph as ox
import pytest
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anze_kg.errors import QueryError
from anze_kg.sparql import guard
from anze_kg.sparql.guard import check_query, has_dataset_clause, tokens

E = "http://e/"
LOCAL = "https://w3id.org/anze-kg/graph/anze-2023"


class Canary(http.server.ThreadingHTTPServer):
    """Counts accepted connections, whatever they send; answers 500."""

    daemon_threads = True

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.connections = 0

        class Handler(http.server.BaseHTTPRequestHandler):
            def _any(self):
                self.send_response(500)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = do_PUT = do_HEAD = _any

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    def verify_request(self, request, client_address) -> bool:
        with self.lock:
            self.connections += 1
        return True

    @property
    def port(self) -> int:
        return self.server_address[1]


@pytest.fixture(scope="module")
def canary():
    server = Canary()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def tiny() -> ox.Store:
    """A few triples, so that a SERVICE after a triple pattern is reached."""
    store = ox.Store()
    s, p = ox.NamedNode(E + "s"), ox.NamedNode(E + "p")
    for o in (ox.NamedNode(E + "o"), ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
              ox.NamedNode("http://a"), ox.NamedNode("http://a:"), ox.NamedNode(E + "a.b"), ox.NamedNode(E + "a\u3002#x")):
        store.add(ox.Quad(s, p, o))
    return store


def prologue(port: int) -> str:
    return (f"PREFIX : <http://127.0.0.1:{port}/> PREFIX c: <http://127.0.0.1:{port}/> PREFIX e: <{E}> "
            "PREFIX p1: <http://a> PREFIX p2: <http://a:>\n")


def fill(template: str, port: int) -> str:
    return prologue(port) + template.replace("{C}", f"<http://127.0.0.1:{port}/x>")


def run_unguarded(store: ox.Store, canary: Canary, text: str) -> int:
    """Connections to the canary while Oxigraph evaluates ``text`` (no guard)."""
    before = canary.connections
    try:
        result = store.query(text)
        if not isinstance(result, ox.QueryBoolean):
            for _ in result:
                pass
    except Exception:  # noqa: BLE001 - a SERVICE answered 500, a runtime type error...: only the count matters
        pass
    return canary.connections - before


def refused(text: str) -> str | None:
    try:
        check_query(text)
    except QueryError as exc:
        return str(exc)
    return None


# -- bypasses of the old guard: each reaches the canary unguarded, each is refused -----------------------------

BYPASSES = {
    "comment ends at CR": "SELECT * WHERE { #c\rSERVICE {C} { ?x ?y ?z } }",
    "comment ends at CR, between keyword and IRI": "SELECT * WHERE { SERVICE#c\r{C} { ?x ?y ?z } }",
    "comment ends at CRLF": "SELECT * WHERE { # SERVICE {C}\r\nSERVICE {C} { ?x ?y ?z } }",
    "comment ends at LF": "SELECT * WHERE { # a comment\nSERVICE {C} { ?x ?y ?z } }",
    "lower case": "select * where { service {C} { ?x ?y ?z } }",
    "mixed case, SILENT": "SELECT * WHERE { sErViCe SiLeNt {C} { ?x ?y ?z } }",
    "no boundary before SILENT": "SELECT * WHERE { SERVICESILENT{C}{ ?x ?y ?z } }",
    "no boundary before a prefixed name": "SELECT * WHERE { SERVICEc:x { ?x ?y ?z } }",
    "no boundary before the empty prefix": "SELECT * WHERE { SERVICE:x { ?x ?y ?z } }",
    "no boundary after true": "SELECT * WHERE { ?s ?p ?o . ?s ?p trueSERVICE :x { ?a ?b ?c } }",
    "no boundary after a double": "SELECT * WHERE { ?s ?p ?o FILTER(1e5>0)SERVICE :x { ?a ?b ?c } }",
    "a local name takes one group of dots": "SELECT * WHERE { ?s ?p e:a.b.SERVICE {C} { ?a ?b ?c } }",
    "PN_CHARS is not Python's \\w (then \\# is no comment)":
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?s ?p e:a\u3002\\#x } SERVICE {C} { ?a ?b ?c } }",
    "an invalid IRI splits the name (port)": "SELECT * WHERE { ?s ?p p1:SERVICE:x { ?a ?b ?c } }",
    "an invalid IRI splits the name (no colon after)": "SELECT * WHERE { ?s ?p p2:SERVICE {C} { ?a ?b ?c } }",
    "a long string with a non-character escape is two short ones":
        "SELECT * WHERE { ?s ?p ?o VALUES (?a ?b) { (''', ') } SERVICE :x { ?x ?y ?z } } #\\uD800'''",
    "< is less-than when what follows is no IRI":
        "SELECT * WHERE { ?s ?p ?o FILTER(1<'>' || true) SERVICE :x { ?x ?y ?z } FILTER(1<'>' || true) }",
}


@pytest.mark.parametrize("name", BYPASSES)
def test_a_bypass_reaches_the_canary_unguarded_and_is_refused(name, canary, tiny):
    text = fill(BYPASSES[name], canary.port)
    assert guard._parse_only(text) is None, "Oxigraph parses it"
    assert run_unguarded(tiny, canary, text) > 0, "Oxigraph would call the service"
    before = canary.connections
    message = refused(text)
    assert message is not None and "SERVICE (federated query) is refused" in message
    assert canary.connections == before


@pytest.mark.parametrize("name", BYPASSES)
def test_each_bypass_is_caught_by_the_lexer_and_by_the_parser_alone(name, canary):
    """Two independent layers: the lexer's tokens, and Oxigraph's parser judging
    whether SERVICE is a keyword; each refuses every case by itself."""
    text = fill(BYPASSES[name], canary.port)
    with pytest.raises(QueryError, match="SERVICE"):
        guard._lexical_guard(text, tokens(text))
    assert guard._keyword_parsed(text, "SERVICE")


def test_a_local_name_with_service_passes_only_under_a_path_namespace():
    """``p2:SERVICE`` is ``http://a:SERVICE`` (port 'SERVICE': no IRI), which
    Oxigraph reads as ``p2:`` SERVICE: the lexer lets SERVICE in a local name
    pass only under a namespace ending in a path's / or #."""
    assert refused(prologue(1) + "SELECT * WHERE { ?s ?p p2:SERVICE <http://x/> { ?a ?b ?c } }")
    assert refused(prologue(1) + "PREFIX u: <http://x/y?q=> SELECT * WHERE { ?s ?p u:Service }")
    assert refused(prologue(1) + "SELECT * WHERE { ?s ?p e:Service . ?s e:ServiceType ?o }") is None


@pytest.mark.parametrize("template", [
    "SELECT * WHERE { SERVIC\\u0045 {C} { ?x ?y ?z } }",
    "SELECT * WHERE { \\u0053ERVICE {C} { ?x ?y ?z } }",
    "SELECT * WHERE { SERVIC\\U00000045 {C} { ?x ?y ?z } }",
    "SELECT * WHERE { ?s ?p ?o \\u0023 a comment?\n SERVICE {C} { ?x ?y ?z } }",
    "SELECT * WHERE { ?s ?p ?o } #\\u000a SERVICE {C} { ?x ?y ?z }",
])
def test_codepoint_escapes_are_not_read_before_parsing_by_this_oxigraph(template, canary, tiny):
    """SPARQL 1.1 allows \\u escapes anywhere; Oxigraph 0.5.13 reads them only in
    strings and IRIs, so these do not spell SERVICE (or a comment) for it."""
    text = fill(template, canary.port)
    assert run_unguarded(tiny, canary, text) == 0
    if guard._parse_only(text) is None:  # the last one: an escaped LF does not end a comment
        assert refused(text) is None
    else:
        assert refused(text) is not None


def test_an_oxigraph_that_unescapes_before_parsing_fails_closed(monkeypatch):
    monkeypatch.setattr(guard, "_engine", lambda: True)
    with pytest.raises(QueryError, match="escapes are refused"):
        check_query('ASK { ?s ?p "caf\\u00e9 (unescaping engine)" }')


def test_a_pyoxigraph_that_evaluates_while_parsing_fails_closed(monkeypatch):
    class Evaluates:
        def query(self, *args, **kwargs):
            return True

    guard._engine.cache_clear()
    monkeypatch.setattr(guard, "_EMPTY", Evaluates())
    try:
        with pytest.raises(QueryError, match="pyoxigraph"):
            check_query("ASK { ?s ?p ?o . FILTER(true) } # evaluates")
    finally:
        monkeypatch.undo()
        guard._engine.cache_clear()


# -- what must still pass -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "SELECT ?service WHERE { ?service ?p ?o }",
    "SELECT $SERVICE WHERE { ?s ?p $SERVICE }",
    "PREFIX schema: <https://schema.org/> SELECT * WHERE { ?s a schema:Service ; schema:ServiceChannel ?c }",
    f"PREFIX e: <{E}> SELECT * WHERE {{ ?s e:SERVICE ?o . ?s e:service.x ?o }}",
    "SELECT * WHERE { ?s <http://example.org/SERVICE#SERVICE> ?o }",
    "SELECT * WHERE { ?s ?p 'SERVICE <http://x/> { ?a ?b ?c }' , \"SERVICE\" , '''SERVICE\r\n''' , \"\"\"x\\\"\"\"\" }",
    "SELECT * WHERE { ?s ?p \"it's \\\" SERVICE\" . ?s ?p 'caf\\u00e9 SERVICE \\U0001F600' }",
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/> { }",
    "SELECT * WHERE { ?s ?p \"x\"@en-service , _:service }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
    "SELECT * WHERE { ?s ?p ?o } # from <http://x/> \r",
    "SELECT ?from WHERE { ?from ?p 'FROM <http://x/>' }",
])
def test_service_and_from_as_names_strings_iris_and_comments_pass(text):
    assert check_query(text) == "SELECT"
    assert has_dataset_clause(text) is False


# -- FROM -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, iri", [
    ("SELECT * FROMNAMED<http://remote/g> WHERE { ?s ?p ?o }", "http://remote/g"),
    ("SELECT * FROM<http://remote/g> WHERE { ?s ?p ?o }", "http://remote/g"),
    ("PREFIX r: <http://remote/> SELECT * FROMr:g WHERE { ?s ?p ?o }", "http://remote/g"),
    ("PREFIX r: <http://remote/> SELECT * FROM NAMEDr:g WHERE { ?s ?p ?o }", "http://remote/g"),
    ("SELECT * #x\rFROM <http://remote/g> WHERE { ?s ?p ?o }", "http://remote/g"),
    ("SELECT * FROM <http://remote/\\u0067> WHERE { ?s ?p ?o }", "http://remote/g"),
])
def test_from_in_every_spelling_is_read(text, iri):
    assert f"FROM <{iri}> is refused: not a local graph" in refused(text)
    assert has_dataset_clause(text)


def test_a_glued_local_from_passes_and_is_a_dataset_clause():
    text = f"ASK FROMNAMED<{LOCAL}> {{ ?s ?p ?o }}"
    assert check_query(text) == "ASK" and has_dataset_clause(text)


# -- the lexer ------------------------------------------------------------------------------------------------

def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.kind, t.value) for t in tokens(text)]


def test_the_lexer_follows_oxigraphs_terminals():
    assert kinds("#c\rSERVICE") == [("word", "SERVICE")]
    assert kinds("#c\r\n?x #d\n?y") == [("var", "?x"), ("var", "?y")]
    assert kinds("e:a.b.c") == [("pname", "e:a.b"), ("other", "."), ("word", "c")]
    assert kinds("e:a\u3002\\#x") == [("pname", "e:a\u3002\\#x")]
    assert kinds("?a\u00aa") == [("var", "?a"), ("other", "\u00aa")]  # U+00AA is \w, not PN_CHARS
    assert kinds("'''a''''") == [("string", "'''a'''"), ("other", "'")]
    assert kinds("'''\\uD800'''") == [("string", "''"), ("other", "'"), ("other", "\\"), ("word", "uD800"),
                                      ("string", "''"), ("other", "'")]
    assert kinds('"a\\"b" x') == [("string", '"a\\"b"'), ("word", "x")]
    assert kinds("'a\rb'")[0] == ("other", "'")  # a short string cannot hold CR
    assert kinds("<http://x/#y> <'>")[:2] == [("iri", "<http://x/#y>"), ("other", "<")]
    assert kinds("BASE <http://x/> <'>")[2] == ("iri", "<'>")
    assert kinds("<http://x/\\u0020>")[0] == ("other", "<")  # an escaped space is no IRI character
    assert kinds("1e5SERVICE 1.5 .5 12") == [("number", "1e5"), ("word", "SERVICE"), ("number", "1.5"),
                                              ("number", ".5"), ("number", "12")]
    assert kinds('"x"@en-GB--ltr _:b.c') == [("string", '"x"'), ("langtag", "@en-GB--ltr"), ("bnode", "_:b.c")]
    assert kinds("\f\xa0") == [("other", "\f"), ("other", "\xa0")]  # not whitespace for Oxigraph


# -- the syntax check evaluates nothing -----------------------------------------------------------------------

def values(var: str) -> str:
    return f"VALUES ?{var} {{ {' '.join(str(i) for i in range(1000))} }}"


HEAVY_ASK = f"ASK {{ {values('a')} {values('b')} {values('c')} FILTER(?a + ?b + ?c < 0) }}"
HEAVY_ORDER = f"SELECT * WHERE {{ {values('a')} {values('b')} {values('c')} }} ORDER BY DESC(?a + ?b + ?c) LIMIT 1"


@pytest.mark.parametrize("text", [HEAVY_ASK, HEAVY_ORDER], ids=["ask", "order-by"])
def test_a_query_that_takes_minutes_to_evaluate_is_checked_in_under_2_s(text):
    """Each is a billion-row evaluation (the old check ran it on an empty store:
    over 100 s for the ASK); the check parses it and stops."""
    started = time.perf_counter()
    assert check_query(text) in ("ASK", "SELECT")
    assert time.perf_counter() - started < 2


def test_the_heavy_query_really_is_heavy():
    """Evaluating HEAVY_ASK on an empty store does not finish in 5 s."""
    code = "import sys, pyoxigraph; pyoxigraph.Store().query(sys.stdin.read())"
    with pytest.raises(subprocess.TimeoutExpired):
        subprocess.run([sys.executable, "-c", code], input=HEAVY_ASK, text=True, timeout=5)


def test_parsing_alone_never_calls_a_service(canary):
    text = fill("SELECT * WHERE { SERVICE {C} { ?x ?y ?z } }", canary.port)
    before = canary.connections
    assert guard._parse_only(text) is None
    assert "SERVICE" in refused(text)
    assert canary.connections == before


# -- the differential fuzz test ---------------------------------------------------------------------------------

# Separators between tokens: every comment ending, gluing (""), and rarely a
# character that is whitespace to Python but not to Oxigraph.
SEPARATORS = ["", "", " ", " ", "\n", "\r", "\r\n", "\t", "#c\r", "#c\n", "#c\r\n", " # SERVICE {C} \r",
              "\r#\r\n", "#\\u000a\n", "\f"]
SEP = st.sampled_from(SEPARATORS)
ESCAPED = ["SERVIC\\u0045", "\\u0053ERVICE", "SERVIC\\U00000045", "SERV\\u0049CE"]


def cased(word: str):
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda flips: "".join(c.lower() if f else c for c, f in zip(word, flips)))


KEYWORD = st.one_of(cased("SERVICE"), cased("SERVICE"), cased("SERVICE"), st.sampled_from(ESCAPED))
SILENT = st.one_of(st.just(""), st.just(""), cased("SILENT"))
TARGET = st.sampled_from(["{C}", "{C}", ":x", "c:x", "?svc", "<http://127.0.0.1:{P}/y>"])


@st.composite
def service_block(draw) -> str:
    return (draw(KEYWORD) + draw(SEP) + draw(SILENT) + draw(SEP) + draw(TARGET) + draw(SEP)
            + "{ ?x ?y ?z }")


# What may stand right before a SERVICE block (glued or not), and after it.
LEADS = ["", "?s ?p ?o ", "?s ?p ?o .", "?s ?p true", "?s ?p false .", "?s ?p p1:", "?s ?p p2:", "?s ?p e:a.b.",
         "OPTIONAL { ?s ?p e:a\u3002\\#x } ", "FILTER(1<'>' || true) ", "FILTER(1e5>0)", "?s ?p 1.0",
         "?s ?p 'x'@en ", "?s ?p <http://e/#> .", "?s ?p e:a\\#b\\#"]
COMPLETE = ["?s ?p ?o .", "FILTER(1<'>' || true)", "OPTIONAL { ?s ?p e:a\u3002\\#x }", "?s ?p <http://e/#> .",
            "BIND('SERVICE' AS ?w)", "?s ?p e:a.b.", "FILTER(?o != e:SERVICE)"]
TAILS = ["", " ", "\n", " FILTER(1<'>' || true)", " # SERVICE\n"]
FINAL = ["", "", " #\\uD800'''", "\n#x", " # SERVICE {C}\r"]
QUOTES = ["'", '"', "'''", '"""']
ESCAPES = [" ", " ", " ", "\\'", '\\"', "\\\\", "\\u0020", "\\t", "#", "\\uD800", "\\U00110000", "\r", "\n"]


@st.composite
def hidden(draw) -> str:
    """A SERVICE block where it is no code: in a comment, a string, an IRI, a name."""
    block = draw(service_block())
    how = draw(st.sampled_from(["comment", "string", "string", "iri", "pname", "var", "prefix"]))
    if how == "comment":
        return "#" + block + draw(st.sampled_from(["\n", "\r", "\r\n"]))
    if how == "string":
        quote = draw(st.sampled_from(QUOTES))
        body = "".join(draw(st.sampled_from(ESCAPES)) if c == " " else c for c in block)
        return f"BIND({quote}{body}{quote} AS ?h{draw(st.integers(0, 10**6))})"
    if how == "iri":
        return "?s ?p <http://e/" + "".join(c for c in block if c not in " \r\n\t\f{}<>\\") + "> ."
    word = draw(KEYWORD)
    if how == "pname":
        return f"?s e:{word}{draw(st.sampled_from(['', ':x', '.x', ':SILENT', '.SERVICE']))} ?o ."
    if how == "var":
        return f"?{word} ?p ?o ."
    return f"?s ?p {word}:x ."


@st.composite
def exposed(draw) -> str:
    return draw(st.sampled_from(LEADS)) + draw(SEP) + draw(service_block()) + draw(st.sampled_from(TAILS))


@st.composite
def query(draw) -> str:
    part = st.one_of(exposed(), exposed(), hidden(), hidden(), st.sampled_from(COMPLETE))
    parts = draw(st.lists(part, min_size=1, max_size=3))
    body = "".join(draw(SEP) + p for p in parts)
    head = draw(st.sampled_from(["SELECT * WHERE", "select*where", "ASK", "SELECT ?s WHERE", "SELECT*"]))
    return head + draw(SEP) + "{ ?s ?p ?o . " + body + draw(SEP) + "}" + draw(st.sampled_from(FINAL))


@pytest.mark.parametrize("layers, examples", [("both", 2000), ("lexer alone", 700), ("parser alone", 700)])
def test_fuzz_nothing_the_guard_passes_reaches_the_network(layers, examples, canary, tiny, monkeypatch):
    """Differential: Oxigraph runs every generated query that parses; the guard
    must have refused each one that connected to the canary.  The fuzzer must
    also produce real attempts (queries that do connect) for this to mean anything.
    Each layer of the guard withstands it alone, too: the lexer (Oxigraph's
    parser not asked about SERVICE), and the parser (the lexer blind to SERVICE)."""
    if layers == "lexer alone":
        keyword_parsed = guard._keyword_parsed
        monkeypatch.setattr(guard, "_keyword_parsed", lambda text, word: word != "SERVICE" and keyword_parsed(text, word))
    elif layers == "parser alone":
        monkeypatch.setattr(guard, "_holds_service", lambda tok, prefixes: False)
    check_query.cache_clear()
    seen: Counter = Counter()

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(query())
    def check(body: str) -> None:
        text = prologue(canary.port) + body.replace("{C}", f"<http://127.0.0.1:{canary.port}/x>") \
            .replace("{P}", str(canary.port))
        verdict = refused(text)
        seen["passed" if verdict is None else "refused"] += 1
        if guard._parse_only(text) is not None:
            assert verdict is not None, "the guard passed a text Oxigraph cannot parse"
            return
        seen["parsed"] += 1
        connections = run_unguarded(tiny, canary, text)
        if connections:
            seen["reached"] += 1
        assert not (verdict is None and connections), f"the guard passed a query that called a service:\n{text!r}"

    started = time.monotonic()
    check()
    assert time.monotonic() - started < 60
    check_query.cache_clear()  # verdicts reached with a layer switched off are not kept
    assert seen["reached"] >= examples // 20, seen  # real SERVICE calls were generated, and every one was refused
    assert seen["passed"] >= examples // 50, seen   # and the guard is not simply refusing everything


def test_the_ascii_lexer_reads_ascii_queries_as_the_unicode_one_does():
    """Start-up uses a lexer with ASCII classes on ASCII text: it must cut every query the same."""
    from pathlib import Path

    from anze_kg.sparql import guard

    texts = [q.read_text(encoding="utf-8") for q in sorted((Path(__file__).parents[1] / "queries").glob("*.rq"))]
    texts += ["SELECT * WHERE { #c\rSERVICE <http://127.0.0.1:1/x> { ?x ?y ?z } }",
              "PREFIX a-b.c: <x:> SELECT ?v_1 WHERE { a-b.c:p.q%41\\~r ?v_1 _:b.1 . } LIMIT 1e3"]
    texts += ["SELECT ?名 ?v名 WHERE { ex:a.名:b ?p '中文' } # 注释", "ASK { ?x a.名:x }", "?名", "a.名: ?x"]
    assert texts[0]
    full = guard._simple_unicode()
    for text in texts:
        lexer_at, pos, mixed, whole = guard._lexers(text), 0, [], []
        while pos < len(text):
            if text[pos] in "'\"<":  # strings and IRIs are read by their own patterns in scan()
                pos += 1
                continue
            a, b = lexer_at(pos).match(text, pos), full.match(text, pos)
            mixed.append((a.lastgroup, a.end()))
            whole.append((b.lastgroup, b.end()))
            pos = b.end()
        assert mixed == whole, text[:80]
    # and a name in Chinese still needs, and gets, the full classes
    assert [t.kind for t in guard.tokens("SELECT ?名 WHERE { ?名 ?p ?o }")][:2] == ["word", "var"]


@pytest.mark.parametrize("opening, closing", [("(", ")"), ("{", "}"), ("[", "]")])
def test_brackets_nested_too_deep_are_refused_before_any_parser(opening, closing):
    deep = f"SELECT * WHERE {{ FILTER({opening * 5000}1{closing * 5000}) }}"
    with pytest.raises(QueryError, match="brackets nested more than 256 deep"):
        check_query(deep)  # before: Oxigraph's parser overflowed its stack and the process died (SIGSEGV)
    check_query(f"SELECT * WHERE {{ FILTER({'(' * 200}1{')' * 200}) }}")  # deep, but not too deep


def test_a_deep_query_does_not_crash_the_command(tmp_path):
    deep = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    done = subprocess.run([sys.executable, "-m", "anze_kg", "query", "--sparql", deep],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 2 and "nested more than 256 deep" in done.stderr
