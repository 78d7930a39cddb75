"""``tiktok-lab build slides|handouts|site``: checked on the real lessons, built once per
session (the ``built_kit`` fixture in ``tests/conftest.py``), and on a broken copy."""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

import nbformat
import pytest

from tiktok_lab.cli import main as cli
from tiktok_lab.kit import assets as kit_assets
from tiktok_lab.kit.editions import TRAINER_NOTE
from tiktok_lab.kit.lesson_source import (lesson_notebook, read_source, source_folder, source_paths,
                                          write_source)
from tiktok_lab.course.exercises import load_exercise
from tiktok_lab.kit.hub_link import default_repository
from tiktok_lab.course.syllabus import load_lesson

# Builds the kit (runs every lesson): left out of `make check` (the full suite runs it).
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
LESSONS = [path.stem for path in source_paths(ROOT)]
CHART_ID = re.compile(r"tiktok-lab-chart-[0-9a-f]{32}")
CDNS = ("cdnjs", "unpkg", "jsdelivr", "googleapis", "cloudflare")


def _pages(kit: Path) -> list[Path]:
    return sorted(kit.rglob("*.html"))


def _words(text: str) -> str:
    """Only the words, lower-cased: compares Markdown with the HTML it became."""
    return " ".join(re.findall(r"\w+", html.unescape(re.sub(r"<[^>]+>", " ", text)).lower()))


def _trainer_notes(lesson: str) -> list[str]:
    # As built: a note naming its segment shows that segment's text.
    notebook = lesson_notebook(source_folder(ROOT) / f"{lesson}.md")
    return [cell.source for cell in notebook.cells
            if TRAINER_NOTE in cell.metadata.get("tags", [])]


# ------------------------------------------------------------------ vendored assets


def test_vendored_files_match_their_manifest_and_stay_small() -> None:
    folder = kit_assets.vendor_dir()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"]: entry for entry in manifest["files"]}
    on_disk = {path.relative_to(folder).as_posix() for path in folder.rglob("*")
               if path.is_file() and path.name != "manifest.json"}
    assert on_disk == set(listed), "every vendored file is in the manifest, and only those"
    for path, entry in listed.items():
        data = (folder / path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], path
        assert len(data) == entry["bytes"], path
        assert entry["npm_url"].startswith(f"https://registry.npmjs.org/{entry['package']}/-/")
        assert entry["version"] in entry["npm_url"] and entry["licence"]
    for package in manifest["packages"]:
        licences = [p for p, e in listed.items() if e["package"] == package["name"]
                    and Path(p).name.startswith("LICENSE")]
        assert licences, f"{package['name']} ships without its licence file"
    total = sum(entry["bytes"] for entry in listed.values())
    assert total <= 5_000_000, f"vendored assets grew to {total / 1e6:.2f} MB"


def test_an_altered_vendored_file_is_reported(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "vendor"
    for entry in kit_assets.vendored_files():
        target = copy / entry.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((kit_assets.vendor_dir() / entry.path).read_bytes())
    (copy / "manifest.json").write_bytes((kit_assets.vendor_dir() / "manifest.json").read_bytes())
    monkeypatch.setattr(kit_assets, "vendor_dir", lambda: copy)
    assert kit_assets.altered_files() == []
    with (copy / "requirejs" / "require.js").open("a") as handle:
        handle.write("\n")
    assert kit_assets.altered_files() == ["requirejs/require.js"]


# ------------------------------------------------------------------ offline pages

# A URL may appear in a page only as a link the reader clicks, or as data that is
# never fetched: a JSON "url" or "$schema" value (a figure's source, a Vega-Lite
# schema id), an XML namespace, or a comment in nbconvert's CSS.
_ALLOWED_BEFORE_URL = re.compile(
    r"""(<a\b[^<>]*\bhref=\\?["']"""  # a hyperlink
    r"""|\\?["'](?:url|\$schema)\\?["']:\s*\\?["']"""  # JSON data
    r"""|\bxmlns(?::\w+)?=\\?["'])$""")  # an XML namespace
_URL = re.compile(r"https?://[^\s\"'<>\\)]+")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def outside_urls(page_text: str) -> list[str]:
    """URLs in a page that are not plain hyperlinks or never-fetched data."""
    text = _CSS_COMMENT.sub("", page_text)
    found = []
    for match in _URL.finditer(text):
        before = text[max(0, match.start() - 300):match.start()]
        if not _ALLOWED_BEFORE_URL.search(before):
            found.append(match.group())
    return found


def test_the_url_check_catches_what_would_go_online() -> None:
    page = ('<a href="https://example.org/read">ok</a>{"url": "https://src.example"}'
            '<script src="https://cdn.example/x.js"></script>'
            '<link rel="stylesheet" href="https://cdn.example/x.css">'
            '<style>/* https://comment.example */ @import url(https://fonts.example/f.css);</style>')
    found = " | ".join(outside_urls(page))
    assert "cdn.example/x.js" in found and "cdn.example/x.css" in found
    assert "fonts.example/f.css" in found
    assert "example.org/read" not in found and "src.example" not in found
    assert "comment.example" not in found


def test_no_built_page_loads_anything_from_outside(built_kit: Path) -> None:
    pages = _pages(built_kit)
    assert len(pages) == 2 * len(LESSONS) + 1
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert outside_urls(text) == [], page.relative_to(built_kit)
        assert not [cdn for cdn in CDNS if cdn in text.lower()], page.relative_to(built_kit)
        assert not re.search(r"<script[^>]*mathjax", text, re.IGNORECASE), "MathJax is loaded"
        # Vega must never fetch data: every chart carries its data inline.
        assert not re.search(r'\\?"data\\?":\s*\{\s*\\?"url', text), page


def test_pages_reference_the_copied_assets(built_kit: Path) -> None:
    for page in _pages(built_kit):
        text = page.read_text(encoding="utf-8")
        for ref in re.findall(r'(?:src|href)="(\.\./assets/[^"]+)"', text):
            assert (page.parent / ref).resolve().is_file(), f"{page.name}: {ref}"
    for entry in kit_assets.vendored_files():
        assert (built_kit / entry.output_path).is_file()


# ------------------------------------------------------------------ slides


@pytest.mark.parametrize("lesson", LESSONS)
def test_slides_hold_the_title_and_the_trainer_notes(built_kit: Path, lesson: str) -> None:
    text = (built_kit / "slides" / f"{lesson}.html").read_text(encoding="utf-8")
    assert _words(load_lesson(lesson).title) in _words(text)
    assert 'class="reveal"' in text and "reveal.js/dist/reveal.js" in text
    notes = _words(" ".join(re.findall(r'<aside class="notes">(.*?)</aside>', text, re.S)))
    expected = _trainer_notes(lesson)
    assert expected, f"{lesson} has no trainer note"
    for note in expected:
        assert " ".join(_words(note).split()[:10]) in notes, note[:80]
    # The set-up cell's code is hidden on the slides; its output (chart library) stays.
    assert "import tiktok_lab" not in text
    assert "vega-" in text


# ------------------------------------------------------------------ handouts


def _executed(built_kit: Path, lesson: str) -> nbformat.NotebookNode:
    return nbformat.read(built_kit.parent / "executed" / f"{lesson}.ipynb", as_version=4)


@pytest.mark.parametrize("lesson", LESSONS)
def test_handouts_show_every_chart_and_no_error(built_kit: Path, lesson: str) -> None:
    executed = _executed(built_kit, lesson)
    page = (built_kit / "handouts" / f"{lesson}.html").read_text(encoding="utf-8")
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error", cell.source[:80]
            assert output.get("name") != "stderr", (cell.source[:80], output.get("text"))
    produced = set(CHART_ID.findall(nbformat.writes(executed)))
    assert set(CHART_ID.findall(page)) == produced
    for needle in ("Traceback", "Error displaying widget",
                   'data-mime-type="application/vnd.jupyter.stderr"'):
        assert needle not in page


def test_the_lessons_produce_charts_for_the_handouts(built_kit: Path) -> None:
    counts = {lesson: len(set(CHART_ID.findall(
        (built_kit / "handouts" / f"{lesson}.html").read_text(encoding="utf-8"))))
        for lesson in LESSONS}
    assert sum(counts.values()) >= 10, counts
    assert counts["02_figures"] >= 5, counts


@pytest.mark.parametrize("lesson", LESSONS)
def test_handouts_are_the_learner_edition(built_kit: Path, lesson: str) -> None:
    page = _words((built_kit / "handouts" / f"{lesson}.html").read_text(encoding="utf-8"))
    for note in _trainer_notes(lesson):
        assert " ".join(_words(note).split()[:12]) not in page, note[:80]
    notebook = read_source(source_folder(ROOT) / f"{lesson}.md")
    for cell in notebook.cells:
        exercise = cell.metadata.get("tiktok_lab", {}).get("exercise")
        if exercise:
            loaded = load_exercise(lesson, exercise)
            # A code exercise's solution, a decision's answer (the strongest option's
            # feedback) or an open answer's feedback (what to add) must not be printed in
            # the learners' handout.
            if hasattr(loaded, "solution"):
                answer = loaded.solution.strip()
            elif loaded.kind == "open":
                answer = loaded.rubric[0].missing["en"].strip()
            else:
                answer = loaded.strongest.feedback["en"].strip()
            assert _words(answer) not in page, f"{lesson}/{exercise}: answer in the handout"


# ------------------------------------------------------------------ index page


def test_the_index_links_every_page_and_the_binder_launchers(built_kit: Path) -> None:
    index = (built_kit / "index.html").read_text(encoding="utf-8")
    links = [html.unescape(href) for href in re.findall(r'<a\b[^>]*href="([^"]+)"', index)]
    local = [link for link in links if "://" not in link]
    for link in local:
        assert (built_kit / link).is_file(), link
    built = {p.relative_to(built_kit).as_posix() for p in _pages(built_kit)} - {"index.html"}
    assert set(local) == built
    slug = default_repository().removeprefix("https://github.com/")
    for lesson in LESSONS:
        assert (f"https://mybinder.org/v2/gh/{slug}/HEAD?urlpath=lab/tree/notebooks/"
                f"{lesson}.ipynb") in links
        assert _words(load_lesson(lesson).title) in _words(index)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    badges = {badge for badge in re.findall(r"\((https://mybinder\.org/v2/gh/[^)\s]+)\)", readme)
              if "notebooks/fr/" not in badge}  # the French kit's index offers the French one
    assert badges and badges <= set(links), "the index offers the README's Binder launchers"


def test_each_page_links_back_to_the_index(built_kit: Path) -> None:
    for page in (built_kit / "handouts").glob("*.html"):
        assert 'href="../index.html"' in page.read_text(encoding="utf-8"), page.name


# ------------------------------------------------------------------ failures


def _broken_course(root: Path) -> tuple[str, int]:
    """A one-lesson course whose fourth cell fails; returns that cell's first line."""
    source = read_source(source_folder(ROOT) / "00_start_here.md")
    setup = next(i for i, c in enumerate(source.cells) if "import tiktok_lab" in c.source)
    cells = source.cells[:setup + 1]
    broken = "tl.no_such_helper()  # a typo a maintainer could make"
    cells.append(nbformat.v4.new_code_cell(broken + "\nprint('never reached')"))
    source.cells = cells
    (root / "notebooks").mkdir(parents=True)
    write_source(source, source_folder(root) / "00_start_here.md")
    nbformat.write(source, root / "notebooks" / "00_start_here.ipynb")
    return broken, len(cells)


def test_a_failing_cell_stops_the_build_with_its_lesson_and_cell(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    broken, number = _broken_course(tmp_path / "course")
    monkeypatch.chdir(tmp_path / "course")
    code = cli.main(["build", "handouts", "--out", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert code == 1
    assert "[1/1] 00_start_here …" in captured.out
    assert f"✗ 00_start_here stopped at cell {number} ({broken})" in captured.err
    assert "AttributeError" in captured.err and "source/en/00_start_here.md" in captured.err
    assert "Traceback" not in captured.out + captured.err
    assert not (tmp_path / "out" / "handouts" / "00_start_here.html").exists()


def test_check_is_refused_for_the_kit(capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["build", "slides", "--check"]) == 2
    assert "tiktok-lab build slides" in capsys.readouterr().err


def test_the_french_kit_speaks_french(tmp_path: Path) -> None:
    """`build site --lang fr`: the French edition's pages, in French from title to notes.
    (Two lessons: the rest of the pipeline is the English kit's, tested above.)"""
    from tiktok_lab.core.i18n import speaking
    from tiktok_lab.kit.build import build_kit

    with speaking("fr"):
        build_kit(ROOT, tmp_path, "site", report=lambda text, end="\n": None,
                  only={"03_feed", "05_tips"})
    handout = (tmp_path / "handouts" / "03_feed.html").read_text(encoding="utf-8")
    slides = (tmp_path / "slides" / "05_tips.html").read_text(encoding="utf-8")
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in handout and '<html lang="fr">' in slides
    assert "Le fil Pour toi en bref" in handout and "Prêt" in handout
    assert "The For You feed in a nutshell" not in handout
    assert "Note pour le formateur" in slides or "Dire" in slides, "French speaker notes"
    assert 'lang="fr"' in index
    assert "urlpath=lab/tree/notebooks/fr/00_start_here.ipynb" in index
    assert "urlpath=voila/render/notebooks/fr/07_my_strategy.ipynb" in index
    assert "urlpath=lab/tree/notebooks/03_feed.ipynb" not in index
