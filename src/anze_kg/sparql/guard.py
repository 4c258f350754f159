"""The SPARQL guard: what is refused before anything is evaluated or fetched.

Refused: updates (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD,
WITH), ``SERVICE`` (the only way an Oxigraph query reaches the network), and
``FROM`` / ``FROM NAMED`` naming a graph other than the local ones
(``https://w3id.org/anze-kg/graph/...``).  Syntax errors point at the token
where reading stops (line and column, 1-based).

Three layers, each written against Oxigraph's own SPARQL grammar (spargebra
0.5, the parser pyoxigraph 0.5 runs), not against a generic idea of SPARQL:

1. A lexer (:func:`tokens`) with that grammar's terminals, character for
   character: whitespace is only space, tab, CR and LF; a ``#`` comment ends at
   CR *or* LF; the four string forms with their escapes, where a string whose
   ``\\u``/``\\U`` escape is not a character (a surrogate, past U+10FFFF) is
   not a string (Oxigraph then reads ``'''`` as ``''`` followed by ``'``); an
   ``<...>`` is an IRI only if its characters (after ``\\u`` escapes) may be
   in an IRI and it is absolute or a BASE was declared (otherwise Oxigraph
   reads ``<`` as less-than); names use SPARQL's PN_CHARS classes (not
   Python's ``\\w``) and Oxigraph's possessive rules (a local name takes at
   most one group of dots: ``ex:a.b.c`` is ``ex:a.b`` ``.`` ``c``).
   Oxigraph's keywords need no word boundary (``SERVICESILENT<x>``,
   ``SERVICEex:x``, ``trueSERVICE :x`` all read SERVICE), so any bare word
   or prefix holding SERVICE is refused.  Oxigraph 0.5.13 does *not* unescape
   ``\\u`` outside strings and IRIs (``SERVIC\\u0045`` is a syntax error); a
   build that does is detected and such text refused.
2. Oxigraph's parser, run without evaluating: pyoxigraph 0.5 parses the
   query before it checks ``use_default_graph_as_union`` against
   ``default_graph``, so passing both makes it parse and then stop with a
   ValueError.  A probe checks this once; a pyoxigraph that behaves otherwise
   makes every check fail closed.  Nothing is evaluated: not even against an
   empty store, where ORDER BY or ASK over large VALUES blocks costs minutes.
3. Oxigraph's parser as the judge of SERVICE and FROM: the text is parsed
   again with every case-insensitive ``service`` (``from``) changed in its last
   letter.  Only a keyword loses its meaning that way: names, strings, IRIs,
   comments and language tags that hold the word stay valid (prefix names
   are changed alike everywhere).  If the changed text no longer parses,
   Oxigraph reads the keyword, whatever the lexer saw: this closes what a
   lexer cannot know, such as ``<`` read as an IRI or as less-than, or
   ``p:SERVICE:x`` read as ``p:`` SERVICE ``:x`` when ``p:SERVICE:x`` is not
   a valid IRI.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from bisect import bisect_left
from collections import namedtuple
from urllib.parse import urljoin

import pyoxigraph as ox

from anze_kg.errors import QueryError
from anze_kg.namespaces import GRAPH, PREFIX_MAP

LOCAL_GRAPHS = str(GRAPH)

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})

# -- the lexer: spargebra 0.5's terminals -------------------------------------------------------------

# PN_CHARS_BASE and friends exactly as Oxigraph 0.5 has them (no astral plane;
# checked against pyoxigraph 0.5.13 code point by code point).
_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D"
         "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD")
_U = _BASE + "_"
_NAME_REST = _U + "0-9\u00B7\u0300-\u036F\u203F\u2040"  # VARNAME after its first character
_PN = _NAME_REST + "\\-"                                 # PN_CHARS
_HEX = "[0-9A-Fa-f]"
_UCHAR = rf"\\u{_HEX}{{4}}|\\U{_HEX}{{8}}"
_PLX = rf"%{_HEX}{{2}}|\\[_~.\-!$&'()*+,;=/?#@%]"


def _simple(base: str, u: str, name_rest: str, pn: str) -> str:
    pn_prefix = rf"[{base}][{pn}]*+(?:\.++[{pn}]++)*+"
    pn_local = rf"(?:[{u}:0-9]|{_PLX})(?:[{pn}:]|{_PLX})*+(?:\.++(?:[{pn}:]|{_PLX})++)?+"
    return (r"(?P<ws>[ \t\r\n]++)"
            r"|(?P<comment>\#[^\r\n]*+)"
            r"|(?P<langtag>@[A-Za-z]++(?:-[A-Za-z0-9]++)*+(?:--[A-Za-z]++)?+)"
            rf"|(?P<var>[?$][{u}0-9][{name_rest}]*+)"
            rf"|(?P<bnode>_:[{u}0-9][{pn}]*+(?:\.++[{pn}]++)*+)"
            r"|(?P<number>(?>(?>[0-9]++\.[0-9]*+|\.[0-9]++|[0-9]++)[eE][+-]?+[0-9]++|[0-9]*+\.[0-9]++|[0-9]++))"
            rf"|(?P<pname>(?>(?:{pn_prefix})?+):(?:{pn_local})?+)"
            rf"|(?P<word>[{u}][{name_rest}]*+)"
            r"|(?P<other>.)")


# The same lexer twice: on ASCII text (nearly every query) the character classes cut to ASCII
# match exactly what the full ones match, and compile in a fraction of the time (the Unicode
# classes cost about 20 ms at start-up), so the full lexer is compiled only for a query that needs it.
_SIMPLE_ASCII = re.compile(_simple("A-Za-z", "A-Za-z_", "A-Za-z_0-9", "A-Za-z_0-9\\-"), re.DOTALL)


@functools.cache
def _simple_unicode() -> re.Pattern:
    return re.compile(_simple(_BASE, _U, _NAME_REST, _PN), re.DOTALL)


_WIDE = re.compile(r"[^\x00-\x7f]")
_SPACE = re.compile(r"[ \t\r\n]")


def _lexers(text: str):
    """The lexer for a token at each position: the ASCII one unless a non-ASCII character comes
    before the next space (no token but a string, an IRI or a comment runs over a space, and
    those three read the same in both), so a query whose only Chinese is in its comments and
    strings never compiles the Unicode classes."""
    if text.isascii():
        return lambda pos: _SIMPLE_ASCII
    wide = [m.start() for m in _WIDE.finditer(text)]
    spaces = [m.start() for m in _SPACE.finditer(text)]

    def lexer_at(pos: int) -> re.Pattern:
        i = bisect_left(wide, pos)
        if i == len(wide):
            return _SIMPLE_ASCII
        j = bisect_left(spaces, pos)
        return _simple_unicode() if wide[i] < (spaces[j] if j < len(spaces) else len(text)) else _SIMPLE_ASCII

    return lexer_at


_ECHAR = r"""\\[tbnrf"'\\]"""
_STRINGS = {  # quote -> (long form, short form), each as Oxigraph's PEG reads it (possessive)
    q: (re.compile(rf"{q * 3}(?>(?>(?:{q * 2}|{q})?)(?:[^{q}\\]|{_ECHAR}|{_UCHAR}))*+{q * 3}"),
        re.compile(rf"{q}(?:[^{q}\\\n\r]|{_ECHAR}|{_UCHAR})*+{q}"))
    for q in ("'", '"')
}
_IRI_CHAR = "[^<>\"{}|^`\\\\\x00-\x20]"
_IRI = re.compile(rf"<(?:{_IRI_CHAR}|{_UCHAR})*+>")
_IRI_CHARS = re.compile(rf"{_IRI_CHAR}*+")
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_ESCAPE = re.compile(rf"\\(?:u({_HEX}{{4}})|U({_HEX}{{8}})|.)", re.DOTALL)


class Token(namedtuple("Token", "kind value pos")):
    """``kind`` (ws comment string iri langtag var bnode number pname word other),
    ``value`` as written and ``pos``, its offset in the text."""

    __slots__ = ()


def _codepoints_ok(text: str) -> bool:
    """Whether every \\u / \\U escape in ``text`` is a character (Rust's char::from_u32)."""
    for match in _ESCAPE.finditer(text):
        digits = match.group(1) or match.group(2)
        if digits and (int(digits, 16) > 0x10FFFF or 0xD800 <= int(digits, 16) <= 0xDFFF):
            return False
    return True


def _unescape_iri(body: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), body)


def _string_end(text: str, pos: int) -> int | None:
    """Where the string literal at ``pos`` ends, trying the forms in Oxigraph's
    order (long, then short) and dropping one whose escapes are not characters."""
    long_form, short_form = _STRINGS[text[pos]]
    for form in (long_form, short_form):
        match = form.match(text, pos)
        if match and _codepoints_ok(match.group()):
            return match.end()
    return None


def _iri_end(text: str, pos: int, has_base: bool) -> int | None:
    """Where the IRI at ``pos`` ends, if Oxigraph could read one there: IRI
    characters only (after unescaping), absolute unless a BASE was declared."""
    match = _IRI.match(text, pos)
    if not match or not _codepoints_ok(match.group()):
        return None
    body = _unescape_iri(match.group()[1:-1])
    if _IRI_CHARS.fullmatch(body) is None or not (has_base or _ABSOLUTE.match(body)):
        return None
    return match.end()


def scan(text: str) -> list[Token]:
    """Every token of ``text``, whitespace and comments included."""
    out: list[Token] = []
    pos, has_base, last_word = 0, False, ""
    lexer_at = _lexers(text)
    while pos < len(text):
        char = text[pos]
        end = None
        if char in "'\"":
            end = _string_end(text, pos)
            kind = "string"
        elif char == "<":
            end = _iri_end(text, pos, has_base)
            kind = "iri"
            if end is not None and last_word == "BASE":
                has_base = True
        if end is None:
            match = lexer_at(pos).match(text, pos)
            kind, end = match.lastgroup, match.end()
        token = Token(kind, text[pos:end], pos)
        out.append(token)
        if kind not in ("ws", "comment"):
            last_word = token.value.upper() if kind == "word" else ""
        pos = end
    return out


def tokens(text: str) -> list[Token]:
    """The SPARQL tokens of ``text`` with comments and whitespace dropped."""
    return [t for t in scan(text) if t.kind not in ("ws", "comment")]


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _refuse(text: str, pos: int, what: str, hint: str) -> QueryError:
    line, col = _line_col(text, pos)
    return QueryError(f"{what} (line {line}, column {col}); nothing was run", hint=hint)


# -- Oxigraph's parser, without evaluation -------------------------------------------------------------

_EMPTY: ox.Store | None = None
_PARSED = "use_default_graph_as_union and default_graph"  # pyoxigraph's complaint, raised after parsing


def _parse_only(text: str, prefixes: dict[str, str] = PREFIX_MAP) -> str | None:
    """Oxigraph's syntax error for ``text``, or None if it parses; never evaluates.

    pyoxigraph parses first and then refuses ``use_default_graph_as_union``
    together with ``default_graph``; that refusal is the sign that parsing
    went through, before any evaluation."""
    global _EMPTY
    if _EMPTY is None:
        _EMPTY = ox.Store()
    try:
        _EMPTY.query(text, prefixes=prefixes, use_default_graph_as_union=True, default_graph=ox.DefaultGraph())
    except SyntaxError as exc:
        return str(exc)
    except ValueError as exc:
        if _PARSED in str(exc):
            return None
        raise QueryError(f"the query could not be checked: {exc}") from None
    raise QueryError("this pyoxigraph evaluates a query it was only asked to parse; the guard cannot check "
                     "queries with it", hint="install pyoxigraph 0.5 (see pyproject.toml)")


@functools.cache
def _engine() -> bool:
    """Probe pyoxigraph once: parse-only must work (else every check fails
    closed); returns whether it unescapes \\u sequences before parsing."""
    if _parse_only("ASK {}") is not None or _parse_only("ASK {") is None:
        raise QueryError("pyoxigraph does not parse queries as this guard expects; nothing was run",
                         hint="install pyoxigraph 0.5 (see pyproject.toml)")
    return _parse_only("\\u0041SK {}") is None


def _keyword_parsed(text: str, word: str) -> bool:
    """Whether Oxigraph's parser reads the keyword ``word`` (SERVICE, FROM) in
    ``text``, which it parses: ``text`` is parsed again with the last letter of
    every case-insensitive occurrence changed; only a keyword stops parsing."""
    find = re.compile(re.escape(word[:-1]) + f"({re.escape(word[-1])})", re.IGNORECASE | re.ASCII)
    if not find.search(text):
        return False
    folded = text.lower() + "\0" + "\0".join(PREFIX_MAP).lower()
    letter = next((c for c in "qzjkwvy" if word[:-1].lower() + c not in folded), None)
    if letter is None:
        return True

    def change(s: str) -> str:
        return find.sub(lambda m: m.group()[:-1] + (letter.upper() if m.group(1).isupper() else letter), s)

    return _parse_only(change(text), {change(k): v for k, v in PREFIX_MAP.items()}) is not None


# -- the checks ----------------------------------------------------------------------------------------

_SAFE_NAMESPACE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:(?://[^/?#]+|(?!//))/(?:[^?#]*[/#])?|urn:[^?#]*[:/#]")


def _holds_service(tok: Token, prefixes: dict[str, str]) -> bool:
    """Whether Oxigraph might read SERVICE inside this one token of the lexer:
    a bare word or a prefix holding it (keywords need no boundary), or a local
    name holding it that Oxigraph may split.  When ``p:local`` is not a valid
    IRI, Oxigraph reads ``p:`` and then the local name as code (``p:SERVICE:x``
    with ``p: <http://a>`` is ``http://aSERVICE:x``, port 'x'): so a local
    name with SERVICE passes only when nothing in it can break the IRI (no
    escape, no colon after SERVICE, no non-IRI character) and its namespace
    is known and ends in a path's ``/`` or ``#``."""
    value = tok.value.upper()
    if tok.kind == "word":
        return "SERVICE" in value
    if tok.kind == "pname":
        prefix, _, local = value.partition(":")
        at = local.find("SERVICE")
        if "SERVICE" in prefix:
            return True
        if at < 0:
            return False
        namespace = prefixes.get(tok.value.partition(":")[0])
        return (":" in local[at:] or "\\" in local or re.search("[\uFFF0-\uFFFD]", local) is not None
                or namespace is None or _SAFE_NAMESPACE.fullmatch(namespace) is None)
    return False


def _refuse_service(text: str, pos: int) -> QueryError:
    return _refuse(text, pos, "SERVICE (federated query) is refused",
                   "only the local graph is queried; nothing is fetched from the network")


def _iri_of(token: Token | str, prefixes: dict[str, str], base: str | None) -> str | None:
    kind, value = (token.kind, token.value) if isinstance(token, Token) else ("pname", token)
    if kind == "iri":
        value = _unescape_iri(value[1:-1])
        return urljoin(base, value) if base else value
    if kind == "pname":
        prefix, _, local = value.partition(":")
        return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local) if prefix in prefixes else None
    return None


def _lexical_guard(text: str, toks: list[Token]) -> None:
    """Refuse updates and SERVICE from the tokens (before parsing, with a position)."""
    prefixes = dict(PREFIX_MAP)
    base: str | None = None
    for i, tok in enumerate(toks):
        word = tok.value.upper() if tok.kind == "word" else ""
        if word in UPDATE_WORDS:
            raise _refuse(text, tok.pos, f"updates are refused ({word})", "the graph is read-only here: "
                          "change the fact files and run anze-kg build")
        if word == "PREFIX" and i + 2 < len(toks) and toks[i + 1].kind == "pname" and toks[i + 2].kind == "iri":
            prefixes[toks[i + 1].value.rstrip(":")] = _iri_of(toks[i + 2], prefixes, base) or ""
        elif word == "BASE" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            base = _iri_of(toks[i + 1], prefixes, base)
        if _holds_service(tok, prefixes):
            raise _refuse_service(text, tok.pos + tok.value.upper().find("SERVICE"))


def _dataset_clauses(toks: list[Token], glued: bool) -> list[tuple[Token, str | None]]:
    """The FROM / FROM NAMED clauses and the IRI each names (None: cannot be read).
    With ``glued``, also FROM written without a boundary (``FROMNAMED<g>``,
    ``FROMex:g``), which Oxigraph reads as FROM: only outside braces."""
    prefixes = dict(PREFIX_MAP)
    base: str | None = None
    depth = 0
    found = []
    for i, tok in enumerate(toks):
        value = tok.value.upper()
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if tok.kind == "other" and value in "{}":
            depth += 1 if value == "{" else -1
        elif tok.kind == "word" and value == "PREFIX" and nxt is not None and nxt.kind == "pname":
            if i + 2 < len(toks) and toks[i + 2].kind == "iri":
                prefixes[nxt.value.rstrip(":")] = _iri_of(toks[i + 2], prefixes, base) or ""
        elif tok.kind == "word" and value == "BASE" and nxt is not None and nxt.kind == "iri":
            base = _iri_of(nxt, prefixes, base)
        elif value.startswith("FROM") and tok.kind in ("word", "pname") and depth == 0 \
                and (value == "FROM" or glued) and not (i and toks[i - 1].value.upper() == "PREFIX"):
            rest = tok.value[4:]
            if rest.upper().startswith("NAMED"):
                rest = rest[5:]
            if tok.kind == "word" and rest:
                continue  # FROMAGE: not FROM
            target: Token | str | None = rest or nxt
            if not rest and nxt is not None and nxt.kind in ("word", "pname") and nxt.value.upper().startswith("NAMED"):
                named_rest = nxt.value[5:]
                target = named_rest if named_rest else (toks[i + 2] if i + 2 < len(toks) else None)
            found.append((tok, _iri_of(target, prefixes, base) if target is not None else None))
    return found


def _dataset_guard(text: str, toks: list[Token]) -> None:
    """Refuse FROM / FROM NAMED naming a non-local graph, or one this guard cannot read."""
    uses_from = _keyword_parsed(text, "FROM")
    clauses = _dataset_clauses(toks, glued=uses_from)
    hint = f"only the local graphs {LOCAL_GRAPHS}... can be named; nothing was fetched"
    for tok, iri in clauses:
        if iri is None:
            raise _refuse(text, tok.pos, "FROM is refused: cannot tell which graph it names", hint)
        if not iri.startswith(LOCAL_GRAPHS):
            raise _refuse(text, tok.pos, f"FROM <{iri}> is refused: not a local graph", hint)
    if uses_from and not clauses:
        at = re.search("from", text, re.IGNORECASE | re.ASCII)
        raise _refuse(text, at.start() if at else 0, "FROM is refused: cannot tell which graph it names", hint)


@functools.lru_cache(maxsize=256)
def has_dataset_clause(text: str) -> bool:
    """Whether the query names its own dataset (FROM / FROM NAMED): it then must
    not be run with the union of all graphs as its default graph.  Oxigraph's
    parser decides (see :func:`_keyword_parsed`), not the lexer alone."""
    if any(t.kind == "word" and t.value.upper() == "FROM" for t in tokens(text)):
        return True
    try:
        return _parse_only(text) is None and _keyword_parsed(text, "FROM")
    except QueryError:
        return True


def uses_named_graphs(text: str) -> bool:
    """Whether the query can see a named graph (GRAPH, FROM, FROM NAMED); if
    not, it reads the default graph alone, and a store holding only the union
    answers it as one with every named graph does.  True when in doubt: a
    ``\\u`` escape anywhere, or a word ``graph`` that the parser might read as
    the keyword."""
    if "\\u" in text.lower() or has_dataset_clause(text):
        return True
    if not re.search("graph", text, re.IGNORECASE):
        return False
    if any(t.kind == "word" and t.value.upper() == "GRAPH" for t in tokens(text)):
        return True
    try:
        return _parse_only(text) is not None or _keyword_parsed(text, "GRAPH")
    except QueryError:
        return True


def _form_of(toks: list[Token]) -> str | None:
    for tok in toks:
        if tok.kind == "word":
            form = next((f for f in FORMS if tok.value.upper().startswith(f)), None)
            if form:
                return form
    return None


def _parse(text: str) -> None:
    """Parse with Oxigraph's SPARQL parser, evaluating nothing (see :func:`_parse_only`)."""
    message = _parse_only(text)
    if message is not None:
        raise _syntax_error(text, message) from None


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
        elif tok.value == "<" and not has_base and (iri := _IRI.match(text, tok.pos)) \
                and not _ABSOLUTE.match(iri.group()[1:]):
            return tok.pos, f"relative IRI {iri.group()} and no BASE", "write the full IRI, or declare BASE <...>"
        elif tok.kind == "other" and tok.value in ('"', "'"):
            return tok.pos, "a string is not closed on this line", None
        elif tok.kind == "other" and tok.value in _BRACKETS:
            stack.append(tok)
        elif tok.kind == "other" and tok.value in _BRACKETS.values():
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


def _first_in_code(text: str, word: str) -> int:
    """Where ``word`` first occurs outside strings, IRIs and comments (as the
    lexer sees them), else where it first occurs at all."""
    find = re.compile(re.escape(word), re.IGNORECASE | re.ASCII)
    for tok in scan(text):
        if tok.kind not in ("string", "iri", "comment") and (hit := find.search(tok.value)):
            return tok.pos + hit.start()
    hit = find.search(text)
    return hit.start() if hit else 0


@functools.lru_cache(maxsize=256)
def check_query(text: str) -> str:
    """The query form (SELECT, ASK, CONSTRUCT or DESCRIBE) of ``text`` once it is
    known to be safe to run: raises QueryError for a syntax error (with line and
    column), an update, SERVICE, or FROM / FROM NAMED naming a non-local graph.
    Nothing is evaluated.  Verdicts on texts that pass are remembered (a named
    query run again is not lexed and parsed again)."""
    if not text.strip():
        raise QueryError("the query is empty")
    _nesting_guard(text)
    if _engine() and re.search(r"\\[uU]", text):
        raise QueryError("\\u and \\U escapes are refused: this pyoxigraph reads them before parsing, even "
                         "outside strings; nothing was run", hint="write the characters themselves")
    toks = tokens(text)
    _lexical_guard(text, toks)
    _parse(text)
    if _keyword_parsed(text, "SERVICE"):
        raise _refuse_service(text, _first_in_code(text, "SERVICE"))
    _dataset_guard(text, toks)
    form = _form_of(toks)
    if form is None:
        raise QueryError("the query has no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return form


MAX_NESTING = 256  # brackets open at once: Oxigraph's recursive parser overflows its stack near 5,000


def _nesting_guard(text: str) -> None:
    """Refuse brackets nested deeper than MAX_NESTING before any parser sees them.
    Every (, [ and { counts, in strings and comments too: a count no lexer can
    get wrong, and no real query comes near it."""
    depth = 0
    for match in re.finditer(r"[(\[{]|[)\]}]", text):
        depth = depth + 1 if match.group() in "([{" else max(0, depth - 1)
        if depth > MAX_NESTING:
            line = text.count("\n", 0, match.start()) + 1
            raise QueryError(f"line {line}: brackets nested more than {MAX_NESTING} deep; nothing was run",
                             hint="a query this deep is not written by hand: flatten it")


def char_width(char: str) -> int:
    """Terminal columns of one character: a wide (CJK) one takes two."""
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def display_width(text: str) -> int:
    """Terminal columns of ``text``: wide (CJK) characters take two."""
    if text.isascii():
        return len(text)
    return sum(map(char_width, text))
