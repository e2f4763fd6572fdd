"""The Explorer served by Voila, the classroom view: outputs only, and the sliders still drive Chad."""

import json
import math
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def numbers(chad: list[dict]) -> list[float]:
    return [value for trace in chad for axis in "xyz" for value in (trace[axis] or [])]


def code_lines(notebook: Path) -> list[str]:
    """The non-blank source lines of a notebook's code cells."""
    cells = json.loads(notebook.read_text())["cells"]
    sources = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    return [line.strip() for source in sources for line in source.splitlines() if line.strip()]


def test_voila_draws_chad_and_shows_no_code(explorer_in_voila, voila_server):
    page = explorer_in_voila.page
    chad = numbers(explorer_in_voila.chad())
    assert len(chad) == 3, f"expected one trace named Chad with one point, got {explorer_in_voila.chad()}"
    assert all(math.isfinite(value) for value in chad)
    # A code cell's input area or an editor is what code looks like on these pages (markdown
    # cells render inside an input area too, so only code cells' count).
    assert page.locator(".jp-CodeCell .jp-InputArea, .jp-InputPrompt, .cm-editor, .CodeMirror").count() == 0
    # And no code cell's source text is on screen (markdown may quote code, so only code cells).
    code_cells_text = "\n".join(page.locator(".jp-CodeCell").all_inner_texts())
    lines = code_lines(voila_server.root / "explorer.ipynb")
    shown = [line for line in lines if len(line) >= 8 and line in code_cells_text]
    assert not shown, f"code visible on the Voila page: {shown}"
    assert page.get_by_text("Traceback").count() == 0
    assert page.get_by_text("There was an error when executing cell").count() == 0
    assert page.locator(".widget-slider").count() >= 1


def test_voila_alpha_arrow_key_moves_chad(explorer_in_voila, settled, report_line):
    tab = explorer_in_voila
    settled(tab)
    chad_before = numbers(tab.chad())
    received_before, sent_before = tab.traffic()
    label = tab.page.locator(".widget-label", has_text=re.compile(r"^\s*alpha\s*$"))
    alpha_slider = tab.page.locator(".widget-slider", has=label).first
    readout = alpha_slider.locator(".widget-readout")
    alpha_before = float(readout.inner_text())
    handle = alpha_slider.locator(".noUi-handle")

    seconds = tab.press_and_time(handle, "ArrowRight")
    settled(tab)
    received, sent = tab.traffic()
    report_line(
        f"Voila, ArrowRight on alpha: Chad moved {seconds:.3f} s after the key press; "
        f"kernel websocket {received - received_before:,} B received, {sent - sent_before:,} B sent"
    )
    assert float(readout.inner_text()) > alpha_before
    # The Explorer shows callback errors in its status line, starting "Error:".
    assert tab.page.get_by_text(re.compile(r"^Error:")).count() == 0
    chad_after = numbers(tab.chad())
    assert chad_after != chad_before
    assert len(chad_after) == 3 and all(math.isfinite(value) for value in chad_after)
