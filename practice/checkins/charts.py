"""Server-rendered line charts: each partner's closeness or signs score over time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 12, 28


@dataclass
class Series:
    name: str
    points: list[tuple[date, int]]
    path: str = ""
    dots: list[tuple[float, float, date, int]] = field(default_factory=list)


@dataclass
class Chart:
    title: str
    description: str
    summary: list[str]
    series: list[Series]
    y_ticks: list[tuple[float, int]]
    x_labels: list[tuple[float, str]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM
    rows: list[tuple[date, list]] = field(default_factory=list)
    marks: list[tuple[float, date]] = field(default_factory=list)  # sessions: thin vertical lines


def _summary(series: Series, lower_is_better: bool) -> str:
    if not series.points:
        return f"{series.name}: no answers yet."
    first, last = series.points[0][1], series.points[-1][1]
    if len(series.points) == 1:
        return f"{series.name}: one answer, {last}."
    if last == first:
        trend = "no change"
    else:
        closer = (last < first) if lower_is_better else (last > first)
        trend = "closer" if closer else "further apart"
    return (f"{series.name}: {len(series.points)} answers, from {first} to {last} "
            f"({trend}).")


def line_chart(title: str, description: str, series: list[Series], y_min: int, y_max: int,
               lower_is_better: bool = False, *, span: tuple[date, date] | None = None,
               marks: list[date] = ()) -> Chart | None:
    """Scale each series to the plot area; None when nobody has answered yet.

    `span` (first, last day) gives several charts one shared date axis; `marks` are days drawn
    as thin vertical lines (sessions) when they fall inside it.
    """
    days = sorted({d for s in series for d, _ in s.points})
    if not days:
        return None
    first, last = span or (days[0], days[-1])
    span = max((last - first).days, 1)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        if first == last:
            return LEFT + plot_w / 2
        return round(LEFT + plot_w * (day - first).days / span, 1)

    def y(value: int) -> float:
        return round(TOP + plot_h * (y_max - value) / (y_max - y_min), 1)

    for s in series:
        s.dots = [(x(d), y(v), d, v) for d, v in s.points]
        s.path = " ".join(f"{'M' if i == 0 else 'L'}{px},{py}"
                          for i, (px, py, _d, _v) in enumerate(s.dots))
    step = max(1, (y_max - y_min) // 4)
    ticks = [(y(v), v) for v in range(y_min, y_max + 1, step)]
    labels = [(x(first), f"{first:%d %b}")]
    if last != first:
        labels.append((x(last), f"{last:%d %b}"))
    by_day: dict[date, list] = {d: [None] * len(series) for d in days}
    for i, s in enumerate(series):
        for d, v in s.points:
            by_day[d][i] = v
    return Chart(title=title, description=description,
                 summary=[_summary(s, lower_is_better) for s in series], series=series,
                 y_ticks=ticks, x_labels=labels, rows=sorted(by_day.items()),
                 marks=[(x(d), d) for d in sorted(set(marks)) if first <= d <= last])


def shared_span(series_lists: list[list[Series]],
                marks: list[date] = ()) -> tuple[date, date] | None:
    """The first and last day over several charts' series (and session days between them), so
    that all of a couple's charts share one date axis."""
    days = [d for series in series_lists for s in series for d, _ in s.points]
    if not days:
        return None
    first, last = min(days), max(days)
    return first, max([last, *[d for d in marks if d >= first]])


def one_per_day(points: list[tuple[date, int]]) -> list[tuple[date, int]]:
    """One point per day: the day's last answer (`points` in the order they were answered)."""
    last: dict[date, int] = {}
    for day, value in points:
        last[day] = value
    return sorted(last.items())


def describe_trend(name: str, points: list[tuple[date, int]], lower_is_better=False) -> str:
    """The words a chart's description uses for one partner's answers, on their own."""
    return _summary(Series(name, points), lower_is_better)
