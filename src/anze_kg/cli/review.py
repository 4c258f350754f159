"""Command ``review``: decide a report's drafts on a local page, or print how many are left
(see :mod:`anze_kg.review`)."""

from __future__ import annotations

import argparse
import webbrowser
from pathlib import Path

from anze_kg.cli.base import command, err, out, project_of
from anze_kg.errors import EXIT_OK
from anze_kg.review import Session, counts, notes
from anze_kg.review.server import serve_review


def _review_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("report_id", metavar="REPORT_ID", help="the report folder to review (made by `anze-kg extract -o`)")
    p.add_argument("--reports", metavar="DIR", help="the reports folder it is in (default: data/reports)")
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: 0, any free port)")
    p.add_argument("--no-browser", action="store_true", help="print the page's address, do not open a browser")
    p.add_argument("--status", action="store_true",
                   help="print how many drafts are left, accepted, corrected and rejected, then exit")


def _counts_line(state) -> str:
    c = counts(state)
    return (f"{c['left']} of {c['total']} left (accepted {c['accepted']}, corrected {c['corrected']}, "
            f"rejected {c['rejected']})")


@command("review", "decide a report's drafts (accept, correct, reject) on a page at 127.0.0.1; --status: the counts",
         _review_options)
def cmd_review(args) -> int:
    project = project_of(args)
    reports_dir = Path(args.reports) if args.reports else project.reports_dir
    session = Session.open(project, reports_dir, args.report_id)
    state = session.state()
    if args.status:
        c = counts(state)
        out(f"{state.report_id}: {_counts_line(state)}")
        for name in ("left", "accepted", "corrected", "rejected"):
            out(f"  {name:<10} {c[name]:>5}")
        for note in notes(state):
            out(f"note: {note}")
        return EXIT_OK

    def ready(url: str) -> None:
        err(f"anze-kg review: {url} ({state.report_id}: {_counts_line(state)}); Ctrl+C stops")
        if not args.no_browser:
            webbrowser.open(url)

    try:
        serve_review(session, port=args.port, on_ready=ready)
    except KeyboardInterrupt:  # uvicorn stops on Ctrl+C, then raises it again
        pass
    final = session.state()
    err(f"anze-kg review: stopped; {final.report_id}: {_counts_line(final)}")
    return EXIT_OK
