"""The SPARQL guard: what is refused before anything is evaluated or fetched.

A small lexer that skips strings, IRIs and comments finds updates (INSERT,
DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD, WITH), ``SERVICE``, and
``FROM`` / ``FROM NAMED`` naming a graph other than the local ones
(``https://w3id.org/anze-kg/graph/...``); then Oxigraph's parser checks the
syntax against an empty store.  Syntax errors point at the token where
reading stops (line and column, 1-based).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urljoin

import pyoxigraph as ox

from anze_kg.errors import QueryError
from anze_kg.namespaces import GRAPH, PREFIX_MAP

LOCAL_GRAPHS = str(GRAPH)

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})


_TOKEN = re.compile(
    r"""(?P<ws>\s+)
      | (?P<comment>\#[^\n]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                   |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
      | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
      | (?P<pname>(?:[^\W\d][\w.\-]*)?:(?:[\w:%\-]|\\.|\.(?=[\w:%\-\\]))*)
      | (?P<word>[^\W\d]\w*)
      | (?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    kind: str
    value: str
    pos: int


def tokens(text: str) -> list[Token]:
    """The SPARQL tokens of ``text`` with comments and whitespace dropped: a
    lexer good enough to find keywords outside strings, IRIs and comments."""
    out = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind not in ("ws", "comment"):
            out.append(Token(kind, match.group(), match.start()))
    return out


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _refuse(text: str, token: Token, what: str, hint: str) -> QueryError:
    line, col = _line_col(text, token.pos)
    return QueryError(f"{what} (line {line}, column {col}); nothing was run", hint=hint)


def _iri_of(token: Token, prefixes: dict[str, str], base: str | None) -> str | None:
    if token.kind == "iri":
        value = token.value[1:-1]
        return urljoin(base, value) if base else value
    if token.kind == "pname":
        prefix, _, local = token.value.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else None
    return None


def _guard(text: str, toks: list[Token]) -> None:
    """Refuse updates, SERVICE and FROM naming a non-local graph, from the tokens."""
    prefixes = dict(PREFIX_MAP)
    base: str | None = None
    for i, tok in enumerate(toks):
        word = tok.value.upper() if tok.kind == "word" else ""
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if word in UPDATE_WORDS:
            raise _refuse(text, tok, f"updates are refused ({word})", "the graph is read-only here: "
                          "change the fact files and run anze-kg build")
        if word == "SERVICE":
            raise _refuse(text, tok, "SERVICE (federated query) is refused",
                          "only the local graph is queried; nothing is fetched from the network")
        if word == "PREFIX" and nxt is not None and i + 2 < len(toks) and toks[i + 2].kind == "iri":
            prefixes[nxt.value.rstrip(":")] = _iri_of(toks[i + 2], prefixes, base) or ""
        elif word == "BASE" and nxt is not None and nxt.kind == "iri":
            base = _iri_of(nxt, prefixes, base)
        elif word == "FROM":
            target = toks[i + 2] if nxt is not None and nxt.value.upper() == "NAMED" and i + 2 < len(toks) else nxt
            iri = _iri_of(target, prefixes, base) if target is not None else None
            if iri is not None and not iri.startswith(LOCAL_GRAPHS):
                raise _refuse(text, tok, f"FROM <{iri}> is refused: not a local graph",
                              f"only the local graphs {LOCAL_GRAPHS}... can be named; nothing was fetched")


def has_dataset_clause(text: str) -> bool:
    """Whether the query names its own dataset (FROM / FROM NAMED): it then must
    not be run with the union of all graphs as its default graph."""
    return any(t.kind == "word" and t.value.upper() == "FROM" for t in tokens(text))


def _form_of(toks: list[Token]) -> str | None:
    for tok in toks:
        if tok.kind == "word" and tok.value.upper() in FORMS:
            return tok.value.upper()
    return None


_EMPTY: ox.Store | None = None


def _parse(text: str) -> None:
    """Parse with Oxigraph's SPARQL parser (against an empty store, so nothing is read)."""
    global _EMPTY
    if _EMPTY is None:
        _EMPTY = ox.Store()
    try:
        _EMPTY.query(text, prefixes=PREFIX_MAP)
    except (SyntaxError, ValueError) as exc:
        raise _syntax_error(text, str(exc)) from None


_POSITION = re.compile(r"^error at (\d+):(\d+):\s*(.*)$", re.DOTALL)
_BRACKETS = {"{": "}", "(": ")", "[": "]"}


def _syntax_error(text: str, ox_message: str) -> QueryError:
    """A syntax error with the most precise position found: first the lexical
    problems this module can pin to a token (undeclared prefix, relative IRI,
    unbalanced bracket, unterminated string), then where rdflib's SPARQL 1.1
    grammar stops, then Oxigraph's own report (often the end of the query)."""
    found = _lexical_problem(text, tokens(text)) or _grammar_stop(text) or _oxigraph_position(text, ox_message)
    pos, what, hint = found
    line, col = _line_col(text, pos)
    lines = text.splitlines() or [""]
    shown = lines[line - 1] if 0 < line <= len(lines) else ""
    caret = " " * (display_width(shown[: col - 1]) + 4) + "^"
    return QueryError(f"SPARQL syntax error at line {line}, column {col}: {what}\n    {shown}\n{caret}", hint=hint)


def _lexical_problem(text: str, toks: list[Token]) -> tuple[int, str, str | None] | None:
    declared = set(PREFIX_MAP)
    has_base = False
    stack: list[Token] = []
    for i, tok in enumerate(toks):
        word = tok.value.upper() if tok.kind == "word" else ""
        if word == "PREFIX" and i + 1 < len(toks):
            declared.add(toks[i + 1].value.rstrip(":"))
        elif word == "BASE":
            has_base = True
        elif tok.kind == "pname" and tok.value.partition(":")[0] not in declared and not (i and toks[i - 1].value.upper() == "PREFIX"):
            prefix = tok.value.partition(":")[0]
            return tok.pos, f"unknown prefix {prefix}:", f"declare it: PREFIX {prefix}: <http://...>"
        elif tok.kind == "iri" and not has_base and not re.match(r"^<[A-Za-z][\w+.-]*:", tok.value):
            return tok.pos, f"relative IRI {tok.value} and no BASE", "write the full IRI, or declare BASE <...>"
        elif tok.value in ('"', "'"):
            return tok.pos, "a string is not closed on this line", None
        elif tok.value in _BRACKETS:
            stack.append(tok)
        elif tok.value in _BRACKETS.values():
            if not stack or _BRACKETS[stack[-1].value] != tok.value:
                return tok.pos, f"unexpected {tok.value!r}", "brackets do not match"
            stack.pop()
    if stack:
        return stack[-1].pos, f"{stack[-1].value!r} is never closed", None
    return None


def _grammar_stop(text: str) -> tuple[int, str, None] | None:
    """Where rdflib's SPARQL grammar stops reading (its parser is loaded only here, on errors)."""
    try:  # deferred: rdflib's parser costs 0.3 s, paid only to explain a syntax error
        from pyparsing import ParseException
        from rdflib.plugins.sparql.parser import parseQuery
    except ImportError:  # pragma: no cover - rdflib is a dependency
        return None
    try:
        parseQuery(text)
    except ParseException as exc:
        rest = text[exc.loc:].strip()
        near = next((t.value for t in tokens(rest)), "") if rest else ""
        return exc.loc, (f"cannot read the query from {near!r} on" if near else "the query ends too early"), None
    except Exception:  # noqa: BLE001 - any other rdflib failure: fall back to Oxigraph's position
        return None
    return None


def _oxigraph_position(text: str, message: str) -> tuple[int, str, None]:
    match = _POSITION.match(message)
    if not match:
        return 0, message, None
    line, col, what = int(match.group(1)), int(match.group(2)), match.group(3).splitlines()[0]
    if len(what) > 100:
        what = what[: what.rfind(", ", 0, 100)] + ", ..."
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    pos = starts[min(line, len(starts)) - 1] + col - 1
    return min(pos, len(text)), what, None


@functools.lru_cache(maxsize=256)
def check_query(text: str) -> str:
    """The query form (SELECT, ASK, CONSTRUCT or DESCRIBE) of ``text`` once it is
    known to be safe to run: raises QueryError for a syntax error (with line and
    column), an update, SERVICE, or FROM / FROM NAMED naming a non-local graph.
    Verdicts on texts that pass are remembered (a named query run again is
    not lexed and parsed again)."""
    if not text.strip():
        raise QueryError("the query is empty")
    toks = tokens(text)
    _guard(text, toks)
    _parse(text)
    form = _form_of(toks)
    if form is None:
        raise QueryError("the query has no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return form




def display_width(text: str) -> int:
    """Terminal columns of ``text``: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
