"""Tests for tiktok_lab.core.charts: the theme, finish_chart and the offline renderer.

The real Vega bundle is built once for the module (~2 s); every test then gets
it from a counting stand-in for ``vl_convert.javascript_bundle``, so the cache
tests can prove when vl-convert is (not) called. ``XDG_CACHE_HOME`` points to
``tmp_path``: nothing is written to the real home.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import altair as alt
import ipywidgets
import IPython
import pandas as pd
import pytest
import vl_convert
from ipywidgets.widgets import widget_output

from tiktok_lab.core import charts

BUNDLE_GLOBAL = "window.__tiktokLabVega"
CHART_ID = re.compile(r'<div id="(tiktok-lab-chart-[0-9a-f]{32})"')
FORBIDDEN_IN_SRC = ("cdn.", "jsdelivr", "unpkg", "http://", "https://")


# ------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def real_bundle() -> str:
    """The real vl-convert bundle, built once for the whole module."""
    return vl_convert.javascript_bundle(charts._BUNDLE_SNIPPET, vl_version=charts._vegalite_minor())


class BundleBuilds:
    """Stand-in for vl_convert.javascript_bundle that counts its calls."""

    def __init__(self, bundle: str) -> None:
        self.bundle = bundle
        self.calls = 0

    def __call__(self, snippet: str | None = None, vl_version: str | None = None) -> str:
        self.calls += 1
        assert snippet == charts._BUNDLE_SNIPPET
        return self.bundle


@pytest.fixture(autouse=True)
def builds(real_bundle: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> BundleBuilds:
    """Fresh caches (memory and disk) per test, and a counted bundle builder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(charts, "_memory", {})
    monkeypatch.setattr(charts, "_page_bundle_shown_for", set())
    fake = BundleBuilds(real_bundle)
    monkeypatch.setattr(vl_convert, "javascript_bundle", fake)
    return fake


@pytest.fixture(autouse=True)
def restore_altair() -> Any:
    """enable_offline_charts changes Altair's global renderer and theme: undo it."""
    renderer, theme = alt.renderers.active, alt.theme.active
    yield
    alt.renderers.enable(renderer)
    alt.theme.enable(theme)


class FakeShell:
    """Just enough of ipykernel's shell for ipywidgets' Output and the renderer."""

    def __init__(self, msg_id: str) -> None:
        self.kernel = object()
        self.parent: dict[str, Any] = {"header": {"msg_id": msg_id}}
        self.shown: list[dict[str, str]] = []  # what was displayed, through the shell's publisher
        self.display_pub = self  # ipykernel's shell publishes display data through this

    def publish(self, data: dict[str, str], metadata: dict | None = None, **_: Any) -> None:
        self.shown.append(data)

    def get_parent(self) -> dict[str, Any]:
        return self.parent

    def set_parent(self, parent: dict[str, Any]) -> None:
        self.parent = parent


@pytest.fixture
def kernel(monkeypatch: pytest.MonkeyPatch) -> FakeShell:
    """Pretend a kernel is handling request "cell-1" (pytest has no kernel)."""
    shell = FakeShell("cell-1")
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    monkeypatch.setattr(widget_output, "get_ipython", lambda: shell)
    return shell


@pytest.fixture
def output() -> Any:
    out = ipywidgets.Output()
    yield out
    out.close()


def sample_chart(description: str = "Bars a, b, c of height 1, 2, 3") -> alt.Chart:
    data = pd.DataFrame({"genre": ["dance", "food", "humour"], "views": [3, 1, 2]})
    chart = alt.Chart(data).mark_bar().encode(x="genre:N", y="views:Q", color="genre:N")
    return charts.finish_chart(
        chart, title="Views per genre", caption="Source: test data, 2026", description=description
    )


def rendered_html(chart: alt.TopLevelMixin | None = None) -> str:
    """The text/html Altair gets from our renderer for a chart."""
    charts.enable_offline_charts()
    return (chart or sample_chart())._repr_mimebundle_()["text/html"]


class Scripts(HTMLParser):
    """Script elements as a browser's HTML parser splits them."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._attrs: dict[str, str | None] | None = None
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._attrs = dict(attrs)
            self.scripts.append((self._attrs, ""))

    def handle_data(self, data: str) -> None:
        if self._attrs is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._attrs = None


def bundle_count(page: str) -> int:
    return page.count(charts._BUNDLE_MARKER)


# ---------------------------------------------------------------- finish_chart


def test_finish_chart_spec_and_json_round_trip() -> None:
    spec = sample_chart().to_dict()  # validates against the Vega-Lite schema
    assert spec["title"] == {"text": "Views per genre", "subtitle": "Source: test data, 2026"}
    assert spec["description"] == "Bars a, b, c of height 1, 2, 3"
    again = alt.Chart.from_dict(json.loads(json.dumps(spec))).to_dict()
    assert again == spec


def test_finish_chart_works_on_layered_charts() -> None:
    base = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).encode(x="x:Q", y="y:Q")
    layered = charts.finish_chart(
        base.mark_line() + base.mark_point(), title="T", caption="Source: S, 2026", description="D"
    )
    assert layered.to_dict()["description"] == "D"


@pytest.mark.parametrize("missing", ["title", "caption", "description"])
@pytest.mark.parametrize("empty", ["", "   "])
def test_finish_chart_rejects_a_missing_field(missing: str, empty: str) -> None:
    fields = {"title": "T", "caption": "Source: S, 2026", "description": "D", missing: empty}
    with pytest.raises(ValueError, match=missing):
        charts.finish_chart(alt.Chart().mark_point(), **fields)


# ----------------------------------------------------------------------- theme


def test_theme_is_readable_on_a_projector() -> None:
    config = charts.course_theme()["config"]
    assert config["title"]["fontSize"] >= 16
    for part in ("axis", "legend", "header"):
        assert config[part]["labelFontSize"] >= 12, part
        assert config[part]["titleFontSize"] >= 12, part
    assert config["text"]["fontSize"] >= 12
    assert 500 <= config["view"]["continuousWidth"] <= 620


def _contrast_on_white(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_palette_is_distinct_and_its_first_colours_contrast() -> None:
    palette = charts.course_theme()["config"]["range"]["category"]
    assert len(set(palette)) == len(palette) >= 6
    assert all(_contrast_on_white(c) >= 3 for c in palette[:4])  # WCAG 1.4.11


def test_enabled_theme_reaches_the_spec() -> None:
    charts.enable_offline_charts()
    assert alt.theme.active == charts.THEME_NAME
    config = sample_chart().to_dict()["config"]
    assert config["range"]["category"] == list(charts.PALETTE)


# -------------------------------------------------------------------- renderer


def test_import_does_not_load_altair() -> None:
    code = "import sys, tiktok_lab.core.charts; print('altair' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_enable_offline_charts_is_idempotent() -> None:
    charts.enable_offline_charts()
    names = alt.renderers.names()
    charts.enable_offline_charts()
    assert alt.renderers.names() == names
    assert alt.renderers.active == charts.RENDERER_NAME


def test_top_level_chart_carries_the_bundle_once(builds: BundleBuilds) -> None:
    charts.enable_offline_charts()
    bundle = sample_chart()._repr_mimebundle_()
    page = bundle["text/html"]
    assert bundle_count(page) == 1
    assert page.count(BUNDLE_GLOBAL + "={vegaEmbed") == 1  # the snippet, at the bundle's end
    assert page.count("<div id=") == 1
    assert bundle["text/plain"] == "Chart: Views per genre. Bars a, b, c of height 1, 2, 3"
    assert builds.calls == 1


def test_bundle_is_scoped_and_guarded() -> None:
    tag = charts._bundle_script_tag()
    [(attrs, body)] = Scripts(tag).scripts
    assert "src" not in attrs
    head = body.lstrip()[:200]
    assert head.startswith("(function () {")
    assert f"if ({BUNDLE_GLOBAL}) {{ return; }}" in head
    assert body.rstrip().endswith("})();")


def test_chart_embeds_as_svg_without_actions() -> None:
    [_, (_, script)] = Scripts(rendered_html()).scripts
    assert ".vegaEmbed(el, spec, options)" in script
    assert '"renderer": "svg"' in script
    assert '"actions": false' in script


def test_embed_options_pass_through() -> None:
    charts.enable_offline_charts()
    alt.renderers.set_embed_options(actions={"export": True})
    page = sample_chart()._repr_mimebundle_()["text/html"]
    assert '"actions": {"export": true}' in page


def test_no_cdn_in_any_script_src() -> None:
    charts.enable_offline_charts()
    pages = [rendered_html(), charts.chart_html(sample_chart()), charts._bundle_script_tag()]
    for page in pages:
        srcs = re.findall(r"<script\b[^>]*\bsrc\s*=\s*[\"']?([^\"'\s>]*)", page, flags=re.I)
        bad = [s for s in srcs if any(word in s.lower() for word in FORBIDDEN_IN_SRC)]
        assert bad == []
        assert all("src" not in attrs for attrs, _ in Scripts(page).scripts)


def test_div_ids_are_unique_and_used_by_their_script() -> None:
    first, second = rendered_html(), rendered_html()
    ids = CHART_ID.findall(first) + CHART_ID.findall(second)
    assert len(ids) == len(set(ids)) == 2
    assert f'var id = "{ids[0]}"' in first


def test_script_end_tags_are_escaped(builds: BundleBuilds) -> None:
    hostile_js = "var a = '</script><script>alert(1)</SCRIPT >'; var b = '<!-- x';\n"
    builds.bundle = hostile_js + builds.bundle
    hostile = "ends </script><script>alert(2)</script> here"
    page = rendered_html(sample_chart(description=hostile))
    scripts = Scripts(page).scripts
    assert len(scripts) == 2  # bundle + chart: nothing closed early
    assert page.lower().count("</script") == 2
    assert "<!--" not in page
    assert "<\\/script><script>alert(1)<\\/SCRIPT >" in scripts[0][1]
    assert "ends \\u003c/script>" in scripts[1][1]


def test_chart_html_is_standalone_and_themed() -> None:
    page = charts.chart_html(sample_chart())  # theme not enabled globally
    assert bundle_count(page) == 1
    assert '"continuousWidth": 560' in page


# ------------------------------------------------------- inside an Output widget


def test_output_context_sets_msg_id_as_the_detection_expects(
    kernel: FakeShell, output: Any
) -> None:
    """Pins the ipywidgets 8 internals that _inside_output_widget reads."""
    assert output.msg_id == ""
    with output:
        assert output.msg_id == "cell-1"
    assert output.msg_id == ""


def test_inside_output_widget_follows_the_context(kernel: FakeShell, output: Any) -> None:
    assert not charts._inside_output_widget()
    with output:
        assert charts._inside_output_widget()
    assert not charts._inside_output_widget()


def test_an_output_capturing_another_request_does_not_count(kernel: FakeShell, output: Any) -> None:
    output.msg_id = "an-older-cell"
    assert not charts._inside_output_widget()


def test_without_a_kernel_nothing_is_captured(output: Any) -> None:
    with output:  # ipywidgets only captures when a kernel is running
        assert not charts._inside_output_widget()


def test_chart_inside_an_output_carries_no_bundle(kernel: FakeShell, output: Any) -> None:
    charts.enable_offline_charts()
    with output:
        inside = sample_chart()._repr_mimebundle_()["text/html"]
    outside = sample_chart()._repr_mimebundle_()["text/html"]
    assert bundle_count(inside) == 0
    assert len(inside) < 5_000
    assert CHART_ID.search(inside)
    assert bundle_count(outside) == 1


def test_enable_shows_the_page_bundle_once_per_cell_run(kernel: FakeShell) -> None:
    shown = kernel.shown
    charts.enable_offline_charts()
    charts.enable_offline_charts()
    assert len(shown) == 1
    assert bundle_count(shown[0]["text/html"]) == 1
    kernel.set_parent({"header": {"msg_id": "cell-2"}})  # the set-up cell is run again
    charts.enable_offline_charts()
    assert len(shown) == 2


def test_enable_shows_nothing_without_ipython(monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[Any] = []
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: shown.append(a))
    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    charts.enable_offline_charts()
    assert shown == []


# ----------------------------------------------------------------------- cache


def cache_file() -> Path:
    return charts._cache_dir() / charts._cache_key()


def test_cache_file_is_keyed_by_versions(tmp_path: Path) -> None:
    path = cache_file()
    assert path.parent == tmp_path / "cache" / "tiktok-lab"
    assert vl_convert.__version__ in path.name
    assert alt.VEGALITE_VERSION in path.name


def test_disk_cache_is_reused(builds: BundleBuilds, monkeypatch: pytest.MonkeyPatch) -> None:
    first = charts._javascript_bundle()
    assert builds.calls == 1
    assert cache_file().is_file()
    monkeypatch.setattr(charts, "_memory", {})  # a new kernel: memory is empty
    assert charts._javascript_bundle() == first
    assert builds.calls == 1
    assert [p.name for p in cache_file().parent.iterdir()] == [cache_file().name]  # no temp left


def test_the_environments_shared_copy_is_read_and_never_written(
        builds: BundleBuilds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A class hub writes the library once for every account; kernels only read it."""
    shared = tmp_path / "env" / "share" / "tiktok-lab" / "charts"
    monkeypatch.setattr(charts.sys, "prefix", str(tmp_path / "env"))
    assert charts.shared_cache_dir() == shared
    written = charts.write_shared_bundle()
    assert written.parent == shared and builds.calls == 1
    assert written.stat().st_mode & 0o777 == 0o644
    charts.write_shared_bundle()  # already there: not built again
    assert builds.calls == 1
    monkeypatch.setattr(charts, "_memory", {})  # a participant's new kernel, empty user cache
    assert charts._javascript_bundle() == builds.bundle
    assert builds.calls == 1 and not cache_file().exists()
    written.write_text("damaged", encoding="utf-8")  # a bad shared copy is not trusted
    monkeypatch.setattr(charts, "_memory", {})
    assert charts._javascript_bundle() == builds.bundle
    assert builds.calls == 2 and cache_file().is_file()


def test_memory_cache_is_reused(builds: BundleBuilds) -> None:
    charts._javascript_bundle()
    cache_file().unlink()
    charts._javascript_bundle()
    assert builds.calls == 1


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # truncated
        lambda text: "garbage",
        lambda text: "",
    ],
)
def test_damaged_cache_is_rebuilt(
    builds: BundleBuilds, monkeypatch: pytest.MonkeyPatch, damage: Any
) -> None:
    good = charts._javascript_bundle()
    cache_file().write_text(damage(cache_file().read_text(encoding="utf-8")), encoding="utf-8")
    monkeypatch.setattr(charts, "_memory", {})
    assert charts._javascript_bundle() == good
    assert builds.calls == 2
    monkeypatch.setattr(charts, "_memory", {})
    charts._javascript_bundle()
    assert builds.calls == 2  # the rebuilt file is good again


def test_undecodable_cache_is_rebuilt(builds: BundleBuilds) -> None:
    cache_file().parent.mkdir(parents=True)
    cache_file().write_bytes(b"\xff\xfe\x00 not utf-8")
    assert charts._javascript_bundle() == builds.bundle
    assert builds.calls == 1


def test_unusable_cache_dir_falls_back_to_memory(
    builds: BundleBuilds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache dir should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # works even as root
    assert charts._javascript_bundle() == builds.bundle
    assert charts._javascript_bundle() == builds.bundle
    assert builds.calls == 1


def test_failed_rename_leaves_no_temp_file(
    builds: BundleBuilds, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(src: str, dst: str) -> None:
        raise PermissionError("read-only cache")

    monkeypatch.setattr(charts.os, "replace", refuse)
    assert charts._javascript_bundle() == builds.bundle
    assert list(cache_file().parent.iterdir()) == []


def test_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # the XDG spec says: ignore it
    assert charts._cache_dir() == Path.home() / ".cache" / "tiktok-lab"


# ------------------------------------------------- the JavaScript, run by Node


NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")


def run_node(tmp_path: Path, scripts: list[str], driver: str) -> Any:
    """Run scripts as classic scripts in one global scope, then print driver's JSON."""
    paths = []
    for i, script in enumerate(scripts):
        path = tmp_path / f"script{i}.js"
        path.write_text(script, encoding="utf-8")
        paths.append(str(path))
    program = (
        "const vm = require('vm'), fs = require('fs');\n"
        "globalThis.window = globalThis;\n"
        "const el = {textContent: 'initial'};\n"
        "globalThis.document = {getElementById: () => el};\n"
        f"const scripts = {json.dumps(paths)}.map(p => fs.readFileSync(p, 'utf8'));\n"
        "const run = (i) => vm.runInThisContext(scripts[i]);\n" + driver
    )
    result = subprocess.run(
        [NODE, "-e", program], capture_output=True, text=True, timeout=30, check=True
    )
    return json.loads(result.stdout)


@needs_node
def test_bundle_runs_twice_on_one_page(tmp_path: Path) -> None:
    [(_, bundle)] = Scripts(charts._bundle_script_tag()).scripts
    out = run_node(
        tmp_path,
        [bundle],
        "run(0); const first = window.__tiktokLabVega; run(0);\n"
        "console.log(JSON.stringify({embed: typeof first.vegaEmbed,"
        " same: first === window.__tiktokLabVega}));",
    )
    assert out == {"embed": "function", "same": True}


@needs_node
def test_chart_waits_for_a_late_bundle(tmp_path: Path) -> None:
    [(_, script)] = Scripts(charts._chart_snippet(sample_chart().to_dict(), {})).scripts
    out = run_node(
        tmp_path,
        [script],
        "const calls = []; run(0); const waiting = el.textContent;\n"
        "setTimeout(() => { window.__tiktokLabVega = {vegaEmbed: (e, spec, opts) =>"
        " { calls.push({description: spec.description, opts}); return Promise.resolve(); }};"
        " }, 250);\n"
        "setTimeout(() => console.log(JSON.stringify({calls, waiting})), 600);",
    )
    assert out["waiting"] == charts._MSG_DRAWING
    assert out["calls"] == [
        {
            "description": "Bars a, b, c of height 1, 2, 3",
            "opts": {"actions": False, "renderer": "svg", "mode": "vega-lite"},
        }
    ]


@needs_node
def test_chart_says_so_when_the_bundle_never_arrives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(charts, "_POLL_TRIES", 3)
    monkeypatch.setattr(charts, "_POLL_MS", 10)
    [(_, script)] = Scripts(charts._chart_snippet(sample_chart().to_dict(), {})).scripts
    driver = "run(0); setTimeout(() => console.log(JSON.stringify(el.textContent)), 300);"
    out = run_node(tmp_path, [script], driver)
    assert out == charts._MSG_NO_BUNDLE


@needs_node
def test_chart_waits_longer_while_the_bundle_is_a_file_on_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workshop kit pages load the bundle from a file: a slow laptop may take more than the
    usual wait to parse it, and a chart must not give up meanwhile (nor wait forever)."""
    monkeypatch.setattr(charts, "_POLL_TRIES", 3)
    monkeypatch.setattr(charts, "_FILE_POLL_TRIES", 30)
    monkeypatch.setattr(charts, "_POLL_MS", 10)
    [(_, script)] = Scripts(charts._chart_snippet(sample_chart().to_dict(), {})).scripts
    driver = (
        "const asked = [];\n"
        "document.querySelector = (selector) => { asked.push(selector); return {}; };\n"
        "const calls = []; run(0);\n"
        "let late;\n"
        "setTimeout(() => { late = el.textContent; window.__tiktokLabVega = {vegaEmbed: () =>"
        " { calls.push(1); return Promise.resolve(); }}; }, 150);\n"
        "setTimeout(() => { const drawn = calls.length; delete window.__tiktokLabVega;"
        " el.textContent = ''; run(0); setTimeout(() => console.log(JSON.stringify("
        "{late, drawn, asked: asked[0], gaveUp: el.textContent})), 600); }, 250);"
    )
    out = run_node(tmp_path, [script], driver)
    assert out["late"] == charts._MSG_DRAWING  # still waiting after 3 short tries
    assert out["drawn"] == 1
    assert out["asked"] == f"script[{charts._BUNDLE_MARKER}][src]"
    assert out["gaveUp"] == charts._MSG_NO_BUNDLE  # after 30 tries, it says so


@needs_node
def test_chart_reports_an_embed_error(tmp_path: Path) -> None:
    [(_, script)] = Scripts(charts._chart_snippet(sample_chart().to_dict(), {})).scripts
    out = run_node(
        tmp_path,
        [script],
        "window.__tiktokLabVega = {vegaEmbed: () => Promise.reject(new Error('bad spec'))};\n"
        "run(0); setTimeout(() => console.log(JSON.stringify(el.textContent)), 100);",
    )
    assert out == charts._MSG_ERROR + "bad spec"


def test_a_chart_made_before_the_setup_cell_still_draws_offline(real_bundle) -> None:
    """Learners run cells out of order: finish_chart switches the renderer on itself."""
    import altair as alt

    alt.renderers.enable("default")
    alt.theme.enable("default")
    chart = charts.finish_chart(
        alt.Chart({"values": [{"a": 1}]}).mark_bar().encode(x="a:Q"),
        title="Out of order", caption="Source: test, 2026", description="One bar.",
    )
    assert alt.renderers.active == charts.RENDERER_NAME
    assert alt.theme.active == charts.THEME_NAME
    bundle = chart._repr_mimebundle_()
    html = (bundle[0] if isinstance(bundle, tuple) else bundle)["text/html"]
    assert CHART_ID.search(html) and "cdn.jsdelivr" not in html


def test_a_long_caption_is_wrapped_into_lines_that_keep_every_word() -> None:
    from tiktok_lab.core.charts import CAPTION_LINE_CHARS, caption_lines, caption_text

    caption = ("Illustrative feed simulator, not TikTok's code. Built for teaching from public "
               "descriptions (TikTok newsroom 2020 and 2022, NYT 2021, industry 'traffic pools'); "
               "no TikTok data. Score = P(like)·V_like + P(comment)·V_comment.")
    lines = caption_lines(caption)
    assert isinstance(lines, list) and len(lines) >= 2
    assert all(len(line) <= CAPTION_LINE_CHARS for line in lines)
    assert caption_text({"title": {"subtitle": lines}}) == caption
    assert caption_lines("Source: test data, 2026") == "Source: test data, 2026"
    chart = charts.finish_chart(alt.Chart(pd.DataFrame({"x": [1]})).mark_bar().encode(x="x:Q"),
                                title="T", caption=caption, description="D")
    assert chart.to_dict()["title"]["subtitle"] == lines


def test_chart_messages_speak_the_learners_language(builds: BundleBuilds,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A French learner never reads "This chart could not be drawn" or "Chart:"."""
    charts.enable_offline_charts()
    monkeypatch.setenv("TIKTOK_LAB_LANG", "fr")
    bundle = sample_chart()._repr_mimebundle_()
    assert bundle["text/plain"].startswith("Graphique\u00a0: Views per genre.")
    assert "Ce graphique n'a pas pu être dessiné" in bundle["text/html"]
    assert "Dessin du graphique" in bundle["text/html"]
    assert "This chart could not be drawn" not in bundle["text/html"]


def test_a_french_chart_writes_french_numbers_and_months() -> None:
    """Vega formats axes and tooltips itself: in French, its locale is Babel's (decimal comma,
    French month names), so a chart agrees with the table beside it."""
    from tiktok_lab.core import charts
    from tiktok_lab.core.i18n import speaking

    spec = {"mark": "bar", "data": {"values": [{"x": 1}]}}
    with speaking("fr"):
        french = charts._chart_snippet(spec, {})
    english = charts._chart_snippet(spec, {})
    assert '"decimal": ","' in french and "juillet" in french
    assert "formatLocale" not in english
