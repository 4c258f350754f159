"""Quote location: where a fact's verbatim quote stands in its report's text."""

from __future__ import annotations

from dataclasses import dataclass

from anze_kg.errors import Location, QuoteError
from anze_kg.inputs.texts import normalise

CONTEXT_CHARS = 32


@dataclass(frozen=True)
class Span:
    """Where a quote stands in the text: ``text[start:end] == exact``."""

    exact: str
    start: int
    end: int
    prefix: str
    suffix: str


def find_all(text: str, quote: str) -> list[int]:
    starts, at = [], text.find(quote)
    while at != -1:
        starts.append(at)
        at = text.find(quote, at + 1)
    return starts


def locate(text: str, quote: str, where: Location, occurrence: int | None = None) -> Span:
    """Find ``quote`` in ``text``: exactly once, or its ``occurrence``-th time (1-based)."""
    quote = normalise(quote)
    if not quote.strip():
        raise QuoteError(where, "the quote is empty")
    starts = find_all(text, quote)
    if not starts:
        raise QuoteError(where, f"quote not found in the report text: {_shown(quote)}", hint=_near_miss(text, quote))
    if occurrence is None and len(starts) > 1:
        raise QuoteError(where, f"quote occurs {len(starts)} times in the report text: {_shown(quote)}",
                         hint="lengthen the quote, or add `occurrence: N` to say which one")
    if occurrence is not None and not 1 <= occurrence <= len(starts):
        raise QuoteError(where, f"occurrence {occurrence} asked, but the quote occurs {len(starts)} time(s)")
    start = starts[(occurrence or 1) - 1]
    end = start + len(quote)
    return Span(quote, start, end, text[max(0, start - CONTEXT_CHARS):start], text[end:end + CONTEXT_CHARS])


def _near_miss(text: str, quote: str) -> str:
    """Say how much of the quote matches, to point at the first differing character."""
    lo, hi = 0, len(quote)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if quote[:mid] in text:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return "copy the quote from report.txt; not even its first character is in the text"
    return f"the text has {_shown(quote[:lo])} but not what follows it ({quote[lo:lo + 8]!r}...): check punctuation (ASCII ',' vs '，')"


def _shown(quote: str, limit: int = 120) -> str:
    """A quote as a message shows it: whole when short, else its start and its length."""
    return repr(quote) if len(quote) <= limit else f"{quote[:limit]!r}… ({len(quote):,} characters)"
