"""The kit's handouts and slides colour code readably (WCAG AA, 4.5:1).

nbconvert's JupyterLab light theme draws some code tokens below 4.5:1 on its grey
code background (numbers #080, comments #408080, operators #a2f).
``kit_templates/code_contrast.css`` overrides them; this test reads the theme
nbconvert really ships, applies the override and computes every ratio, without
building the kit (minutes).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from contrast import contrast_ratio
from nbconvert import HTMLExporter

from tiktok_lab.kit.pages import _template_dir

AA_TEXT = 4.5
TEMPLATES = Path(_template_dir())
OVERRIDE = TEMPLATES / "code_contrast.css"
# Not text: a horizontal rule in Markdown source.
NOT_TEXT = {"hr"}
_NAMED = {"blue": "#0000ff", "white": "#ffffff", "black": "#000000"}
_VARIABLE = re.compile(r"(--[\w-]+)\s*:\s*([^;]+);")


def _lab_static() -> Path:
    for folder in HTMLExporter(template_name="lab").template_paths:
        static = Path(folder) / "static"
        if (static / "theme-light.css").is_file():
            return static
    pytest.fail("nbconvert's lab template (static/theme-light.css) was not found")


def _variables(*sheets: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for sheet in sheets:
        for name, value in _VARIABLE.findall(sheet.read_text("utf-8")):
            values[name] = value.strip()
    return values


def _resolve(value: str, variables: dict[str, str]) -> str:
    """A CSS colour value as ``#rrggbb``: follows var(), reads rgb() and a few names."""
    for _ in range(10):
        reference = re.fullmatch(r"var\((--[\w-]+)\)", value)
        if not reference:
            break
        value = variables[reference.group(1)]
    rgb = re.fullmatch(r"rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*1)?\)", value)
    if rgb:
        return "#" + "".join(f"{int(part):02x}" for part in rgb.groups())
    value = _NAMED.get(value.lower(), value)
    assert re.fullmatch(r"#(?:[0-9a-fA-F]{3}){1,2}", value), f"cannot read colour {value!r}"
    return value


def _code_colours(variables: dict[str, str]) -> dict[str, str]:
    return {match.group(1): _resolve(value, variables)
            for name, value in variables.items()
            if (match := re.fullmatch(r"--jp-mirror-editor-([\w-]+)-color", name))
            and match.group(1) not in NOT_TEXT}


def _too_pale(variables: dict[str, str]) -> dict[str, tuple[str, float]]:
    background = _resolve(variables["--jp-cell-editor-background"], variables)
    return {token: (colour, round(contrast_ratio(colour, background), 2))
            for token, colour in _code_colours(variables).items()
            if contrast_ratio(colour, background) < AA_TEXT}


def test_the_theme_alone_has_pale_code_colours() -> None:
    """The case the override fixes, so the next test can fail."""
    static = _lab_static()
    pale = _too_pale(_variables(static / "index.css", static / "theme-light.css"))
    assert {"number", "comment", "operator"} <= set(pale), pale


def test_every_code_colour_reaches_4_5_to_1_with_the_override() -> None:
    static = _lab_static()
    variables = _variables(static / "index.css", static / "theme-light.css", OVERRIDE)
    assert len(_code_colours(variables)) >= 15  # the theme was really read
    assert not _too_pale(variables)
    # Also on a slightly darker grey, for themes or printers that shade code more.
    for colour in _code_colours(variables).values():
        assert contrast_ratio(colour, "#eeeeee") >= AA_TEXT, colour


def test_the_override_wins_over_the_theme_and_both_pages_use_it() -> None:
    assert "html:root {" in OVERRIDE.read_text("utf-8")  # beats the theme's ":root"
    for template in ("handout.html.j2", "slides.html.j2"):
        assert '{% include "code_contrast.css" %}' in (TEMPLATES / template).read_text("utf-8")


@pytest.mark.parametrize(("template_name", "template_file"),
                         [("lab", "handout.html.j2"), ("reveal", "slides.html.j2")])
def test_rendered_pages_carry_the_override(template_name: str, template_file: str) -> None:
    """The include resolves from the kit's template folder (a page, not the whole kit)."""
    import nbformat
    from nbconvert import SlidesExporter

    exporter_class = HTMLExporter if template_name == "lab" else SlidesExporter
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1  # one")])
    body, _ = exporter_class(template_name=template_name, extra_template_paths=[str(TEMPLATES)],
                             template_file=template_file).from_notebook_node(notebook)
    rules = _variables_in(body)
    for name, value in _VARIABLE.findall(OVERRIDE.read_text("utf-8")):
        assert rules.get(name) == value.strip(), name


def _variables_in(page: str) -> dict[str, str]:
    """Custom properties set in the page's ``html:root`` rules (the override's)."""
    values: dict[str, str] = {}
    for block in re.findall(r"html:root\s*\{([^}]*)\}", page):
        values.update((name, value.strip()) for name, value in _VARIABLE.findall(block))
    return values
