"""The build cache: one entry per built named graph, keyed by the digest of
everything that went into it, so an unchanged report is never rebuilt.

``{out}/.cache/{unit}/{key}.json`` holds the entry's metadata (triples, class
counts, the SHA-256 of each fragment); beside it ``{key}.nq``, ``.nt``,
``.ttl`` and ``.trig`` are the graph serialised in each output format, ready to
be concatenated into ``out/``.  Entries are written atomically and only for
graphs that conformed; an entry whose files do not match their recorded
digests is treated as absent (and rebuilt), never trusted.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from anze_kg.files import write_files
from anze_kg.inputs.manifest import read_text_memo, sha256

FRAGMENTS = ("nq", "nt", "ttl", "trig")


@dataclass(frozen=True)
class Entry:
    unit: str
    key: str
    folder: Path
    triples: int
    counts: dict[str, int]
    digests: dict[str, str]

    def path(self, fragment: str) -> Path:
        return self.folder / f"{self.key}.{fragment}"

    def sibling(self, key: str) -> Entry | None:
        """The entry ``key`` of the same unit, if its metadata is still in the cache
        (its fragments are to be checked by whoever reads them)."""
        return Cache.read(self.unit, key, self.folder)

    def verify(self, fragments: tuple[str, ...] = FRAGMENTS) -> bool:
        """Whether the fragments are present and have their recorded digests."""
        for fragment in fragments:
            try:
                if sha256(self.path(fragment).read_bytes()) != self.digests.get(fragment):
                    return False
            except OSError:
                return False
        return True


class Cache:
    def __init__(self, out_dir: Path) -> None:
        self.root = out_dir / ".cache"

    def folder(self, unit: str) -> Path:
        return self.root / unit

    def get(self, unit: str, key: str) -> Entry | None:
        """The entry for ``key`` if it exists and its metadata reads; fragments are checked by :meth:`Entry.verify`."""
        return Cache.read(unit, key, self.folder(unit))

    @staticmethod
    def read(unit: str, key: str, folder: Path) -> Entry | None:
        try:
            data = json.loads(read_text_memo(folder / f"{key}.json"))
            return Entry(unit, key, folder, int(data["triples"]), dict(data["counts"]), dict(data["digests"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, unit: str, key: str, fragments: dict[str, bytes], triples: int, counts: dict[str, int]) -> Entry:
        folder = self.folder(unit)
        if folder.exists() and not folder.is_dir():  # a stray file where the unit's folder goes: not ours to keep
            folder.unlink()
        digests = {name: sha256(data) for name, data in fragments.items()}
        meta = {"unit": unit, "key": key, "triples": triples, "counts": counts, "digests": digests}
        files = {folder / f"{key}.{name}": data for name, data in fragments.items()}
        files[folder / f"{key}.json"] = (json.dumps(meta, ensure_ascii=False, indent=1) + "\n").encode()
        write_files(files)
        return Entry(unit, key, folder, triples, counts, digests)

    def discard(self, unit: str, key: str) -> None:
        """Forget the entry ``key`` of ``unit`` (its metadata first: without it the entry is not read)."""
        folder = self.folder(unit)
        (folder / f"{key}.json").unlink(missing_ok=True)
        for fragment in FRAGMENTS:
            (folder / f"{key}.{fragment}").unlink(missing_ok=True)

    def prune(self, keep: dict[str, str]) -> None:
        """Delete entries other than the kept key of each unit (and units no longer
        present).  One directory read per unit, no Path objects: at 1,000 reports
        pathlib made this a tenth of a one-report rebuild."""
        try:
            folders = list(os.scandir(self.root))
        except (FileNotFoundError, NotADirectoryError):
            return
        for folder in folders:
            if not folder.is_dir():
                continue
            kept, left = keep.get(folder.name), False
            with os.scandir(folder.path) as entries:
                for entry in entries:
                    if kept == entry.name.split(".", 1)[0]:
                        left = True
                        continue
                    try:
                        os.unlink(entry.path)
                    except FileNotFoundError:
                        pass
            if not left:
                os.rmdir(folder.path)
