"""Text renderings of library results for the command line (strings, never printed here)."""

from __future__ import annotations

from .validate import ValidationReport


def violations_text(report: ValidationReport, limit: int = 200) -> str:
    if report.conforms:
        return f"conforms: yes ({report.triples} triples checked)"
    lines = [f"conforms: no: {len(report.violations)} violation(s) in {report.triples} triples"]
    lines += [v.describe() for v in report.violations[:limit]]
    if len(report.violations) > limit:
        lines.append(f"... and {len(report.violations) - limit} more (use --json for all)")
    return "\n".join(lines)


def build_summary_text(outcome) -> str:
    width = max((len(k) for k in outcome.counts), default=0)
    lines = [
        f"built {', '.join(r.id for r in outcome.built.reports)}: {outcome.triples} triples "
        f"in {outcome.seconds:.2f} s",
        f"SHACL: {'conforms' if outcome.validation.conforms else 'does NOT conform'}",
        "instances per class:",
    ]
    lines += [f"  {name:<{width}}  {count:>5}" for name, count in outcome.counts.items()]
    lines.append("wrote: " + ", ".join(str(p) for p in outcome.files))
    return "\n".join(lines)
