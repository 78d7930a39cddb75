"""The "Sources of this course" link at a lesson's end opens a readable page, not Markdown code.

Issue 16 links every lesson to ``notebooks/sources.md``. A learner who clicks it in JupyterLab
must see the rendered page (headings, links), the way Lab opens a Markdown link from a notebook.
"""

from __future__ import annotations

from typing import Any

import pytest

from . import jupyterlab as lab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

_OPENED = """() => {
  const app = window.jupyterapp;
  if (!app || !app.shell) return null;
  for (const w of app.shell.widgets('main')) {
    if (w.context && w.context.path.endsWith('sources.md')) {
      return {rendered: !!w.node.querySelector('.jp-RenderedMarkdown h1'),
              editor: !!w.node.querySelector('.jp-FileEditor, .cm-editor'),
              heading: (w.node.querySelector('.jp-RenderedMarkdown h1') || {}).innerText || ''};
    }
  }
  return null;
}"""


def test_the_sources_link_opens_the_rendered_page(page: Any,
                                                   jupyterlab_server: lab.LabServer) -> None:
    lab.open_notebook(page, jupyterlab_server, "notebooks/02_figures.ipynb")
    link = page.locator(".jp-RenderedMarkdown a", has_text="Sources of this course").first
    link.wait_for(timeout=60_000)
    link.click()
    assert lab.wait_until(page, f"() => {{ const s = ({_OPENED})(); return !!(s && (s.rendered || s.editor)); }}",
                          timeout_s=30), "clicking the link opened nothing"
    opened = page.evaluate(_OPENED)
    assert opened["rendered"] and not opened["editor"], opened
    assert "Sources of this course" in opened["heading"]
