"""The one reader of report texts, for the build and for the drafter: size
checked before reading, decoded (UTF-8 unless told), BOM stripped, Unicode
NFC; newlines made LF for the drafter, kept as published for the build (the
character offsets of quotes count in the text as published).

Every refusal is a :class:`SourceError` with the path, the line where it can,
and a hint: a missing, empty, binary (NUL bytes, UTF-16 without being told),
oversized or wrongly encoded file.  A file that is not UTF-8 gets the name of
the encoding it looks like (GB18030, Big5) in the hint.
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from anze_kg.errors import Location, SourceError, UsageError

__all__ = ["read_report_text", "normalise", "DEFAULT_MAX_BYTES"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def normalise(text: str) -> str:
    """Unicode NFC, the form every text and every quote is compared in."""
    return unicodedata.normalize("NFC", text)


def read_report_text(path: str | Path, encoding: str | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES,
                     what: str | None = None, keep_newlines: bool = False) -> str:
    """A report file as text: checked size, decoded, BOM stripped, NFC, and LF
    newlines unless ``keep_newlines``.  ``what`` names the file in messages
    (``the report text is not valid UTF-8``).

    Raises :class:`SourceError` (with the path, the line where it can, and a
    hint) for a missing, empty, binary, oversized or wrongly encoded file.
    """
    path = Path(path)
    if encoding is not None:
        _check_encoding(encoding)
    data = _read_limited(path, max_bytes)
    if encoding is None:
        _refuse_binary(path, data)
    text = _decode(path, data, encoding, what)
    if "\x00" in text:
        raise SourceError(Location.of(path, text[:text.index("\x00")].count("\n") + 1),
                          "binary content (NUL character) in a text file",
                          hint="give the report as plain text, not a PDF, Word or image file")
    text = text.removeprefix("\ufeff")
    if not keep_newlines:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise SourceError(Location.of(path), f"{what or 'the file'} is empty",
                          hint="give the report's text (UTF-8); an empty file has nothing to extract")
    return normalise(text)


def _check_encoding(encoding: str) -> None:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise UsageError(f"unknown encoding {encoding!r}",
                         hint="use a Python codec name such as utf-8, gb18030, gbk or big5") from None


def _read_limited(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(Location.of(path), f"the file is {size:,} bytes, over the limit of {max_bytes:,}",
                              hint="split the report into parts, or raise the size limit (max_bytes)")
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise SourceError(Location.of(path), f"cannot read the file: {e.strerror or e}",
                          hint="check the path and its permissions") from None
    if len(data) > max_bytes:
        raise SourceError(Location.of(path), f"the file is over the limit of {max_bytes:,} bytes",
                          hint="split the report into parts, or raise the size limit (max_bytes)")
    return data


def _refuse_binary(path: Path, data: bytes) -> None:
    """UTF-16 (by its BOM) and files with NUL bytes are not UTF-8 text."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        raise SourceError(Location.of(path), "the file is UTF-16, not UTF-8",
                          hint="looks like UTF-16; pass --encoding utf-16")
    at = data.find(b"\x00")
    if at < 0:
        return
    raise SourceError(Location.of(path, data[:at].count(b"\n") + 1),
                      f"binary file: NUL byte at byte {at}",
                      hint="give the report as plain text, not a PDF, Word or image file")


def _decode(path: Path, data: bytes, encoding: str | None, what: str | None) -> str:
    codec = encoding or "utf-8"
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        where = Location.of(path, data[:e.start].count(b"\n") + 1)
        if encoding is not None:
            raise SourceError(where, f"cannot decode as {encoding}: byte 0x{data[e.start]:02x} at byte {e.start}",
                              hint="check the --encoding given, or convert the file to UTF-8") from None
        raise SourceError(where, f"{what + ' is ' if what else ''}not valid UTF-8: byte 0x{data[e.start]:02x} at byte {e.start}",
                          hint=_encoding_hint(data)) from None


def _encoding_hint(data: bytes) -> str:
    for codec in ("gb18030", "big5"):
        try:
            sample = data.decode(codec)
        except UnicodeDecodeError:
            continue
        cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in sample)
        if cjk >= max(1, len(sample) // 10):
            return f"looks like {codec.upper()}; pass --encoding {codec}"
    return "convert the file to UTF-8 (for example with iconv), or pass --encoding NAME"
