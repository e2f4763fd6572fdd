"""The lecture view at lecture size: every course notebook in Voila in presentation mode (`make lecture`),
looked at in a projector's two windows, 1024 x 768 and 1280 x 720 (one page, resized).

Nothing a person would see wrong (`look`): no two labels of a figure overlap, none is cut by its
figure's edge, no control's label is cut short, no icon is blank; no text in a figure or an app
under 18 px; the notebook's prose, tables and printed output at `PROSE_PX` (20 px) or more; nothing
wider than the window. These run in `make test-look` (marker `look`), not in `make test`.
"""

import pytest
from look import small_prose
from test_notebooks_in_voila import PROJECTED_JS, looked_at, no_slow_starts, open_in_voila

from gdviz import presentation

pytestmark = [pytest.mark.browser, pytest.mark.look]


def test_the_lecture_view_is_readable_on_a_projector(tab, voila_course_server, notebook_name):
    page, graphs = open_in_voila(tab, voila_course_server, notebook_name, 1024, 768)
    for width, _ in looked_at(page, notebook_name, "presentation", ((1024, 768), (1280, 720))):
        least = presentation.PROSE_PX
        small = small_prose(page, least)
        assert not small, f"{notebook_name} at {width} px, prose under {least} px: {small[:8]}"
        if graphs:
            projected = page.evaluate(PROJECTED_JS)
            assert not projected["small"], f"{notebook_name}: text under 18 px: {projected['small']}"
            assert not projected["wide"] and projected["page"] <= projected["width"], (
                f"{notebook_name}: wider than a {projected['width']} px projector: {projected}")
    no_slow_starts(tab, notebook_name)
