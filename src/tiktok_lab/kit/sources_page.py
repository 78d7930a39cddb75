"""``tiktok-lab build sources``: the course's sources page, one per language.

``notebooks/sources.md`` (English) and ``notebooks/sources.fr.md`` (French) list every document
of ``data/sources.yaml``, grouped by kind (the producers' own pages first, then the 2020 article,
papers and datasets, then press, blogs and statistics round-ups): its publisher, its title linked
to the page, its date no more precise than the page gives it, what the course takes from it, and
the figures that cite it (value with its bound, date) and any other content resting on it. Every
lesson's navigation links the English page (``SOURCES_PAGE``). Generated: edit the data, then run
``tiktok-lab build sources`` (part of ``build all``, whose ``--check`` reports a stale page).
"""

from __future__ import annotations

import re
from pathlib import Path

from tiktok_lab.core.i18n import SUPPORTED_LANGUAGES, format_date, t

SOURCES_PAGE = "sources.md"
#: Kinds in the order the page lists them.
KIND_ORDER = ("primary", "article", "paper", "dataset", "press", "blog", "aggregator")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|<>~$])")


def page_name(language: str) -> str:
    return SOURCES_PAGE if language == "en" else f"sources.{language}.md"


def _md(text: str) -> str:
    """Data text made inert in Markdown (a title with "[", "|" or "*" stays a title)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _href(url: str) -> str:
    """An address safe inside ``(...)`` of a Markdown link."""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _when(document, language: str) -> str:
    if document.date is None:
        return t("sources_page.undated", language=language)
    return format_date(document.date, language=language, precision=document.date_precision)


def _figure_line(row, language: str) -> str:
    from tiktok_lab.lessons.figures.sourced import as_of, format_value

    value = format_value(row.value, row.unit, bound=row.bound, language=language)
    return t("sources_page.figure", language=language, metric=_md(row.metric),
             scope=_md(row.scope), value=_md(value),
             when=as_of(row.date, row.date_precision, language=language))


def _other_line(citation, language: str) -> str:
    what = t(f"sources_page.file.{citation.file.split('/')[0].removesuffix('.yaml')}",
             language=language)
    return t("sources_page.other", language=language, what=what)


def _grades(language: str) -> list[str]:
    """What each confidence grade means, for a reader who meets "Medium-High" in a table."""
    from tiktok_lab.core.schemas import CONFIDENCE_LEVELS
    from tiktok_lab.lessons.figures.sourced import confidence_label

    lines = [f"## {t('sources_page.grades.title', language=language)}", ""]
    for grade in reversed(CONFIDENCE_LEVELS):
        key = "sources_page.grades." + grade.lower().replace("-", "_")
        lines.append(t("sources_page.grades.line", language=language,
                       grade=confidence_label(grade, language=language),
                       meaning=t(key, language=language)))
    return lines + ["", t("sources_page.grades.brackets", language=language), ""]


def sources_page(language: str) -> str:
    """The whole page in ``language`` (Markdown)."""
    from tiktok_lab.core.schemas import read_figure_rows
    from tiktok_lab.core.sources import citations, read_documents

    from tiktok_lab.core.i18n import speaking

    with speaking(language):  # publishers' words, each figure's metric and scope in that language
        documents = read_documents()
        figures = read_figure_rows()
    cited_by: dict[str, list[str]] = {document.id: [] for document in documents}
    for row in figures:
        for document_id in row.seen_in:
            cited_by[document_id].append(_figure_line(row, language))
    for citation in citations():
        if citation.file == "figures.yaml":
            continue
        line = _other_line(citation, language)
        for document_id in citation.ids:
            if line not in cited_by.get(document_id, [line]):
                cited_by[document_id].append(line)

    lines = [f"# {t('sources_page.title', language=language)}", "",
             t("sources_page.intro", language=language, count=len(documents),
               figures=len(figures)), ""]
    other = [lang for lang in SUPPORTED_LANGUAGES if lang != language]
    lines += [t("sources_page.other_language", language=language,
                link=f"[{t('sources_page.language_name', language=other[0])}]"
                     f"({page_name(other[0])})"), ""]
    lines += _grades(language)
    kinds = [kind for kind in KIND_ORDER if any(d.kind == kind for d in documents)]
    lines += ["- " + t("sources_page.kind_count", language=language,
                       kind=t(f"sources_page.kind.{kind}", language=language),
                       count=t("sources_page.count", language=language,
                               count=sum(d.kind == kind for d in documents)))
              for kind in kinds]
    lines.append("")
    for kind in kinds:
        lines += [f"## {t(f'sources_page.kind.{kind}', language=language)}", "",
                  f"_{t(f'sources_page.about.{kind}', language=language)}_", ""]
        group = sorted((d for d in documents if d.kind == kind),
                       key=lambda d: (d.publisher.casefold(), str(d.date), d.id))
        for document in group:
            title = _md(document.title)
            heading = f"[{title}]({_href(document.url)})" if document.url else title
            lines += ["### " + t("sources_page.heading", language=language,
                                 publisher=_md(document.publisher), title=heading), ""]
            name = t(f"sources_page.languages.{document.language}", language=language)
            name = document.language if name.startswith("sources_page.") else name
            facts = [t("sources_page.date", language=language, when=_when(document, language)),
                     t("sources_page.language", language=language, name=name)]
            lines.append(f"- {' · '.join(facts)}")
            if document.url is None:
                lines.append(f"- {t('sources_page.no_url', language=language)} "
                             f"{_md(document.no_url)}")
            lines.append(f"- {t('sources_page.takes', language=language)} "
                         f"{_md(document.takes[language])}")
            uses = cited_by[document.id]
            if uses:
                lines.append(f"- {t('sources_page.cited_by', language=language)}")
                lines += [f"  - {use}" for use in uses]
            lines.append("")
    # For maintainers who open the Markdown file: an HTML comment, invisible to readers.
    lines.append(f"<!-- {t('sources_page.generated', language=language)} -->")
    return "\n".join(lines).rstrip() + "\n"


def build_sources(root: Path, *, write: bool) -> list[str]:
    """Write (or, with ``write=False``, only report) the stale sources pages."""
    stale = []
    for language in SUPPORTED_LANGUAGES:
        target = root / "notebooks" / page_name(language)
        wanted = sources_page(language)
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == wanted:
            continue
        if write:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(wanted, encoding="utf-8")
        stale.append(str(target.relative_to(root)))
    return stale
