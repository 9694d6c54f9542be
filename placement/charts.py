"""Geometry of the server-rendered SVG bar charts: plain numbers in, bar rectangles out (no JavaScript, no CDN)."""
from dataclasses import dataclass

SERIES_CLASSES = ["series-a", "series-b"]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    series: int
    css_class: str


@dataclass(frozen=True)
class Label:
    x: float
    text: str


@dataclass(frozen=True)
class BarChart:
    width: float
    height: float
    baseline: float
    bars: list[Bar]
    labels: list[Label]
    categories: list[str]
    series_names: list[str]
    rows: list[tuple[str, list[int]]]  # The same numbers as a table, for screen readers and printing.
    max_value: int


def grouped_bar_chart(categories: list[str], series: list[list[int]], series_names: list[str], *,
                      plot_height: float = 160, bar_width: float = 16, group_gap: float = 14) -> BarChart:
    """Return a vertical bar chart with one group of bars per category and one bar per series."""
    top_margin, bottom_margin, left_margin = 18, 24, 8
    max_value = max((value for values in series for value in values), default=0) or 1
    # Groups widen for long category labels ("50–99%") so that neighbouring labels never overlap; about 7 px a
    # character at the chart's label size.
    longest_label = max((len(category) for category in categories), default=0)
    group_width = max(bar_width * len(series) + group_gap, longest_label * 7 + 8)
    bars: list[Bar] = []
    labels: list[Label] = []
    for index, category in enumerate(categories):
        group_x = left_margin + index * group_width
        for number, values in enumerate(series):
            value = values[index]
            height = plot_height * value / max_value
            bars.append(Bar(
                x=round(group_x + number * bar_width, 1), y=round(top_margin + plot_height - height, 1),
                width=bar_width - 2, height=round(height, 1), value=value, series=number,
                css_class=SERIES_CLASSES[number % len(SERIES_CLASSES)],
            ))
        labels.append(Label(x=round(group_x + bar_width * len(series) / 2, 1), text=category))
    return BarChart(
        width=left_margin * 2 + len(categories) * group_width, height=top_margin + plot_height + bottom_margin,
        baseline=top_margin + plot_height, bars=bars, labels=labels, categories=categories,
        series_names=series_names,
        rows=[(category, [values[i] for values in series]) for i, category in enumerate(categories)],
        max_value=max_value,
    )


def rank_distribution(stats: dict) -> tuple[list[str], list[int]]:
    """Return (category labels, counts) of achieved preference ranks, unplaced last as "—"."""
    pairs = stats.get("rank_distribution", [])
    categories = [str(rank) if rank is not None else "—" for rank, _count in pairs]
    return categories, [count for _rank, count in pairs]


FILL_BUCKETS = ["0%", "1–49%", "50–99%", "100%"]


def fill_rate_buckets(stats: dict) -> list[int]:
    """Return how many offices with seats are empty, under half, over half and completely filled."""
    counts = [0, 0, 0, 0]
    filled = stats.get("seats_filled", {})
    for code, seats in stats.get("capacities", {}).items():
        if not seats:
            continue
        share = filled.get(code, 0) / seats
        counts[0 if share == 0 else 1 if share < 0.5 else 2 if share < 1 else 3] += 1
    return counts
