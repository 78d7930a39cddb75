"""The trainer's live room drawn as HTML: the pieces :mod:`ui.class_view` puts on the projector.

Pure functions of what :mod:`tiktok_lab.room.room_summary` counted: no widget, no file access.
Everything a participant typed (names, brands, strategy texts, file names) goes through
:func:`~tiktok_lab.core.html.esc` here, once. Bars are plain HTML and CSS: they draw offline,
in Voilà and JupyterLab alike, and each carries its count as text (never colour alone).
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

from tiktok_lab.core.html import NO_MATHS, esc
from tiktok_lab.core.i18n import colon, t
from tiktok_lab.room.class_folder import Skipped
from tiktok_lab.room.room_summary import (LessonProgress, QuestionTally, SharedStrategy,
                                          StuckExercise)

ROOT_CLASS = "tiktok-lab-class-view"

#: Projector first: large type, dark text on white, thick bars; scoped to the view.
STYLE = f"""<style>
.{ROOT_CLASS} {{ font-size: 20px; line-height: 1.35; color: #111; background: #fff; }}
.{ROOT_CLASS} .cv-html, .{ROOT_CLASS} .widget-html-content {{ font-size: 20px; color: #111; }}
.{ROOT_CLASS} h2 {{ font-size: 30px; margin: 4px 0 6px; }}
.{ROOT_CLASS} .cv-top {{ display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 18px; }}
.{ROOT_CLASS} .cv-top h2 {{ margin: 0; font-size: 28px; }}
.{ROOT_CLASS} .cv-folds {{ display: flex; flex-wrap: wrap; gap: 0 18px; }}
.{ROOT_CLASS} .cv-folds details {{ font-size: 16px; color: #333; }}
.{ROOT_CLASS} .cv-small p {{ margin: 2px 0; }}
.{ROOT_CLASS} .cv-big {{ font-size: 26px; }}
.{ROOT_CLASS} .cv-big h3 {{ font-size: 34px; }}
.{ROOT_CLASS} h3 {{ font-size: 24px; margin: 8px 0 6px; }}
.{ROOT_CLASS} .cv-muted {{ color: #333; }}
.{ROOT_CLASS} .cv-bar-row {{ display: grid; grid-template-columns: minmax(14em, 3fr) 2fr 6.5em;
  gap: 4px 12px; align-items: center; margin: 4px 0; }}
.{ROOT_CLASS} .cv-track {{ background: #e4e4e4; height: 30px; border-radius: 3px; }}
.{ROOT_CLASS} .cv-fill {{ background: #0b4f8a; height: 30px; border-radius: 3px; }}
.{ROOT_CLASS} .cv-right .cv-fill {{ background: #1b5e20; }}
.{ROOT_CLASS} .cv-right .cv-label {{ font-weight: bold; color: #1b5e20; }}
.{ROOT_CLASS} .cv-count {{ font-weight: bold; font-size: 24px; text-align: right;
  white-space: nowrap; }}
.{ROOT_CLASS} .cv-share {{ font-weight: normal; font-size: 20px; }}
.{ROOT_CLASS} table {{ border-collapse: collapse; font-size: 20px; }}
.{ROOT_CLASS} th, .{ROOT_CLASS} td {{ text-align: left; padding: 6px 14px;
  border-bottom: 1px solid #bbb; vertical-align: top; }}
.{ROOT_CLASS} .cv-card {{ border: 2px solid #0b4f8a; border-radius: 6px; padding: 10px 16px;
  margin: 10px 0; }}
.{ROOT_CLASS} .cv-card ul {{ margin: 4px 0; padding-left: 24px; }}
.{ROOT_CLASS} .cv-warning {{ border-left: 6px solid #7a4d00; background: #fff4e0;
  padding: 6px 12px; margin: 6px 0; }}
.{ROOT_CLASS} .widget-button, .{ROOT_CLASS} .widget-toggle-button {{ font-size: 18px;
  height: auto; min-height: 40px; padding: 4px 16px; }}
.{ROOT_CLASS} .widget-button.cv-danger {{ background: #8b1a1a; color: #fff; }}
.{ROOT_CLASS} .widget-dropdown > select {{ font-size: 20px; height: 40px; }}
.{ROOT_CLASS} .widget-dropdown > label {{ font-size: 20px; }}
.{ROOT_CLASS} .widget-checkbox label, .{ROOT_CLASS} .widget-checkbox input {{ font-size: 18px; }}
.{ROOT_CLASS} .widget-checkbox input {{ width: 20px; height: 20px; }}
.{ROOT_CLASS} .lm-TabBar, .{ROOT_CLASS} .lm-TabBar-content {{ min-height: 46px !important;
  height: auto !important; }}
.{ROOT_CLASS} .lm-TabBar-tab {{ font-size: 22px !important; flex: 0 0 auto !important;
  min-width: 8em !important; max-width: none !important; min-height: 44px !important;
  line-height: 44px !important; padding: 0 18px !important; color: #111 !important; }}
.{ROOT_CLASS} .lm-TabBar-tab.lm-mod-current {{ font-weight: bold; }}
.{ROOT_CLASS} .cv-small {{ font-size: 16px; color: #333; }}
.{ROOT_CLASS} .cv-skipped {{ font-size: 16px; border-left: 6px solid #7a4d00;
  background: #fff4e0; padding: 2px 10px; margin: 2px 0; }}
.{ROOT_CLASS} .cv-skipped ul {{ margin: 0; padding-left: 20px; }}
.{ROOT_CLASS} a {{ color: #0b4f8a; font-size: 20px; }}
.{ROOT_CLASS} div[role=status] {{ font-size: 20px !important; }}
</style>"""


def _say(key: str, language: str | None, **values: object) -> str:
    return t(f"class_view.{key}", language=language, **values)


def header_html(folder: str, people: int, skipped: Sequence[Skipped], refreshed: str, *,
                language: str | None = None, problem: str = "", drop_hint: bool = False) -> str:
    """One line for the projector (the title, how many shared something, the last check),
    then, folded, the folder and the files skipped: a path names the trainer's account and a
    file's name often a participant, and the view is on the wall."""
    parts = ['<div class="cv-top">'
             f"<h2>{esc(_say('title', language))}</h2>"
             f"<strong>{esc(_say('people', language, people=people))}</strong>"
             f'<span class="cv-muted">{esc(_say("refreshed", language, time=refreshed))}</span>'
             "</div>"]
    if problem:
        parts.append(f'<div class="cv-warning" role="status">{esc(problem)}</div>')
    where = f"<div>{esc(_say('folder', language, folder=folder))}</div>"
    if drop_hint:
        where += f"<div>{esc(_say('drop_here', language))}</div>"
    folds = [f'<details class="cv-where"><summary>{esc(_say("where", language))}</summary>'
             f"{where}</details>"]
    if skipped:
        rows = "".join(f"<li>{esc(item.name)}{esc(colon(language))}{esc(item.reason)}</li>"
                       for item in skipped)
        folds.append(f'<details class="cv-skipped" role="status"><summary>'
                     f"{esc(_say('skipped', language, count=len(skipped)))}</summary>"
                     f"<ul>{rows}</ul></details>")
    parts.append(f'<div class="cv-folds">{"".join(folds)}</div>')
    return f'<div class="cv-html {NO_MATHS}">{"".join(parts)}</div>'


def _share(count: int, answered: int, language: str | None) -> str:
    """``count`` as a share of those who answered, "25%" (« 25 % » in French)."""
    percent = round(100 * count / answered) if answered else 0
    return _say("quiz.share", language, percent=percent)


def where_html(folder: str, *, language: str | None = None, drop_hint: bool = False) -> str:
    """The class folder in full, for the End of class tab (the header keeps it folded)."""
    hint = f"<p>{esc(_say('drop_here', language))}</p>" if drop_hint else ""
    return (f'<div class="cv-html cv-small {NO_MATHS}">'
            f"<p>{esc(_say('folder', language, folder=folder))}</p>{hint}</div>")


def question_html(tally: QuestionTally, *, revealed: bool, language: str | None = None) -> str:
    """One question: a bar per option with its count and share of the answers; the right
    answer marked, and how many got it right said, only once revealed (in words, not only in
    green)."""
    most = max((option.count for option in tally.options), default=0) or 1
    rows = []
    for option in tally.options:
        right = revealed and option.correct
        mark = f" ✓ {esc(_say('quiz.correct', language))}" if right else ""
        width = round(100 * option.count / most)
        rows.append(
            f'<div class="cv-bar-row{" cv-right" if right else ""}">'
            f'<div class="cv-label">{esc(option.label)}{mark}</div>'
            f'<div class="cv-track" aria-hidden="true"><div class="cv-fill" '
            f'style="width:{width}%"></div></div>'
            f'<div class="cv-count"><span class="cv-n">{option.count}</span>'
            f'<span class="cv-share"> · {esc(_share(option.count, tally.answered, language))}'
            "</span></div></div>")
    if revealed:
        status = _say("quiz.right", language, answered=tally.answered, right=tally.right)
    else:  # how many got it right would give the answer away
        status = _say("quiz.answered", language, answered=tally.answered)
    return (f'<div class="cv-html {NO_MATHS}"><h3>{tally.number}. {esc(tally.text)}</h3>'
            f'{"".join(rows)}<div class="cv-muted">{esc(status)}</div></div>')


def progress_html(rows: Sequence[LessonProgress], *, language: str | None = None) -> str:
    """Per lesson: opened and finished, out of those sharing their progress."""
    sharing = rows[0].sharing if rows else 0
    if not sharing:
        return _empty(_say("progress.none", language))
    head = "".join(f'<th scope="col">{esc(t(key, language=language))}</th>' for key in
                   ("room.progress.lesson", "room.progress.opened", "room.progress.finished"))
    body = "".join(
        f"<tr><td>{esc(row.title)}</td>"
        f"<td>{esc(_say('progress.of', language, count=row.opened, total=row.sharing))}</td>"
        f"<td>{esc(_say('progress.of', language, count=row.finished, total=row.sharing))}</td>"
        "</tr>" for row in rows)
    return (f'<div class="cv-html {NO_MATHS}">'
            f"<p>{esc(_say('progress.sharing', language, people=sharing))}</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def stuck_html(rows: Sequence[StuckExercise], *, language: str | None = None) -> str:
    """The exercises with the most unsuccessful checks: label, checks, participants."""
    if not rows:
        return _empty(_say("stuck.none", language))
    head = "".join(f'<th scope="col">{esc(_say(key, language))}</th>'
                   for key in ("stuck.exercise", "stuck.checks", "stuck.people"))
    body = "".join(f"<tr><td>{esc(row.label)}</td><td>{row.unsuccessful}</td>"
                   f"<td>{row.participants}</td></tr>" for row in rows)
    return (f'<div class="cv-html {NO_MATHS}"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def _summary_items(item: SharedStrategy, language: str | None) -> str:
    from tiktok_lab.lessons.strategy.brief import summary_rows

    rows = summary_rows(item.strategy, language=language)
    if not rows:
        return f'<p class="cv-muted">{esc(_say("strategies.empty", language))}</p>'
    items = "<ul>" + "".join(f"<li><strong>{esc(row.label)}</strong>{esc(colon(language))}"
                             f"{esc(row.value)}</li>" for row in rows) + "</ul>"
    return items + _legend(rows, language)


def _legend(rows: Sequence, language: str | None) -> str:
    """The brief's own legend under a card whose lines carry its † (a rule of thumb)."""
    from tiktok_lab.core.nature import nature_label
    from tiktok_lab.lessons.strategy.brief import MARK
    from tiktok_lab.lessons.strategy.content import load_strategy_data

    if not any(MARK in row.value for row in rows):
        return ""
    label = nature_label(load_strategy_data().verdicts, language)
    return f'<p class="cv-muted cv-small">{esc(MARK)} {esc(label)}</p>'


def _brand(item: SharedStrategy, language: str | None) -> str:
    return item.strategy.brand or t("room.strategy.untitled", language=language)


def strategy_key(item: SharedStrategy) -> str:
    """What names one shared strategy across refreshes (the trainer's "Project" choice)."""
    return f"{item.shown_as}\n{item.strategy.brand}"


def strategy_choices(items: Sequence[SharedStrategy], *, language: str | None = None,
                     names: bool = False) -> list[tuple[str, str]]:
    """(label, key) per strategy for the "Project" picker: its brand, numbered when two
    share one, and its author only when names are shown (the picker is on the wall too)."""
    choices, seen = [], Counter(_brand(item, language) for item in items)
    numbers: Counter[str] = Counter()
    for item in items:
        label = _brand(item, language)
        if seen[label] > 1:
            numbers[label] += 1
            label = f"{label} ({numbers[label]})"
        if names:
            label += f" · {item.shown_as}"
        choices.append((label, strategy_key(item)))
    return choices


def gallery_html(items: Iterable[SharedStrategy], *, language: str | None = None,
                 names: bool = False, big: bool = False) -> str:
    """A card per shared strategy: the brand, its "In short" lines, and who shared it only
    when ``names`` (the trainer ticked "Show names on screen"); ``big`` for one card projected
    on its own."""
    def by(item: SharedStrategy) -> str:
        return (f'<div class="cv-muted">{esc(_say("strategies.by", language, name=item.shown_as))}'
                "</div>") if names else ""

    cards = [f'<div class="cv-card"><h3>{esc(_brand(item, language))}</h3>{by(item)}'
             f"{_summary_items(item, language)}</div>" for item in items]
    if not cards:
        return _empty(_say("strategies.none", language))
    return f'<div class="cv-html {NO_MATHS}{" cv-big" if big else ""}">{"".join(cards)}</div>'


_PRINT_STYLE = """
@page { size: A4; margin: 15mm 14mm; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111;
       background: #fff; max-width: 190mm; margin: 0 auto; padding: 8mm; font-size: 10pt;
       line-height: 1.35; }
section.strategy { break-after: page; page-break-after: always; }
section.strategy:last-child { break-after: auto; page-break-after: auto; }
h1 { font-size: 18pt; margin: 0 0 2pt; }
p.by { margin: 0 0 8pt; color: #444; }
h2 { font-size: 12pt; margin: 10pt 0 3pt; border-bottom: 1px solid #bbb; break-after: avoid; }
dl { display: grid; grid-template-columns: 42mm 1fr; gap: 3pt 8pt; margin: 0; }
dt { font-weight: 600; } dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
@media print { body { max-width: none; padding: 0; } }
"""


#: What a peer reviews, on one printed A4 page (measured in Chromium on lesson 07's example):
#: the gist ("In short", with the week-4 decision), whom it speaks to, what it posts. The full
#: brief (measures, test plan, paid plan, rules) is the author's own export from lesson 07.
PRINTED_SECTIONS = ("summary", "whom", "what")


def printable_page(items: Sequence[SharedStrategy], *, language: str | None = None,
                   names: bool = False) -> str:
    """One self-contained page with every shared strategy, one per printed page: the brief's
    sections a peer reviews (citations as text, no chart, nothing loaded from outside), every
    text escaped; who shared each only when ``names`` (as on screen)."""
    from tiktok_lab.lessons.strategy.brief import brief_sections, legend, main_and_appendix

    lang = language or "en"
    title = _say("strategies.print_title", language)
    sections = []
    for item in items:
        main, _ = main_and_appendix(brief_sections(item.strategy, language=language))
        main = [section for section in main if section.key in PRINTED_SECTIONS]
        body = "".join(
            f"<h2>{esc(section.title)}</h2><dl>" + "".join(
                f"<dt>{esc(row.label)}</dt><dd>{esc(row.value)}</dd>" for row in section.rows)
            + "</dl>" for section in main)
        mark = legend(main, language=language)
        if mark:  # the rule-of-thumb label, once for every † above
            body += f'<p class="legend">{esc(mark)}</p>'
        by = (f'<p class="by">{esc(_say("strategies.by", language, name=item.shown_as))}</p>'
              if names else "")
        sections.append(f'<section class="strategy"><h1>{esc(_brand(item, language))}</h1>'
                        f"{by}{body}</section>")
    if not sections:
        sections.append(f"<p>{esc(_say('strategies.none', language))}</p>")
    return (f'<!DOCTYPE html>\n<html lang="{esc(lang)}"><head><meta charset="utf-8">'
            f"<title>{esc(title)}</title><style>{_PRINT_STYLE}</style></head>"
            f"<body>{''.join(sections)}</body></html>\n")


_PAGE_BODY = ("body { margin: 24px; font-family: system-ui, -apple-system, \"Segoe UI\", Roboto, "
              "sans-serif; }")


def summary_page(shares: Sequence, *, language: str | None = None) -> str:
    """The end-of-class summary as one self-contained page: every quiz question with its
    answer shown, progress, where the room was stuck, the strategies' "In short" lines.
    Names are left out, as in the Markdown summary (a summary, not a register)."""
    from tiktok_lab.room.room_summary import (progress_by_lesson, quiz_lessons, quiz_tallies,
                                              shared_strategies, stuck_exercises)

    title = t("room.summary.title", language=language)
    parts = [f"<h2>{esc(title)}</h2>",
             f"<p>{esc(t('room.summary.counts', language=language, people=len(shares)))}</p>"]
    for lesson_id in quiz_lessons(shares):
        parts.append(f"<h2>{esc(t('room.summary.quiz', language=language, lesson=lesson_id[:2]))}"
                     "</h2>")
        parts += [question_html(tally, revealed=True, language=language)
                  for tally in quiz_tallies(shares, lesson_id, language=language)]
    parts += [f"<h2>{esc(t('room.summary.progress', language=language))}</h2>",
              progress_html(progress_by_lesson(shares), language=language),
              f"<h2>{esc(t('room.summary.stuck', language=language))}</h2>",
              stuck_html(stuck_exercises(shares, language=language), language=language)]
    gallery = shared_strategies(shares, language=language)
    if gallery:
        parts += [f"<h2>{esc(t('room.summary.strategies', language=language, count=len(gallery)))}"
                  "</h2>", gallery_html(gallery, language=language, names=False)]
    return (f'<!DOCTYPE html>\n<html lang="{esc(language or "en")}"><head><meta charset="utf-8">'
            f"<title>{esc(title)}</title>{STYLE.replace('<style>', '<style>' + _PAGE_BODY)}"
            f'</head><body><div class="{ROOT_CLASS}">{"".join(parts)}</div></body></html>\n')


def _empty(message: str) -> str:
    return f'<div class="cv-html {NO_MATHS}"><p class="cv-muted">{esc(message)}</p></div>'
