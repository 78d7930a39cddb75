"""The source registry (``data/sources.yaml``) and the confidence rules of docs/sources.md.

Each rule is a function that reads a data folder and returns its problems. It is run on the
course's data (no problem allowed), then on a copy of the data in ``tmp_path`` broken on purpose,
where it must find one: a rule that cannot fail protects nothing. The loaders refuse what they
can (a bare domain, an unknown id, an uncited document) and that is tested here too.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

import pytest
import yaml

from tiktok_lab.core import i18n, schemas, sources
from tiktok_lab.core.datafiles import DataFileError, data_dir
from tiktok_lab.core.schemas import CONFIDENCE_LEVELS
from tiktok_lab.core.sources import SECOND_HAND_KINDS, Document, check_page_url
from tiktok_lab.lessons.figures import charts as figure_charts
from tiktok_lab.lessons.figures import sourced
from tiktok_lab.lessons.figures.sourced import cite, cite_html, figure, format_value
from tiktok_lab.lessons.platform import length_history

DATA = Path(str(data_dir()))
RANK = {level: position for position, level in enumerate(CONFIDENCE_LEVELS)}
MORE_THAN = {"en": "more than", "fr": "plus de"}
LOWER_WORDING = re.compile(r"^(more than|over|plus de)\b|\+$", re.IGNORECASE)


# --------------------------------------------------------------------------
# A copy of the data to break.


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The content files (and the quizzes) copied to ``tmp_path``."""
    for path in DATA.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    shutil.copytree(DATA / "quizzes", tmp_path / "quizzes")
    return tmp_path


def set_field(path: Path, row_id: str, key: str, value: str | None) -> None:
    """Set (or, with None, remove) ``key`` in the row ``- id: row_id`` of a data file."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if re.match(rf"^\s*- id: {row_id}$", line))
    indent = re.match(r"^(\s*)-", lines[start]).group(1) + "  "
    end = next((i for i in range(start + 1, len(lines))
                if not lines[i].startswith(indent) or not lines[i].strip()), len(lines))
    field = next((i for i in range(start + 1, end) if lines[i].startswith(f"{indent}{key}:")), None)
    if field is not None:
        stop = field + 1
        while stop < end and lines[stop].startswith(indent + " "):
            stop += 1
        lines[field:stop] = [] if value is None else [f"{indent}{key}: {value}\n"]
    elif value is not None:
        lines.insert(start + 1, f"{indent}{key}: {value}\n")
    path.write_text("".join(lines), encoding="utf-8")


def raw(folder: Path, name: str, key: str) -> list[dict]:
    return yaml.safe_load((folder / name).read_text(encoding="utf-8"))[key]


def point_data_at(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make the packaged-data readers (charts, figure look-ups) read ``folder``."""
    for module in (schemas, sources):
        monkeypatch.setattr(module, "data_dir", lambda: folder)


# --------------------------------------------------------------------------
# The rules, each a function of a data folder that returns its problems.


def _figures_and_documents(folder: Path):
    documents = {d["id"]: d for d in raw(folder, "sources.yaml", "documents")}
    return raw(folder, "figures.yaml", "figures"), documents


def assumed_producer_never_above_medium(folder: Path) -> list[str]:
    """Rule 1: a producer that is only attributed or assumed caps the grade at Medium."""
    rows, _ = _figures_and_documents(folder)
    return [f"{row['id']}: publisher_assumed but {row['confidence']}" for row in rows
            if row.get("publisher_assumed") and RANK[row["confidence"]] > RANK["Medium"]]


def second_hand_only_at_most_medium(folder: Path) -> list[str]:
    """Rule 2: seen only through aggregators or blogs: at most Medium."""
    rows, documents = _figures_and_documents(folder)
    return [f"{row['id']}: seen only through {', '.join(row['seen_in'])} but {row['confidence']}"
            for row in rows
            if all(documents[i]["kind"] in SECOND_HAND_KINDS for i in row["seen_in"])
            and RANK[row["confidence"]] > RANK["Medium"]]


def more_than_wording_is_a_lower_bound(folder: Path) -> list[str]:
    """Rule 3: "more than / over / plus de ..." or "...+" as the source words it: bound lower."""
    rows, _ = _figures_and_documents(folder)
    # reported_as is written {en: ..., fr: ...}: either wording saying "more than" counts.
    return [f"{row['id']}: reported as {row['reported_as']!r} without bound: lower" for row in rows
            if any(LOWER_WORDING.search(str(text).strip())
                   for text in (row.get("reported_as") or {}).values())
            and row.get("bound") != "lower"]


def lower_bounds_read_more_than(folder: Path) -> list[str]:
    """Rule 3: a lower bound is shown "more than"/"plus de" in both languages by the real
    formatter (``format_value``, which tables, charts, citations and ``Figure.shown`` use),
    its number in words: never "1B" or "1 Md"."""
    problems = []
    rows = [row for row in schemas.read_figure_rows(folder / "figures.yaml") if row.bound]
    for language, words in MORE_THAN.items():
        for row in rows:
            shown = format_value(row.value, row.unit, bound=row.bound, language=language)
            # French elides "de" before "un": "plus d'un milliard".
            if not shown.startswith((words, "plus d'un\u00a0")) or re.search(r"\d\s?(B|Md|M)\b", shown):
                problems.append(f"{row.id} ({language}): {shown!r}")
    return problems


def no_bare_domain(folder: Path) -> list[str]:
    """No document's address is a bare domain: a reader must land on the page itself."""
    problems = []
    for document in raw(folder, "sources.yaml", "documents"):
        url = document.get("url")
        if url is None:
            if not str(document.get("no_url") or "").strip():
                problems.append(f"{document['id']}: neither url nor no_url")
            continue
        parts = urlsplit(url)
        if parts.scheme != "https" or not (parts.path.strip("/") or parts.query):
            problems.append(f"{document['id']}: {url}")
    return problems


def ids_resolve_and_documents_are_cited(folder: Path) -> list[str]:
    """Every seen_in id names a document, and every document is cited by some row."""
    known = {d["id"] for d in raw(folder, "sources.yaml", "documents")}
    cited = set()
    problems = []
    for citation in sources.citations(folder):
        for wanted in citation.ids:
            cited.add(wanted)
            if wanted not in known:
                problems.append(f"{citation.file} {citation.where}: unknown document {wanted}")
    problems += [f"sources.yaml: {i} is cited by nothing" for i in sorted(known - cited)]
    return problems


def unverified_never_charted(folder: Path) -> list[str]:
    """Rule 4: no chart is given an Unverified figure (its data never holds one)."""
    unverified = {row.id for row in schemas.read_figure_rows(folder / "figures.yaml")
                  if row.confidence == "Unverified"}
    charted = {
        "users": figure_charts.users_over_time,
        "downloads": figure_charts.downloads_over_time,
        "time spent": figure_charts.time_spent_over_time,
        "women": figure_charts.women_share,
        "age and sex": figure_charts.age_sex_2025,
        "video length": length_history,
    }
    problems = []
    for name, rows in charted.items():
        drawn = set(rows()["id"].dropna())
        problems += [f"the {name} chart draws {i}" for i in sorted(drawn & unverified)]
    return problems


RULES: dict[str, Callable[[Path], list[str]]] = {
    "assumed producer": assumed_producer_never_above_medium,
    "second hand": second_hand_only_at_most_medium,
    "more-than wording": more_than_wording_is_a_lower_bound,
    "lower bound shown": lower_bounds_read_more_than,
    "bare domain": no_bare_domain,
    "ids and citations": ids_resolve_and_documents_are_cited,
    "unverified charted": unverified_never_charted,
}


@pytest.mark.parametrize("name", sorted(RULES))
def test_the_course_data_follows_the_rule(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    point_data_at(monkeypatch, DATA)
    assert RULES[name](DATA) == []


# --------------------------------------------------------------------------
# Each rule fails on a broken copy.


def _first(rows: list[dict], keep: Callable[[dict], bool]) -> dict:
    return next(row for row in rows if keep(row))


def test_rule_1_catches_an_assumed_producer_graded_high(copy: Path) -> None:
    rows, _ = _figures_and_documents(copy)
    row = _first(rows, lambda r: r.get("publisher_assumed"))
    set_field(copy / "figures.yaml", row["id"], "confidence", "High")
    assert assumed_producer_never_above_medium(copy) == [
        f"{row['id']}: publisher_assumed but High"]


def test_rule_2_catches_a_figure_seen_only_in_an_aggregator_graded_high(copy: Path) -> None:
    rows, documents = _figures_and_documents(copy)
    aggregator = _first(list(documents.values()), lambda d: d["kind"] == "aggregator")
    row = rows[0]
    set_field(copy / "figures.yaml", row["id"], "seen_in", f"[{aggregator['id']}]")
    set_field(copy / "figures.yaml", row["id"], "confidence", "High")
    assert [p.split(":")[0] for p in second_hand_only_at_most_medium(copy)] == [row["id"]]


def test_rule_3_catches_more_than_wording_without_a_bound(copy: Path) -> None:
    rows, _ = _figures_and_documents(copy)
    row = _first(rows, lambda r: r.get("bound") == "lower" and r.get("reported_as"))
    set_field(copy / "figures.yaml", row["id"], "bound", None)
    assert more_than_wording_is_a_lower_bound(copy) == [
        f"{row['id']}: reported as {row['reported_as']!r} without bound: lower"]


def test_rule_3_catches_a_lower_bound_shown_without_more_than(
        copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy of the strings where "more than {value}" lost its words."""
    real = i18n.load_strings

    def broken(language: str) -> dict[str, str]:
        return {**real(language), "figures.bound.lower": "{value}",
                "figures.bound.lower_one": "{value}"}

    monkeypatch.setattr(i18n, "load_strings", broken)
    problems = lower_bounds_read_more_than(copy)
    bounded = [r for r in schemas.read_figure_rows(copy / "figures.yaml") if r.bound]
    assert len(problems) == 2 * len(bounded) > 0


def test_bare_domains_are_caught_and_refused(copy: Path) -> None:
    document = raw(copy, "sources.yaml", "documents")[0]
    set_field(copy / "sources.yaml", document["id"], "url", "https://rivaliq.com/")
    set_field(copy / "sources.yaml", document["id"], "no_url", None)
    assert no_bare_domain(copy) == [f"{document['id']}: https://rivaliq.com/"]
    with pytest.raises(DataFileError, match="bare domain"):
        sources.read_documents(copy / "sources.yaml")


def test_unknown_ids_and_uncited_documents_are_caught_and_refused(copy: Path) -> None:
    rows, _ = _figures_and_documents(copy)
    documents = raw(copy, "sources.yaml", "documents")
    set_field(copy / "figures.yaml", rows[0]["id"], "seen_in", "[no-such-page]")
    problems = ids_resolve_and_documents_are_cited(copy)
    assert any("unknown document no-such-page" in p for p in problems)
    with pytest.raises(DataFileError, match='field "seen_in".*"no-such-page" is not the id'):
        schemas.read_figure_rows(copy / "figures.yaml")
    # a document nobody cites
    extra = dict(documents[0], id="nobody-cites-me")
    text = (copy / "sources.yaml").read_text(encoding="utf-8")
    block = yaml.safe_dump([extra], allow_unicode=True, sort_keys=False)
    (copy / "sources.yaml").write_text(text + "\n" + "\n".join(
        "  " + line if line else line for line in block.splitlines()) + "\n", encoding="utf-8")
    assert "sources.yaml: nobody-cites-me is cited by nothing" in ids_resolve_and_documents_are_cited(copy)
    with pytest.raises(DataFileError, match=r'id "nobody-cites-me".*no content file cites'):
        sources.read_documents(copy / "sources.yaml")


def test_rule_4_catches_an_unverified_figure_given_to_a_chart(
        copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A charted figure marked Unverified in a copy: the charts leave it out; a chart builder
    that read every figure (load_figures instead of load_chart_figures) is caught."""
    set_field(copy / "figures.yaml", "users-mau-2020-07", "confidence", "Unverified")
    set_field(copy / "figures.yaml", "video-length-2019", "confidence", "Unverified")
    point_data_at(monkeypatch, copy)
    assert unverified_never_charted(copy) == []
    monkeypatch.setattr(figure_charts, "load_chart_figures", sourced.load_figures)
    monkeypatch.setattr(sourced, "load_chart_figures", sourced.load_figures)
    assert unverified_never_charted(copy) == ["the users chart draws users-mau-2020-07",
                                              "the video length chart draws video-length-2019"]


# --------------------------------------------------------------------------
# The registry's own rules and the way figures are cited.


@pytest.mark.parametrize("url", ["https://rivaliq.com", "https://rivaliq.com/", "http://x.org/a",
                                 "https://rivaliq.com/ blog", "ftp://x.org/a"])
def test_page_addresses_need_https_and_a_path(url: str) -> None:
    with pytest.raises(ValueError):
        check_page_url(url)


def test_a_document_needs_a_url_or_a_reason_and_a_date_or_a_reason() -> None:
    good = raw(DATA, "sources.yaml", "documents")[0]
    Document.model_validate(good)
    without = {k: v for k, v in good.items() if k not in ("url", "no_url")}
    with pytest.raises(ValueError, match="no_url"):
        Document.model_validate(without)
    undated = {k: v for k, v in good.items() if k not in ("date", "date_precision", "no_date")}
    with pytest.raises(ValueError, match="no_date"):
        Document.model_validate(undated)
    with pytest.raises(ValueError, match="must be 2021-01-01"):
        Document.model_validate(dict(good, date="2021-07-14", date_precision="year"))


def test_a_billion_with_a_lower_bound_reads_more_than_one_billion() -> None:
    assert format_value(1e9, "people", bound="lower", language="en") == "more than 1 billion people"
    assert format_value(1e9, "people", bound="lower", language="fr") == \
        "plus d'un\u00a0milliard de personnes"
    assert format_value(1e6, "downloads", bound="lower", language="fr") == \
        "plus d'un\u00a0million de téléchargements"
    assert format_value(1.5e9, "people", bound="lower", language="fr") == \
        "plus de 1,5\u00a0milliard de personnes"
    assert format_value(2e8, "people", bound="lower", language="fr") == \
        "plus de 200\u00a0millions de personnes"
    assert format_value(1e9, "people", language="en") == "1B people"  # an exact count stays short


def test_the_billion_users_figure_reads_more_than_in_the_tables_and_charts(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from tiktok_lab.ui.figures_view import figures_table

    billion = figure("users-mau-2021-09")
    assert billion.bound == "lower" and billion.shown == "more than 1 billion people"
    markup = figures_table("users").data
    assert "more than 1 billion people" in markup and ">1B people<" not in markup
    tooltips = figure_charts.users_over_time().set_index("id")["shown"]
    assert tooltips["users-mau-2021-09"] == "more than 1 billion people"
    monkeypatch.setenv("TIKTOK_LAB_LANG", "fr")
    assert "plus d'un\u00a0milliard de personnes" in html.unescape(figures_table("users").data)


def test_citations_name_the_first_pages_publisher_and_link_it() -> None:
    billion = figure("users-mau-2021-09")
    first = billion.documents[0]
    assert first.kind != "primary"
    assert cite(billion, language="en").startswith(f"{billion.source}, via {first.publisher}")
    assert cite(billion, language="en").endswith("as of September 27, 2021")
    assert cite(billion, language="fr").endswith(", 27 septembre 2021")
    markup = cite_html(billion, language="en")
    assert f'<a href="{first.url}" target="_blank" rel="noopener" style="text-decoration:underline">' in markup


def test_citation_html_is_escaped() -> None:
    row = figure("users-mau-2021-09")
    fake = type("Row", (), {"source": "<script>x</script>", "seen_in": row.seen_in,
                            "date": row.date, "date_precision": row.date_precision})()
    assert "<script>" not in cite_html(fake) and "&lt;script&gt;" in cite_html(fake)


def test_the_sources_pages_show_every_document_with_its_takes_and_what_cites_it() -> None:
    from tiktok_lab.kit.sources_page import _md, sources_page

    billion = figure("users-mau-2021-09")
    for language, heading in (("en", "# Sources of this course"), ("fr", "# Sources du cours")):
        page = sources_page(language)
        assert page.startswith(heading + "\n")
        for document in sources.read_documents():
            assert _md(document.title) in page
            assert _md(document.takes[language]) in page
            if document.url:
                assert f"]({document.url.replace(' ', '%20')})" in page
        assert MORE_THAN[language] in page and "## " in page
        assert _md(billion.shown if language == "en" else format_value(
            billion.value, billion.unit, bound=billion.bound, language="fr")) in page


def test_rule_5_a_date_more_precise_than_its_source_is_refused(copy: Path) -> None:
    rows, _ = _figures_and_documents(copy)
    row = _first(rows, lambda r: r["date_precision"] == "year")
    set_field(copy / "figures.yaml", row["id"], "date", f"{row['date'].year}-07-01")
    with pytest.raises(DataFileError, match=rf'id "{row["id"]}".*date_precision is "year"'):
        schemas.read_figure_rows(copy / "figures.yaml")
    document = _first(raw(copy, "sources.yaml", "documents"),
                      lambda d: d.get("date_precision") == "month")
    set_field(copy / "sources.yaml", document["id"], "date",
              document["date"].replace(day=15).isoformat())
    with pytest.raises(DataFileError, match='date_precision is "month"'):
        sources.read_documents(copy / "sources.yaml")


def test_an_unknown_id_in_another_content_file_is_refused_where_it_is(copy: Path) -> None:
    from tiktok_lab.lessons.ads.formats import load_ad_formats
    from tiktok_lab.lessons.feed.charts import load_feed_lesson

    load_ad_formats(copy / "ad_formats.yaml")
    set_field(copy / "ad_formats.yaml", "topview", "seen_in", "[no-such-page]")
    with pytest.raises(DataFileError, match=r'ad_formats\.yaml, field "catalogue\.formats\[\d+\] '
                                            r'\(id "topview"\)\.seen_in" \(item 1\): "no-such-page"'):
        load_ad_formats(copy / "ad_formats.yaml")
    set_field(copy / "feed_lesson.yaml", "monolith", "seen_in", "[arxiv-2022-09-16-monolith, nope]")
    with pytest.raises(DataFileError, match=r'\(id "monolith"\)\.seen_in" \(item 2\): "nope"'):
        load_feed_lesson(copy / "feed_lesson.yaml")


def test_the_audit_table_covers_every_data_file() -> None:
    """Issue 16: the audit in docs/sources.md names every content file, so a reviewer can
    follow what was checked; a new data file must be audited before it ships."""
    text = (Path(__file__).resolve().parents[1] / "docs" / "sources.md").read_text(encoding="utf-8")
    assert "## Audit of issue 16" in text
    audit = text.split("## Audit of issue 16", 1)[1]
    where = " ".join(line.split("|")[1] for line in audit.splitlines()
                     if line.startswith("| ") and not line.startswith("| Where"))
    data = data_dir()
    files = sorted(p.relative_to(data).as_posix() for p in data.rglob("*.yaml"))
    assert files, "no data files found"
    missing = [f for f in files if not re.search(rf"(?<![\w/]){re.escape(f)}", where)]
    assert not missing, f"not in the audit table of docs/sources.md: {missing}"
