"""Export an executed lesson as a handout (standalone HTML) and as reveal.js slides.

Both come from the same executed notebook (the source, trainer notes included):
the handout drops the trainer notes and keeps the exercise starters (no
solutions: participants get those from the Solution button in class, and the
trainer edition holds them), the slides turn the notes into speaker notes.
The templates in ``data/kit_templates/`` load nothing from the Internet.
"""

from __future__ import annotations

import copy
import hashlib
import re
from importlib import resources
from pathlib import Path

from tiktok_lab.core import charts
from tiktok_lab.kit.editions import learner_edition
from tiktok_lab.core.i18n import get_language, t
from tiktok_lab.kit.assets import ASSETS_DIR, page_urls

TEMPLATES = "kit_templates"
#: Tag the slides put on cells whose code stays hidden (their output shows).
HIDE_INPUT = "kit-hide-input"


# The Vega library a top-level chart output carries (~0.9 MB, see charts.py).
_CHART_LIBRARY = re.compile(
    r"<script %s>(.*?)</script>" % re.escape(charts._BUNDLE_MARKER), re.DOTALL)
CHART_LIBRARY_DIR = "tiktok-lab"


def externalise_chart_library(executed: dict, out: Path) -> dict:
    """A copy of ``executed`` whose charts load the Vega library from one shared file.

    Every top-level chart carries its own copy of the library so that a
    notebook exported on its own still draws; in the kit, the pages share
    ``assets/tiktok-lab/vega-<sha>.js`` instead (~0.9 MB per chart saved, the
    kit shrinks several-fold). The file is named by content: two runs with the
    same library write the same file.
    """
    notebook = copy.deepcopy(executed)

    def to_file(match: re.Match) -> str:
        body = match.group(1)
        name = f"vega-{hashlib.sha256(body.encode()).hexdigest()[:12]}.js"
        target = out / ASSETS_DIR / CHART_LIBRARY_DIR / name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
        src = f"../{ASSETS_DIR}/{CHART_LIBRARY_DIR}/{name}"
        return f'<script {charts._BUNDLE_MARKER} src="{src}"></script>'

    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                text = data["text/html"]
                text = "".join(text) if isinstance(text, list) else text
                data["text/html"] = _CHART_LIBRARY.sub(to_file, text)
    return notebook


def _template_dir() -> str:
    return str(resources.files("tiktok_lab") / "data" / TEMPLATES)


def _offline_options(exporter, depth: int) -> None:
    """Point the exporter at the local assets; no MathJax (the course has no maths)."""
    urls = page_urls(depth)
    exporter.require_js_url = urls["require_js"]
    exporter.widget_renderer_url = urls["widget_renderer"]
    exporter.mathjax_url = ""


def _resources(lesson: str, heading: str, explanation: str) -> dict:
    return {"metadata": {"name": lesson},
            "kit": {"heading": heading, "explanation": explanation,
                    "widget_assets": page_urls(1)["widget_assets"],
                    "index_url": "../index.html", "index_label": t("kit.page.index_link")}}


def is_setup_cell(cell: dict) -> bool:
    """The lesson's set-up cell (``import tiktok_lab as tl``)."""
    return cell.get("cell_type") == "code" and "import tiktok_lab" in "".join(cell["source"])


def handout_html(executed: dict, lesson: str, title: str) -> str:
    """The participants' page: the learner edition, as it looks after a full run."""
    from nbconvert import HTMLExporter
    import nbformat

    exporter = HTMLExporter(template_name="lab", extra_template_paths=[_template_dir()],
                            template_file="handout.html.j2", exclude_input_prompt=True,
                            exclude_output_prompt=True, language_code=get_language())
    _offline_options(exporter, depth=1)
    notebook = nbformat.from_dict(learner_edition(executed))
    body, _ = exporter.from_notebook_node(notebook, resources=_resources(
        lesson, t("kit.handout.heading", title=title), t("kit.handout.explanation")))
    return body


def slides_html(executed: dict, lesson: str, title: str) -> str:
    """The projector deck: one slide per section, trainer notes as speaker notes.

    The set-up cell's code is hidden (its output, the "ready" line and the
    chart library, stays): participants see it in their notebook, and a slide
    has no room for boilerplate.
    """
    from nbconvert import SlidesExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    import nbformat

    notebook = nbformat.from_dict(copy.deepcopy(executed))
    for cell in notebook.cells:
        if is_setup_cell(cell):
            cell.metadata.setdefault("tags", []).append(HIDE_INPUT)
    exporter = SlidesExporter(template_name="reveal", extra_template_paths=[_template_dir()],
                              template_file="slides.html.j2", reveal_theme="serif",
                              reveal_url_prefix=page_urls(1)["reveal"],
                              exclude_input_prompt=True, exclude_output_prompt=True,
                              language_code=get_language())
    _offline_options(exporter, depth=1)
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_input_tags={HIDE_INPUT}, enabled=True), enabled=True)
    body, _ = exporter.from_notebook_node(notebook, resources=_resources(
        lesson, title, ""))
    return body


def write_page(html: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
