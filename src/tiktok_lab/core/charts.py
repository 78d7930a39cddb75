"""Charts for the course: one theme, and a renderer that works with no network.

Over 400 lines: the theme, the offline renderer and the Vega bundle it embeds are one mechanism,
tested as one (tests/test_charts.py).

Altair's default renderer loads Vega from a public CDN, so in a workshop room
without Wi-Fi every chart would be an error message, and its other renderers
fail in Voilà, exports or inside Output widgets. This module registers the
``tiktok_lab`` renderer instead: each chart is plain ``text/html`` (valid
nbformat, shown by JupyterLab, Voilà, nbconvert HTML and slides) whose script
draws it with a Vega bundle built locally by vl-convert.

- A top-level chart carries the whole bundle (~0.9 MB) so that an exported
  page stays self-contained.
- A chart shown inside an ``ipywidgets.Output`` carries none (~2 KB): it reuses
  the copy that :func:`enable_offline_charts` put on the page. Widget apps
  redraw charts on every slider move, and ~1 MB outputs inside an Output
  widget hang nbclient and Voilà (jupyter/nbclient#312).

Altair, vl-convert and ipywidgets are imported inside functions only, so that
``import tiktok_lab`` stays instant.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
import sys
import tempfile
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tiktok_lab.core.i18n import t

if TYPE_CHECKING:
    import altair as alt

    ChartT = TypeVar("ChartT", bound=alt.TopLevelMixin)
else:
    ChartT = TypeVar("ChartT")

log = logging.getLogger(__name__)

RENDERER_NAME = "tiktok_lab"
THEME_NAME = "tiktok_lab"

#: Prefix of every chart's random div id; sanitise ``tiktok-lab-chart-[0-9a-f]{32}``
#: when comparing outputs.
CHART_ID_PREFIX = "tiktok-lab-chart-"

# The bundle publishes itself under its own global, never `window.vegaEmbed`,
# so a Vega copy loaded by something else (another renderer, an extension) is
# never mistaken for ours, and ours is never run twice on a page.
_JS_GLOBAL = "__tiktokLabVega"
_BUNDLE_SNIPPET = (
    f"window.{_JS_GLOBAL} = {{vegaEmbed: vegaEmbed, vegaLite: vegaLite, vega: vega}};"
)
_BUNDLE_MARKER = 'data-tiktok-lab="vega-bundle"'
_CACHE_HEADER = "// tiktok-lab vega bundle sha256="

# Okabe & Ito's colour-blind-safe palette, kept to the colours that reach the
# WCAG 3:1 non-text contrast on white (1.4.11): yellow (1.3:1) and sky blue
# (2.3:1) dropped, orange (2.2:1) darkened. tests/test_chart_contrast.py
# checks every colour the course's charts use.
PALETTE = (
    "#0072B2",  # blue 5.2:1
    "#D55E00",  # vermillion 3.9:1
    "#009E73",  # bluish green 3.4:1
    "#CC79A7",  # reddish purple 3.1:1
    "#B36B00",  # dark orange 4.2:1
    "#000000",  # black
)
# Grey for what is not a sourced figure or not done yet (4.5:1 and 3.4:1).
GREY = "#767676"
LIGHT_GREY = "#8C8C8C"
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
CHART_WIDTH = 560

# Shown before any script runs: JupyterLab runs no script in an untrusted notebook.
# The English texts; a chart shows them in the learner's language (strings ``chart.*``).
_MSG_UNTRUSTED = "This chart could not be drawn: open the notebook in JupyterLab and trust it."
_MSG_DRAWING = "Drawing the chart…"
_MSG_NO_BUNDLE = (
    "This chart could not be drawn: the chart library is missing. Re-run the set-up cell."
)
_MSG_ERROR = "This chart could not be drawn: "

# Polling for the page's bundle: 100 × 100 ms. The copy is normally already
# there; Voilà and JupyterLab may insert outputs a moment apart. In the workshop
# kit's pages the bundle is a file (kit_pages.externalise_chart_library): while
# its <script src> is on the page, a slow laptop may still be loading and parsing
# its 0.9 MB, so charts wait up to 600 × 100 ms before saying it is missing.
_POLL_MS = 100
_POLL_TRIES = 100
_FILE_POLL_TRIES = 600

_memory: dict[str, str] = {}  # bundle text and wrapped <script> tag, per cache key
_page_bundle_shown_for: set[str] = set()  # parent msg ids that displayed the bundle
_registered = False  # renderer and theme registered with Altair in this process


# --------------------------------------------------------------------- public API


def enable_offline_charts() -> None:
    """Draw every Altair chart offline with the course theme, for this kernel.

    Call it once in a notebook's set-up cell. It also puts one copy of the
    Vega bundle on the page for charts drawn inside Output widgets. Calling it
    again is harmless: registration happens once, and the page copy is shown
    again only by a new cell run (re-running a cell wipes its old output, and
    with it the page's copy).
    """
    _activate()
    _display_page_bundle()


def finish_chart(chart: ChartT, *, title: str, caption: str, description: str) -> ChartT:
    """Give a chart the title, caption and alt text every course chart needs.

    The caption (source and date) becomes the title's subtitle so that it stays
    with the chart in screenshots and exports; the description becomes
    Vega-Lite's ``description``, which Vega puts as ``aria-label`` on the
    chart's container (role ``graphics-document``) for screen readers.
    Empty values are a maintainer's bug, so they raise ``ValueError``.
    """
    import altair as alt

    missing = [
        name
        for name, value in (("title", title), ("caption", caption), ("description", description))
        if not isinstance(value, str) or not value.strip()
    ]
    if missing:
        raise ValueError(f"finish_chart needs a non-empty {', '.join(missing)}")
    # A learner may run a chart cell before the set-up cell: the chart must
    # still draw offline and in the course theme, so every course chart
    # switches them on (cheap after the first time).
    _activate()
    return chart.properties(
        title=alt.TitleParams(text=title.strip(), subtitle=caption_lines(caption)),
        description=description.strip(),
    )


CAPTION_LINE_CHARS = 90  # about the width of a course chart at the subtitle's font size


def caption_lines(caption: str) -> str | list[str]:
    """The caption as the chart's subtitle: wrapped into lines (Vega draws a list as one line
    each), because a one-line subtitle wider than the chart makes the whole chart shrink to fit
    its output area, text and all."""
    import textwrap

    lines = textwrap.wrap(" ".join(caption.split()), CAPTION_LINE_CHARS)
    return lines[0] if len(lines) == 1 else lines


def caption_text(spec: dict) -> str:
    """A chart spec's caption (its title's subtitle) as one string, however it was wrapped."""
    subtitle = spec.get("title", {}).get("subtitle", "")
    return subtitle if isinstance(subtitle, str) else " ".join(subtitle)


def chart_html(chart: alt.TopLevelMixin) -> str:
    """A standalone HTML snippet (bundle included) for a page built outside Jupyter.

    Exported one-pagers must draw offline too; the course theme is applied
    whether or not :func:`enable_offline_charts` ran.
    """
    import altair as alt

    _register()
    with alt.theme.enable(THEME_NAME):
        spec = chart.to_dict()
    return _bundle_script_tag() + _chart_snippet(spec, {})


def course_theme() -> dict[str, Any]:
    """The one theme of the course: readable on a projector, colour-blind safe."""
    label, axis_title, title = 13, 14, 20
    return {
        "config": {
            "font": _FONT,
            "title": {
                "fontSize": title,
                "subtitleFontSize": axis_title,
                "subtitleColor": "#444444",
                "anchor": "start",
                "offset": 12,
            },
            "axis": {
                "labelFontSize": label,
                "titleFontSize": axis_title,
                "labelColor": "#222222",
                "titleColor": "#222222",
                "labelLimit": 240,
            },
            "legend": {"labelFontSize": label, "titleFontSize": axis_title, "labelLimit": 240},
            "header": {"labelFontSize": axis_title, "titleFontSize": axis_title},
            "text": {"fontSize": label},
            "mark": {"color": PALETTE[0]},
            # Rules are reference lines (a claim, a threshold, 50 %): their meaning is
            # in the chart's description and text labels. Left in the accessibility
            # tree, a rule drawn from a constant is an unnamed graphic (axe: svg-img-alt).
            "rule": {"aria": False},
            "range": {"category": list(PALETTE)},
            "view": {
                "continuousWidth": CHART_WIDTH,
                "continuousHeight": 320,
                "discreteWidth": CHART_WIDTH,
                "discreteHeight": {"step": 28},
                "stroke": None,
            },
        }
    }


# ------------------------------------------------------------------ registration


def _register() -> None:
    """Register (not enable) the renderer and the theme; safe to call often.

    Altair's ``names()`` scans every installed package's entry points (15-60 ms
    here) and :func:`finish_chart` comes through here for every chart, widget
    redraws included, so the check runs once per process.
    """
    global _registered
    if _registered:
        return
    import altair as alt

    if RENDERER_NAME not in alt.renderers.names():
        alt.renderers.register(RENDERER_NAME, render_mimebundle)
    if THEME_NAME not in alt.theme.names():
        alt.theme.register(THEME_NAME, enable=False)(course_theme)
    _registered = True


def _activate() -> None:
    """Enable the offline renderer and the course theme for this kernel."""
    import altair as alt

    _register()
    if alt.renderers.active != RENDERER_NAME:
        alt.renderers.enable(RENDERER_NAME)
    if alt.theme.active != THEME_NAME:
        alt.theme.enable(THEME_NAME)


def render_mimebundle(
    spec: dict[str, Any], embed_options: dict[str, Any] | None = None, **_: Any
) -> dict[str, str]:
    """Altair renderer: the chart as ``text/html`` plus a ``text/plain`` description.

    Inside an Output widget the bundle is left out (the page has one); anywhere
    else it is included so the output draws on its own.
    """
    snippet = _chart_snippet(spec, embed_options or {})
    if not _inside_output_widget():
        snippet = _bundle_script_tag() + snippet
    return {"text/html": snippet, "text/plain": _plain_text(spec)}


def _display_page_bundle() -> None:
    """Show the bundle once per cell run, for the charts drawn in Output widgets."""
    shell = _shell()
    if shell is None:  # plain Python: no page to put it on
        return
    run = _current_parent_msg_id() or ""
    if run and run in _page_bundle_shown_for:
        return
    # What IPython.display.display(..., raw=True) does, through the running shell: the core
    # never imports IPython (the import contract in pyproject.toml).
    shell.display_pub.publish(
        data={"text/html": _bundle_script_tag(), "text/plain": "Offline charts are ready."},
        metadata={},
    )
    if run:
        _page_bundle_shown_for.add(run)


# --------------------------------------------------------- "inside an Output?"


def _shell() -> Any:
    """The running IPython shell, or None (without importing IPython)."""
    ipython = sys.modules.get("IPython")
    return ipython.get_ipython() if ipython is not None else None


def _current_parent_msg_id() -> str | None:
    """The id of the kernel request being handled, as ipywidgets' Output reads it."""
    shell = _shell()
    if shell is None:
        return None
    parent = shell.get_parent() if hasattr(shell, "get_parent") else None
    if not parent:
        kernel = getattr(shell, "kernel", None)
        parent = kernel.get_parent() if hasattr(kernel, "get_parent") else None
    header = (parent or {}).get("header") or {}
    return header.get("msg_id") or None


def _inside_output_widget() -> bool:
    """True while an ``ipywidgets.Output`` captures what is displayed now.

    ipywidgets 8 has no public API for this. ``Output.__enter__`` sets the
    widget's ``msg_id`` to the current request's id and the front end then
    routes every output of that request into the widget; ``__exit__`` clears it
    (``tests/test_charts.py`` pins this behaviour). Live widgets are listed in
    ``ipywidgets.widgets.widget._instances``.
    """
    widget_module = sys.modules.get("ipywidgets.widgets.widget")
    output_module = sys.modules.get("ipywidgets.widgets.widget_output")
    if widget_module is None or output_module is None:  # no widget was ever made
        return False
    output_cls = output_module.Output
    capturing = {
        w.msg_id
        for w in list(widget_module._instances.values())
        if isinstance(w, output_cls) and w.msg_id
    }
    if not capturing:
        return False
    current = _current_parent_msg_id()
    return current is None or current in capturing


# ----------------------------------------------------------------------- HTML


def _locale_options() -> dict[str, Any]:
    """Vega's number and date locale for the language spoken: "1,5 Md" and "juil. 2020" on a
    French chart's axes and tooltips, as Babel writes them in the tables beside it."""
    from tiktok_lab.core.i18n import DEFAULT_LANGUAGE, get_language

    language = get_language()
    if language == DEFAULT_LANGUAGE:
        return {}
    from babel import Locale, numbers

    locale = Locale.parse(language)
    months = locale.months["format"]
    days = locale.days["format"]
    return {
        "formatLocale": {"decimal": numbers.get_decimal_symbol(language),
                         "thousands": numbers.get_group_symbol(language), "grouping": [3],
                         # no chart formats money with d3's "$": amounts are Babel's
                         "currency": ["", ""]},
        "timeFormatLocale": {
            "dateTime": "%x %X", "date": "%d/%m/%Y", "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            # Babel counts weekdays from Monday (0), d3 from Sunday.
            "days": [days["wide"][(i + 6) % 7] for i in range(7)],
            "shortDays": [days["abbreviated"][(i + 6) % 7] for i in range(7)],
            "months": [months["wide"][i] for i in range(1, 13)],
            "shortMonths": [months["abbreviated"][i] for i in range(1, 13)],
        },
    }


def _chart_snippet(spec: dict[str, Any], embed_options: dict[str, Any]) -> str:
    """A div with a unique id and the script that draws the spec into it."""
    div_id = CHART_ID_PREFIX + uuid.uuid4().hex
    options = {"actions": False, "renderer": "svg", "mode": "vega-lite", **_locale_options(),
               **embed_options}
    script = _CHART_JS % {
        "id": _js_json(div_id),
        "spec": _js_json(spec),
        "options": _js_json(options),
        "global": _JS_GLOBAL,
        "poll_ms": _POLL_MS,
        "tries": _POLL_TRIES,
        "file_tries": _FILE_POLL_TRIES,
        "file_bundle": _js_json(f"script[{_BUNDLE_MARKER}][src]"),
        "drawing": _js_json(t("chart.drawing")),
        "no_bundle": _js_json(t("chart.no_bundle")),
        "error": _js_json(t("chart.error")),
    }
    return (
        f'<div id="{div_id}" class="tiktok-lab-chart">{html.escape(t("chart.untrusted"))}</div>\n'
        f"<script>{script}</script>\n"
    )


_CHART_JS = """
(function () {
  var id = %(id)s, spec = %(spec)s, options = %(options)s, tries = 0;
  function say(text) {
    var el = document.getElementById(id);
    if (el) { el.textContent = text; }
  }
  function loading() {  // the bundle is a file the page may still be loading
    var file = document.querySelector && document.querySelector(%(file_bundle)s);
    return !!file && tries <= %(file_tries)s;
  }
  function draw() {
    var el = document.getElementById(id), lib = window.%(global)s;
    if (!el || !lib) {
      if (++tries > %(tries)s && !loading()) { say(%(no_bundle)s); return; }
      if (tries === 1) { say(%(drawing)s); }
      setTimeout(draw, %(poll_ms)s);
      return;
    }
    el.textContent = "";
    try {
      lib.vegaEmbed(el, spec, options).catch(function (err) { say(%(error)s + err.message); });
    } catch (err) {
      say(%(error)s + err.message);
    }
  }
  draw();
})();
"""


def _js_json(value: Any) -> str:
    """JSON safe inside a <script>: no "<" can close the tag or open a comment."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def _plain_text(spec: dict[str, Any]) -> str:
    """What consoles, nbval and screen readers of raw outputs get."""
    title = _title_text(spec.get("title"))
    description = spec.get("description") or t("chart.no_description")
    if title:
        return t("chart.plain", title=title, description=description)
    return t("chart.plain_untitled", description=description)


def _title_text(title: Any) -> str:
    """The main title of a Vega-Lite ``title`` (string, lines or TitleParams)."""
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, list):
        title = " ".join(map(str, title))
    return str(title or "")


# --------------------------------------------------------------------- bundle


def _bundle_script_tag() -> str:
    """The bundle as a classic <script> that is safe to include many times.

    The bundle declares top-level ``const``s: a second plain copy on the page
    throws "Identifier already declared". A function scope keeps them local,
    and the guard skips the work when our global already exists.
    """
    key = "tag:" + _cache_key()
    if key not in _memory:
        body = _escape_for_script(_javascript_bundle())
        _memory[key] = (
            f"<script {_BUNDLE_MARKER}>(function () {{\n\"use strict\";\n"
            f"if (window.{_JS_GLOBAL}) {{ return; }}\n{body}\n}})();</script>\n"
        )
    return _memory[key]


def _escape_for_script(js: str) -> str:
    """Keep the HTML parser inside the script: no ``</script`` and no ``<!--``.

    ``<\\/`` and ``\\x3C`` mean the same in JS strings, templates and regexes.
    """
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
    return js.replace("<!--", "\\x3C!--")


def prepare_chart_library() -> int:
    """Build (or load) the offline chart library now; returns its size in bytes.

    ``tiktok-lab doctor`` and Binder's ``postBuild`` call it so that the first
    lesson a participant opens does not wait ~2 s for it, and so that a broken
    vl-convert is found before the workshop rather than during it.
    """
    return len(_javascript_bundle().encode("utf-8"))


def _javascript_bundle() -> str:
    """vega + vega-lite + vega-embed as one script: memory, then disk, then build.

    Building takes ~2 s, so it is cached on disk for later kernels; a cache
    that cannot be written only costs that time again.
    """
    key = _cache_key()
    if key in _memory:
        return _memory[key]
    path = _cache_dir() / key
    bundle = _read_cache(path)
    if bundle is None:
        bundle = _read_cache(shared_cache_dir() / key)
    if bundle is None:
        bundle = _build_bundle()
        _write_cache(path, bundle)
    _memory[key] = bundle
    return bundle


def shared_cache_dir() -> Path:
    """The environment's own copy of the library, read by every account, written by none of them.

    On a class hub thirty participants run their first set-up cell within the same minute:
    each building the library (~2.5 s of a core) would keep them waiting half a minute
    (``benchmarks/classroom.py``). The hub writes it here once, as root, at start
    (:func:`write_shared_bundle`); kernels only read it, so no participant can change what
    another one's page runs.
    """
    return Path(sys.prefix) / "share" / "tiktok-lab" / "charts"


def write_shared_bundle(folder: Path | None = None) -> Path:
    """Build the library into ``folder`` (the environment's shared cache) unless it is there."""
    path = (folder or shared_cache_dir()) / _cache_key()
    if _read_cache(path) is None:
        _write_cache(path, _build_bundle())
        path.chmod(0o644)
    return path


def _build_bundle() -> str:
    """Ask vl-convert for the bundle matching Altair's Vega-Lite version."""
    import vl_convert

    return vl_convert.javascript_bundle(_BUNDLE_SNIPPET, vl_version=_vegalite_minor())


def _vegalite_minor() -> str | None:
    """Altair's Vega-Lite as vl-convert names it ("6.4"), or None for its latest."""
    import altair as alt
    import vl_convert

    minor = ".".join(alt.VEGALITE_VERSION.split(".")[:2])
    return minor if minor in vl_convert.get_vegalite_versions() else None


def _cache_key() -> str:
    """Cache file name: a new vl-convert or Vega-Lite gets a new bundle."""
    import altair as alt
    import vl_convert

    raw = f"vega-bundle-vlc{vl_convert.__version__}-vl{alt.VEGALITE_VERSION}.js"
    return re.sub(r"[^A-Za-z0-9._-]", "_", raw)


def _cache_dir() -> Path:
    """``$XDG_CACHE_HOME/tiktok-lab``, else ``~/.cache/tiktok-lab``."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "tiktok-lab"


def _read_cache(path: Path) -> str | None:
    """The cached bundle, or None if missing, unreadable or damaged."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    header, _, bundle = text.partition("\n")
    if header != _CACHE_HEADER + _sha256(bundle):
        log.info("Ignoring a damaged chart bundle cache at %s", path)
        return None
    return bundle


def _write_cache(path: Path, bundle: str) -> None:
    """Write atomically (temp file + rename): another kernel may read it meanwhile."""
    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, prefix=".tmp-", suffix=".js", delete=False
        ) as tmp:
            tmp_name = tmp.name
            tmp.write(f"{_CACHE_HEADER}{_sha256(bundle)}\n{bundle}")
        os.replace(tmp_name, path)
    except OSError as err:
        log.info("Chart bundle kept in memory only (cache not writable: %s)", err)
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


if __name__ == "__main__":  # python -m tiktok_lab.core.charts: the class hub, at start
    print(write_shared_bundle())
