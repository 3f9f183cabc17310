"""Pages only compose: what a page would draw by hand lives in ui/, once."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_no_page_draws_a_download_button_itself():
    """The CSV + Excel pair beside a table is ui.downloads' (built on click, one set of
    file names and types), on the Sessions page as on the candidates pages."""
    by_hand = [p.name for p in sorted((ROOT / "pages").glob("*.py"))
               if "download_button" in p.read_text(encoding="utf-8")]  # fmt: skip
    assert by_hand == []


def test_the_overview_draws_its_kpi_cards_through_ui():
    """The cards' loop (labels, changes, colours, the compared period) is ui.kpis'."""
    overview = (ROOT / "pages" / "overview.py").read_text(encoding="utf-8")
    assert ".metric(" not in overview and "kpi_cards(view)" in overview
