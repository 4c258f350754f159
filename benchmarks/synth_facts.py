"""Synthetic corpora of report folders shaped like the real one, for scale tests
and benchmarks of the build: each synthetic report is a copy of a real report
(default anze-2023) whose own ids are renamed (``s0001-<id>``) so that every
report holds its own entities, observations and evidence, exactly as a real
county report would; shared vocabulary ids are kept.

    python benchmarks/synth_facts.py --reports 1000 -o /tmp/corpus1000

writes a complete project folder (ontology/, data/vocab/, data/reports/...).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def _rename(value, ids: dict[str, str]):
    if isinstance(value, str):
        return ids.get(value, value)
    if isinstance(value, list):
        return [_rename(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: (ids.get(v, v) if k == "id" and isinstance(v, str) else _rename(v, ids) if k != "quote" else v)
                for k, v in value.items()}
    return value


def _fact_files(folder: Path) -> dict[str, list]:
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) or [] for p in sorted((folder / "facts").glob("*.yaml"))}


def _vocab_ids(project: Path) -> set[str]:
    return {rec["id"] for p in sorted((project / "data" / "vocab").glob("*.yaml"))
            for rec in yaml.safe_load(p.read_text(encoding="utf-8")) or []}


def write_report(source: Path, dest_reports: Path, report_id: str, prefix: str, files: dict[str, list] | None = None) -> Path:
    files = files if files is not None else _fact_files(source)
    shared = _vocab_ids(source.parents[2])  # a report's record of a vocabulary area keeps the shared id
    ids = {rec["id"]: f"{prefix}-{rec['id']}" for records in files.values() for rec in records if rec["id"] not in shared}
    folder = dest_reports / report_id
    (folder / "facts").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / "report.txt", folder / "report.txt")
    meta = (source / "report.yaml").read_text(encoding="utf-8")
    meta = "\n".join(f"id: {report_id}" if line.startswith("id:") else line for line in meta.splitlines()) + "\n"
    (folder / "report.yaml").write_text(meta, encoding="utf-8")
    for name, records in files.items():
        renamed = [{k: (ids.get(v, v) if k == "id" else _rename(v, ids) if k != "quote" else v) for k, v in rec.items()}
                   for rec in records]
        (folder / "facts" / name).write_text(yaml.safe_dump(renamed, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def make_corpus(dest: Path, reports: int, source_project: Path = REPO, source_report: str = "anze-2023",
                keep_original: bool = False) -> Path:
    """A project folder at ``dest`` with ``reports`` synthetic copies of ``source_report``."""
    for folder in ("ontology",):
        shutil.copytree(source_project / folder, dest / folder, dirs_exist_ok=True)
    shutil.copytree(source_project / "data" / "vocab", dest / "data" / "vocab", dirs_exist_ok=True)
    source = source_project / "data" / "reports" / source_report
    files = _fact_files(source)
    for k in range(1, reports + 1):
        write_report(source, dest / "data" / "reports", f"synth-{k:04d}", f"s{k:04d}", files)
    if keep_original:
        shutil.copytree(source, dest / "data" / "reports" / source_report, dirs_exist_ok=True)
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    make_corpus(args.output, args.reports)
    print(f"wrote {args.reports} reports to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
