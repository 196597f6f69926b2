"""Pictures for people who would rather look than read: plain SVG made on the server, each with the table of its
data beside it (the page shows both; a screen reader reads the table and the chart's title and description).

- :func:`estimates`: round 1's estimates with their 90% intervals, best first, and the cut-off line;
- :func:`funnel`: registered, in round 2, finalists, winners;
- :func:`over_time`: a cumulative count per day (ratings submitted, say).

No script and no external file: the pages' content security policy allows neither, and a chart must work printed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from markupsafe import Markup, escape

from gemeentedelers.web.i18n import format_number
from gemeentedelers.web.pages import translate

WIDTH = 640
ACCENT = "#0b5d7a"
OK = "#1d6b2f"
MUTED = "#8a8f98"
CUT = "#b00020"


@dataclass(frozen=True)
class Chart:
    """An SVG picture and the rows of its accessible table (``headers``, then ``rows``)."""

    svg: Markup
    title: str
    headers: list[str]
    rows: list[list[str]]


def _svg(width: int, height: int, title: str, description: str, body: list[str], key: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{key}-title {key}-desc" data-chart="{key}">'
        f'<title id="{key}-title">{escape(title)}</title><desc id="{key}-desc">{escape(description)}</desc>'
        + "".join(body) + "</svg>")


def estimates(preview: Any, language: str) -> Chart | None:
    """Every entry's estimate (dot) and 90% interval (line), best first; entries that advance in green, a red line
    between the last that advances and the first that does not."""
    ranking = sorted(preview.ranking, key=lambda r: r.rank)
    if not ranking:
        return None
    low = min(r.lower for r in ranking)
    high = max(r.upper for r in ranking)
    span = (high - low) or 1.0
    left, right, top, row_h = 44, 16, 24, 12
    height = top + row_h * len(ranking) + 28

    def x(value: float) -> float:
        return left + (value - low) / span * (WIDTH - left - right)

    body = [f'<text x="{left}" y="14" font-size="11" fill="#1b1b1b">{escape(translate(language, "chart_scale"))} '
            f'{format_number(low, language, 2)} – {format_number(high, language, 2)}</text>']
    cut_drawn = False
    for index, row in enumerate(ranking):
        y = top + index * row_h + row_h / 2
        if not row.advances and not cut_drawn and index:
            line_y = top + index * row_h
            body.append(f'<line x1="0" x2="{WIDTH}" y1="{line_y}" y2="{line_y}" stroke="{CUT}" stroke-width="1.5" '
                        f'stroke-dasharray="6 3" data-cutoff="{index}"/>')
            body.append(f'<text x="{WIDTH - right}" y="{line_y - 3}" font-size="10" text-anchor="end" fill="{CUT}">'
                        f'{escape(translate(language, "chart_cutoff"))}</text>')
            cut_drawn = True
        colour = OK if row.advances else ACCENT if 0.1 < row.p_top < 0.9 else MUTED
        body.append(f'<text x="{left - 6}" y="{y + 3.5}" font-size="9" text-anchor="end" fill="#1b1b1b">{row.rank}'
                    "</text>")
        body.append(f'<line x1="{x(row.lower):.1f}" x2="{x(row.upper):.1f}" y1="{y}" y2="{y}" stroke="{colour}" '
                    'stroke-width="2"/>')
        body.append(f'<circle cx="{x(row.estimate):.1f}" cy="{y}" r="3" fill="{colour}" '
                    f'data-entry="{escape(row.submission_id)}"/>')
    title = translate(language, "chart_estimates_title")
    description = translate(language, "chart_estimates_desc", n=len(ranking), top=preview.top_n)
    headers = [translate(language, k) for k in ("rank", "entry", "estimate", "interval", "p_top", "advances")]
    rows = [[str(r.rank), str(preview.entries.get(r.submission_id, {}).get("title", r.submission_id)),
             format_number(r.estimate, language, 2),
             f"{format_number(r.lower, language, 2)} – {format_number(r.upper, language, 2)}",
             f"{round(r.p_top * 100)}%", translate(language, "yes" if r.advances else "no")] for r in ranking]
    return Chart(_svg(WIDTH, int(height), title, description, body, "estimates"), title, headers, rows)


def funnel(stages: Sequence[tuple[str, int]], language: str) -> Chart:
    """One bar per stage, its width the share of the first stage."""
    first = max((n for _, n in stages), default=0) or 1
    bar_h, gap, label_w = 26, 10, 150
    height = len(stages) * (bar_h + gap) + gap
    body = []
    for index, (key, n) in enumerate(stages):
        y = gap + index * (bar_h + gap)
        width = max(2.0, n / first * (WIDTH - label_w - 60))
        body.append(f'<text x="{label_w - 8}" y="{y + bar_h / 2 + 4}" font-size="12" text-anchor="end" '
                    f'fill="#1b1b1b">{escape(translate(language, key))}</text>')
        body.append(f'<rect x="{label_w}" y="{y}" width="{width:.1f}" height="{bar_h}" fill="{ACCENT}" '
                    f'data-stage="{key}" data-n="{n}"/>')
        body.append(f'<text x="{label_w + width + 6:.1f}" y="{y + bar_h / 2 + 4}" font-size="12" fill="#1b1b1b">{n}'
                    "</text>")
    title = translate(language, "chart_funnel_title")
    description = ", ".join(f"{translate(language, key)}: {n}" for key, n in stages)
    headers = [translate(language, "chart_stage"), translate(language, "chart_count")]
    rows = [[translate(language, key), str(n)] for key, n in stages]
    return Chart(_svg(WIDTH, height, title, description, body, "funnel"), title, headers, rows)


def daily_totals(moments: Sequence[datetime]) -> list[tuple[date, int]]:
    """The cumulative count at the end of each day (Amsterdam) on which something happened."""
    from gemeentedelers.web.i18n import AMSTERDAM

    per_day: dict[date, int] = {}
    for moment in moments:
        day = moment.astimezone(AMSTERDAM).date()
        per_day[day] = per_day.get(day, 0) + 1
    total = 0
    found = []
    for day in sorted(per_day):
        total += per_day[day]
        found.append((day, total))
    return found


def over_time(points: Sequence[tuple[date, int]], of: int, language: str, *, key: str = "progress",
              title_key: str = "chart_progress_title") -> Chart | None:
    """A cumulative count per day as a line, against the total ``of`` that is expected (dotted)."""
    if not points:
        return None
    left, right, top, bottom = 40, 16, 12, 28
    height = 200
    first, last = points[0][0], points[-1][0]
    days = max((last - first).days, 1)
    most = max(of, points[-1][1], 1)

    def x(day: date) -> float:
        return left + (day - first).days / days * (WIDTH - left - right)

    def y(n: int) -> float:
        return top + (1 - n / most) * (height - top - bottom)

    line = " ".join(f"{x(day):.1f},{y(n):.1f}" for day, n in points)
    if len(points) == 1:
        line += f" {WIDTH - right:.1f},{y(points[0][1]):.1f}"
    body = [f'<line x1="{left}" x2="{WIDTH - right}" y1="{y(of):.1f}" y2="{y(of):.1f}" stroke="{MUTED}" '
            'stroke-dasharray="4 3"/>',
            f'<text x="{left - 4}" y="{y(of) + 4:.1f}" font-size="10" text-anchor="end">{of}</text>',
            f'<text x="{left - 4}" y="{y(0) + 4:.1f}" font-size="10" text-anchor="end">0</text>',
            f'<polyline points="{line}" fill="none" stroke="{ACCENT}" stroke-width="2"/>',
            f'<text x="{left}" y="{height - 8}" font-size="10">{first.isoformat()}</text>',
            f'<text x="{WIDTH - right}" y="{height - 8}" font-size="10" text-anchor="end">{last.isoformat()}</text>']
    title = translate(language, title_key)
    description = translate(language, "chart_progress_desc", n=points[-1][1], of=of)
    headers = [translate(language, "chart_day"), translate(language, "chart_cumulative")]
    rows = [[day.isoformat(), str(n)] for day, n in points]
    return Chart(_svg(WIDTH, height, title, description, body, key), title, headers, rows)
