"""Command ``extract``: draft facts from a report's text (see :mod:`anze_kg.extract.drafts`)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from anze_kg.cli.base import command, out, project_of, stdin_as_file
from anze_kg.errors import EXIT_OK, UsageError
from anze_kg.extract.drafts import extract_json, extract_report


def _extract_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("report", metavar="REPORT.txt", help="the report's text (UTF-8 unless --encoding); - for standard input")
    p.add_argument("--report-id", metavar="ID", help="id of the new report (default: from the file name)")
    p.add_argument("--area", metavar="NAME", help="the report's area: a data/vocab id (zizhou) or name (子洲县)")
    p.add_argument("--year", type=int, metavar="YYYY", help="the reference year (default: from the title)")
    p.add_argument("-o", "--output-dir", nargs="?", const="", metavar="DIR",
                   help="write the report folder DIR/<id>/ (DIR: a reports folder; default data/reports)")
    p.add_argument("--format", choices=("yaml", "json"), default="yaml",
                   help="without -o: print the draft facts (yaml) or the extraction (json)")
    p.add_argument("--encoding", metavar="ENC", help="the file's encoding, e.g. gb18030 (default utf-8)")
    p.add_argument("--refresh", action="store_true",
                   help="with -o, for a report folder that exists: rewrite only its facts/draft.yaml from this "
                        "extraction, leaving out every draft `anze-kg review` has a decision for (its report.txt "
                        "must be this text); report.yaml, the decisions and facts/reviewed.yaml stay as they are")


@command("extract", "draft facts from a report's text: a report folder (-o) or the extraction on stdout",
         _extract_options)
def cmd_extract(args) -> int:
    if args.report != "-":
        return _extract(args, Path(args.report))
    if args.output_dir is not None and not args.report_id:
        raise UsageError("a report read from standard input (-) needs --report-id to make its folder")
    with stdin_as_file("the report's text", "report.txt") as piped:
        return _extract(args, piped)


def _extract(args, text_path: Path) -> int:
    project = project_of(args)
    if args.output_dir is None and args.format == "json":
        data = extract_json(project, text_path, area=args.area, year=args.year, encoding=args.encoding)
        out(json.dumps(data, ensure_ascii=False, indent=1))
        return EXIT_OK
    reports_dir = None if args.output_dir is None else Path(args.output_dir or project.reports_dir)
    refresh = None
    if args.refresh:
        if reports_dir is None:
            raise UsageError("--refresh rewrites the drafts of a report folder: give -o [DIR] too")
        # deferred: the review stage (its context loads the ontology and vocabulary) only for a refresh
        from anze_kg.review import refresher
        refresh = refresher(project)
    done = extract_report(project, text_path, report_id=args.report_id, area=args.area, year=args.year,
                          encoding=args.encoding, reports_dir=reports_dir, refresh=refresh)
    out(done.summary(args.format) if done.folder else done.draft.facts_yaml.rstrip("\n"))
    return EXIT_OK
