"""Synthetic corpora shaped like the real graph, for benchmarks.

Usage (from the repository root)::

    .venv/bin/python benchmarks/synth.py --reports 100 -o DIR [--source out/anze.trig] [--seed 7]

writes ``DIR/synth-100.nq``: the ontology and vocabulary graphs of the
source once, then ``--reports`` copies of its report graph, each its own
named graph ``.../graph/synth-NNNN`` (copy 1 keeps the source's name) with
the same shape:

* copy 1 is the source report unchanged (so the default parameters of the
  named queries, such as the Anze GDP observation, find one report among many);
* in every other copy, each node the report defines (entities, observations,
  evidence, the report itself) gets a new IRI (``.../id/observation/synth-0001/...``,
  ``.../id/project/foo-synth-0001``); what the vocabulary and ontology graphs
  define (indicators, units, sectors, provinces, the county) and the
  ``SHARED_KINDS`` (country, province, city) stay shared, as they would be
  in a real corpus of reports;
* labels of renamed nodes get a suffix `` #0001``;
* ``akg:value`` and ``akg:normalizedValue`` are scaled by one random factor
  per node (so the two stay consistent) and ``akg:growthRate`` is moved by
  up to 5 points; quotes, offsets and the report text are kept, so every
  quote is still found at its offsets.

The same ``--seed`` gives byte-identical files.  The whole corpus is never
held in memory: each report is one string substitution on a template.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

BASE = "https://w3id.org/anze-kg/"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
AKG = BASE + "ontology#"
SHARED_GRAPHS = (GRAPH + "ontology", GRAPH + "vocab")
SHARED_KINDS = {"country", "province", "city"}
LABELS = {"http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#altLabel",
          "http://www.w3.org/2004/02/skos/core#prefLabel"}
SCALED = {AKG + "value", AKG + "normalizedValue"}
SHIFTED = {AKG + "growthRate"}
XSD_DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
TAG = "\u27e6R\u27e7"      # replaced by the synthetic report id
LABEL = "\u27e6L\u27e7"    # replaced by the label suffix
NUMBER = re.compile("\u27e6N(\\d+)\u27e7")


class Template:
    """One report graph as N-Quads text with markers where a copy differs."""

    def __init__(self, source_quads: list[ox.Quad], report_id: str | None = None) -> None:
        reports = sorted({q.graph_name.value for q in source_quads
                          if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value not in SHARED_GRAPHS})
        if not reports:
            raise SystemExit("synth: the source has no report graph")
        graph = GRAPH + report_id if report_id else reports[0]
        self.report_id = graph[len(GRAPH):]
        self.shared = [q for q in source_quads if q.graph_name.value in SHARED_GRAPHS]
        quads = sorted((q for q in source_quads if q.graph_name.value == graph), key=str)
        defined_elsewhere = {q.subject.value for q in self.shared if isinstance(q.subject, ox.NamedNode)}
        self.renamed = {q.subject.value for q in quads if self._renames(q.subject, defined_elsewhere)} | {graph}
        self.numbers: list[tuple[str, str, Decimal]] = []  # (kind, node key, base value)
        self.lexical: list[str] = []  # the source's literal text of each number
        lines = [self._line(q) for q in quads]
        self.chunks = NUMBER.split("".join(lines))  # text, index, text, index, ..., text

    @staticmethod
    def _renames(term, defined_elsewhere: set[str]) -> bool:
        if not isinstance(term, ox.NamedNode) or not term.value.startswith(ID):
            return False
        kind = term.value[len(ID):].split("/", 1)[0]
        return term.value not in defined_elsewhere and kind not in SHARED_KINDS

    def _iri(self, iri: str) -> str:
        if iri not in self.renamed:
            return f"<{iri}>"
        if iri.startswith(GRAPH):
            return f"<{GRAPH}{TAG}>"
        marker = f"/{self.report_id}"
        if marker + "/" in iri or iri.endswith(marker):
            return "<" + iri.replace(marker, "/" + TAG, 1) + ">"
        return f"<{iri}-{TAG}>"

    def _term(self, term) -> str:
        return self._iri(term.value) if isinstance(term, ox.NamedNode) else str(term)

    def _object(self, q: ox.Quad) -> str:
        o, p, s = q.object, q.predicate.value, q.subject.value
        if isinstance(o, ox.Literal) and s in self.renamed:
            if p in LABELS and o.language:
                return str(ox.Literal(o.value + LABEL, language=o.language))
            if p in SCALED | SHIFTED and o.datatype == XSD_DECIMAL:
                self.numbers.append(("scale" if p in SCALED else "shift", s, Decimal(o.value)))
                self.lexical.append(o.value)
                return f'"\u27e6N{len(self.numbers) - 1}\u27e7"^^{XSD_DECIMAL}'
        return self._term(o)

    def _line(self, q: ox.Quad) -> str:
        return f"{self._term(q.subject)} {self._term(q.predicate)} {self._object(q)} {self._term(q.graph_name)} .\n"

    def copy(self, index: int, seed: int) -> str:
        """The N-Quads text of synthetic report number ``index`` (1-based); number 1 is the source report itself."""
        if index == 1:
            text = "".join(chunk if i % 2 == 0 else self.lexical[int(chunk)] for i, chunk in enumerate(self.chunks))
            return text.replace(f"-{TAG}>", ">").replace(TAG, self.report_id).replace(LABEL, "")
        rng = random.Random(f"{seed}:{index}")
        factors: dict[str, Decimal] = {}
        values = []
        for kind, node, base in self.numbers:
            if kind == "scale":
                factor = factors.setdefault(node, Decimal(rng.randint(700, 1300)) / 1000)
                values.append(_decimal(base * factor))
            else:
                values.append(_decimal(base + Decimal(rng.randint(-50, 50)) / 10))
        parts = [chunk if i % 2 == 0 else values[int(chunk)] for i, chunk in enumerate(self.chunks)]
        return "".join(parts).replace(TAG, synth_id(index)).replace(LABEL, f" #{index:04d}")


def _decimal(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text if "." in text else text + ".0"


def synth_id(index: int) -> str:
    return f"synth-{index:04d}"


def corpus_lines(source_quads: list[ox.Quad], reports: int, seed: int = 7,
                 report_id: str | None = None) -> Iterator[str]:
    """N-Quads text of the corpus: the shared graphs, then one chunk per synthetic report."""
    template = Template(source_quads, report_id)
    yield ox.serialize(sorted(template.shared, key=str), format=ox.RdfFormat.N_QUADS).decode()
    for index in range(1, reports + 1):
        yield template.copy(index, seed)


def corpus_quads(source_quads: list[ox.Quad], reports: int, seed: int = 7) -> list[ox.Quad]:
    """The corpus as a list of quads (for small corpora)."""
    text = "".join(corpus_lines(source_quads, reports, seed))
    return list(ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS))


def write_corpus(source: Path, reports: int, out_dir: Path, seed: int = 7) -> Path:
    """Write ``out_dir/synth-{reports}.nq`` (via a temporary file, renamed when complete)."""
    source_quads = list(ox.parse(path=str(source)))
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"synth-{reports}.nq"
    partial = target.with_suffix(".nq.partial")
    with partial.open("w", encoding="utf-8", newline="\n") as handle:
        for chunk in corpus_lines(source_quads, reports, seed):
            handle.write(chunk)
    partial.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--reports", type=int, required=True, help="number of synthetic reports")
    p.add_argument("-o", "--out", type=Path, required=True, help="folder for synth-N.nq")
    p.add_argument("--source", type=Path, default=Path("out/anze.trig"), help="built TriG (default: out/anze.trig)")
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args(argv)
    if not args.source.is_file():
        p.error(f"no {args.source}: run anze-kg build first, or give --source")
    started = time.perf_counter()
    path = write_corpus(args.source, args.reports, args.out, args.seed)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
