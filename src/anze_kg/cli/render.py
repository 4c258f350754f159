"""Text renderings of library results for the command line (strings, never printed here)."""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing

if TYPE_CHECKING:  # only for annotations: keeps `anze-kg` start-up free of rdflib
    from anze_kg.graph.shacl import ValidationReport


def violations_text(report: ValidationReport, limit: int = 200) -> str:
    if report.conforms:
        return f"conforms: yes ({report.triples} triples checked)"
    lines = [f"conforms: no: {len(report.violations)} violation(s) in {report.triples} triples"]
    lines += [v.describe() for v in report.violations[:limit]]
    if len(report.violations) > limit:
        lines.append(f"... and {len(report.violations) - limit} more (use --json for all)")
    return "\n".join(lines)


def build_summary_text(outcome) -> str:
    summary = outcome.summary()
    status = f"{len(summary['built'])} built, {len(summary['cached'])} unchanged, {len(summary['failed'])} failed"
    lines = [f"reports: {', '.join(summary['reports']) or 'none'} ({status}): {outcome.triples} triples in {outcome.seconds:.2f} s",
             ("SHACL: conforms" if not outcome.failures else
              f"FAILED: {', '.join(r.report for r in outcome.failures)} (errors below); the last good graph of each failing report was kept")]
    if not outcome.failures:  # after a failure the table would describe the graph that was kept, not this build
        width = max((len(k) for k in outcome.counts), default=0)
        lines.append("instances per class:")
        lines += [f"  {name:<{width}}  {count:>6}" for name, count in outcome.counts.items()]
    if outcome.store:
        lines.append(f"store: {outcome.store}")
    for result in outcome.results:
        if result.status == "skipped":
            lines.append(f"skipped {result.report}: {result.error}")
    if outcome.files:
        lines.append("wrote: " + ", ".join(str(p) for p in outcome.files))
    else:
        lines.append("wrote: nothing (out/ is as it was)" if outcome.failures else "wrote: nothing (no change)")
    return "\n".join(lines)


def failures_text(outcome) -> str:
    """Each failing report with its error or its violations (each once)."""
    lines = []
    for result in outcome.failures:
        if result.error:
            lines.append(f"{result.report}: {result.error}")
            continue
        lines.append(f"{result.report}: {len(result.violations)} SHACL violation(s)")
        lines += [f"  {v.describe()}" for v in dict.fromkeys(result.violations)]
    return "\n".join(lines)
