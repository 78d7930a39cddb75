"""The participant sheets print on one page each, on A4 and on US Letter, in a real browser.

The sheets are handed out on paper; a sheet that spills two lines onto a second page
wastes twenty sheets of paper and looks careless, and only a real print shows it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Both kits: the English sheets and the French ones (workshop/fr/), which run longer.
SHEETS = sorted([*(ROOT / "workshop" / "participants").glob("*.md"),
                 *(ROOT / "workshop" / "fr" / "participants").glob("*.md")])
# A plain Markdown print: 11 pt text (15 px), 1.4 line height, 15 mm margins.
STYLE = """body { font-family: sans-serif; font-size: 15px; line-height: 1.4; margin: 0; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 2px 8px; }
pre { background: #eee; padding: 6px; white-space: pre-wrap; word-break: break-all; }"""


def _html(markdown_text: str) -> str:
    mistune = pytest.importorskip("mistune", reason="mistune renders Markdown (nbconvert ships it)")
    body = mistune.create_markdown(plugins=["table"], escape=False)(markdown_text)
    return f"<html><head><meta charset='utf-8'><style>{STYLE}</style></head><body>{body}</body></html>"


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def _id(path: Path) -> str:
    return f"{path.parent.parent.name}-{path.stem}" if path.parent.parent.name == "fr" \
        else path.stem


def test_there_are_sheets_to_print() -> None:
    assert sorted(_id(path) for path in SHEETS) == sorted(
        ["setup", "summary", "feedback", "fr-setup", "fr-summary", "fr-feedback"])


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("sheet", SHEETS, ids=_id)
def test_each_sheet_prints_on_one_page(page: Any, sheet: Path, paper: str) -> None:
    page.set_content(_html(sheet.read_text(encoding="utf-8")))
    pdf = page.pdf(format=paper, margin={"top": "15mm", "bottom": "15mm",
                                          "left": "15mm", "right": "15mm"})
    assert _pages(pdf) == 1, f"{sheet.name} takes {_pages(pdf)} pages on {paper}"
