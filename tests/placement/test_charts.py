"""Geometry of the server-rendered bar charts."""
from placement.charts import grouped_bar_chart


def test_bar_heights_are_proportional_to_the_values():
    """The tallest bar fills the plot; the others scale with their value; zero draws nothing."""
    chart = grouped_bar_chart(["1", "2", "3"], [[10, 5, 0]], ["Run"], plot_height=100)
    assert [bar.height for bar in chart.bars] == [100, 50, 0]
    assert all(bar.y + bar.height == chart.baseline for bar in chart.bars)


def test_long_category_labels_do_not_overlap():
    """Neighbouring labels are further apart than the width of the longer one."""
    categories = ["0%", "1–49%", "50–99%", "100%"]
    chart = grouped_bar_chart(categories, [[1, 2, 3, 4]], ["Offices"])
    centres = [label.x for label in chart.labels]
    gaps = [b - a for a, b in zip(centres, centres[1:], strict=False)]
    assert min(gaps) >= max(len(c) for c in categories) * 7


def test_two_series_sit_side_by_side_in_each_group():
    """With two runs, each category gets two bars next to each other, in series order."""
    chart = grouped_bar_chart(["1", "2"], [[3, 4], [5, 6]], ["A", "B"])
    first_group = [bar for bar in chart.bars if bar.x < chart.labels[0].x + 20]
    assert [bar.series for bar in chart.bars[:2]] == [0, 1]
    assert chart.bars[1].x > chart.bars[0].x
    assert len(first_group) >= 2
