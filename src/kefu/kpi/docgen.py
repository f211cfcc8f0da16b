"""Writes docs/indicators.md from the catalogue: ``python -m kefu.kpi.docgen`` (a test keeps it current)."""

from __future__ import annotations

import sys
from pathlib import Path

from .catalogue import GROUPS, INDICATORS, SOURCES

DOC = Path(__file__).resolve().parents[3] / "docs" / "indicators.md"
_GOOD = {"up": "higher", "down": "lower", "target": "near the target"}

INTRO = """# Operations indicators (运营指标)

Generated from `src/kefu/kpi/catalogue.py` by `python -m kefu.kpi.docgen` — edit the catalogue, not this
page. Every figure is computed from interval rows (15-minute intervals per organisation, queue, team, agent
and channel) that the worker rebuilds from the source records; reports never read raw records, and the
records stay for drill-down.

Attribution: a contact belongs to the interval it started in, with everything that happens to it later
(answer, abandon, talk, wrap-up), even across an interval boundary; agent state time is split at interval
boundaries; work-order, IVR and campaign figures belong to the interval of their event. Contact figures
count inbound contacts that reached a queue or an agent; outbound calls count in the marketing group.
A figure whose denominator is zero is shown as “—”, not 0 %.
"""


def indicators_markdown() -> str:
    out = [INTRO]
    for group, (zh, en) in GROUPS.items():
        out.append(f"\n## {en} ({zh})\n")
        for i in (i for i in INDICATORS if i.group == group):
            state = "" if i.available else " — **source not available yet**"
            sources = ", ".join(f"`{s}`" for s in (i.source, *i.extra_sources))
            out.append(
                f"### `{i.code}` — {i.en} ({i.zh}){state}\n\n"
                f"- Formula: {i.formula}\n- Unit: {i.unit}\n- Better: {_GOOD[i.good]}\n"
                f"- Sources: {sources}\n- Abandoned contacts: {i.abandoned}\n"
                f"- Measures: {', '.join(f'`{m}`' for m in i.measures) or '—'}\n\n"
            )
    out.append("\n## Sources\n\n| Source | Records | Available |\n|---|---|---|\n")
    out.extend(f"| `{k}` | {text} | {'yes' if ok else 'not yet'} |\n" for k, (text, ok) in SOURCES.items())
    out.append("\nEach source is one function `source_<name>` in `src/kefu/kpi/services/sources.py`.\n")
    return "".join(out)


if __name__ == "__main__":  # pragma: no cover
    DOC.write_text(indicators_markdown(), encoding="utf-8")
    sys.stdout.write(f"wrote {DOC}\n")
