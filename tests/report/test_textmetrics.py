"""Text measured once per string inside the chart style gives matplotlib's own measure."""

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from sim.report.style import chart_style
from sim.report.textmetrics import shared_text_metrics

MEASURE = TextToPath.get_text_width_height_descent


def test_same_measure_as_matplotlib_and_restored_after() -> None:
    prop = FontProperties(size=9.5)
    bold = FontProperties(size=9.5, weight="bold")
    plain = [MEASURE(TextToPath(), s, p, False) for s in ("09–10", "lp") for p in (prop, bold)]
    with chart_style():
        assert TextToPath.get_text_width_height_descent is not MEASURE
        with shared_text_metrics():  # nested: still shared, not undone by the inner block
            pass
        assert TextToPath.get_text_width_height_descent is not MEASURE
        shared = [
            TextToPath().get_text_width_height_descent(s, p, False)
            for s in ("09–10", "lp")
            for p in (prop, bold)
        ]
        prop.set_size(20)  # a font changed after it was measured is measured anew
        bigger = TextToPath().get_text_width_height_descent("09–10", prop, False)
    assert shared == plain
    assert bigger[0] > plain[0][0]
    assert TextToPath.get_text_width_height_descent is MEASURE
