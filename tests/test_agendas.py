"""Workshop agendas: each format fills its duration exactly, says what it leaves out, stays fresh."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest

from tiktok_lab.kit.workshop.agendas import (
    FormatSettings,
    agenda_markdown,
    build_agenda,
    covered_objectives,
    lesson_minutes,
    load_formats,
    plan_agenda,
)
from tiktok_lab.cli.main import main
from tiktok_lab.core.datafiles import DataFileError
from tiktok_lab.core.i18n import load_strings, speaking
from tiktok_lab.course.exercises import exercise_lesson_ids, is_data_corner, load_exercise_rows
from tiktok_lab.kit.workshop.exercise_names import exercise_name
from tiktok_lab.course.syllabus import load_lessons
from tiktok_lab.core.schemas import read_lesson_rows

ROOT = Path(__file__).resolve().parents[1]
FORMATS = {fmt.id: fmt for fmt in load_formats()}


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def test_the_three_formats_exist() -> None:
    assert set(FORMATS) == {"90-minutes", "half-day", "full-day"}


@pytest.mark.parametrize("format_id", sorted(FORMATS))
def test_an_agenda_fills_its_duration_exactly(format_id: str) -> None:
    fmt = FORMATS[format_id]
    agenda = build_agenda(fmt)
    items = agenda.items
    assert items[0].start == 0
    assert all(a.end == b.start for a, b in zip(items, items[1:])), "no gap, no overlap"
    assert sum(item.minutes for item in items) == fmt.duration_minutes
    lessons = load_lessons()
    expected_lessons = sum(lesson_minutes(lesson, fmt.lessons[lesson.id]) for lesson in lessons)
    assert sum(i.minutes for i in items if i.kind == "lesson") == expected_lessons
    wrap = [i for i in items if i.kind == "wrap_up"]
    assert len(wrap) == 1 and fmt.wrap_up_min_minutes <= wrap[0].minutes <= fmt.wrap_up_max_minutes


@pytest.mark.parametrize("format_id", sorted(FORMATS))
def test_no_block_outruns_the_format_limit(format_id: str) -> None:
    fmt = FORMATS[format_id]
    since_break = unit = 0
    for item in build_agenda(fmt).items:
        if item.kind in ("break", "lunch"):
            since_break = 0
        elif item.kind in ("welcome", "lesson", "practice"):
            unit = item.minutes + (unit if item.kind == "practice" else 0)
            since_break += item.minutes
            assert since_break <= max(fmt.max_block_minutes, unit), item


def test_practice_follows_its_lesson_without_a_break() -> None:
    items = build_agenda(FORMATS["full-day"]).items
    practices = [n for n, item in enumerate(items) if item.kind == "practice"]
    assert practices, "the full day has practice time"
    for n in practices:
        before = items[n - 1]
        assert before.kind == "lesson" and before.lesson == items[n].lesson


def test_the_printed_page_ends_at_start_plus_duration() -> None:
    fmt = FORMATS["full-day"]
    page = agenda_markdown(build_agenda(fmt))
    rows = [line for line in page.splitlines() if line.startswith("| ") and "–" in line[:15]]
    first_start, last_end = rows[0][2:7], rows[-1][8:13]
    assert first_start == fmt.start_time
    assert _minutes(last_end) - _minutes(first_start) == fmt.duration_minutes
    assert "*Lunch*" in page and "Practice:" in page


def test_the_90_minute_agenda_chooses_and_says_what_it_leaves_out() -> None:
    lessons = load_lessons()
    full = sum(lesson.minutes for lesson in lessons)
    fmt = FORMATS["90-minutes"]
    assert full > fmt.duration_minutes, "the full course cannot fit, so the agenda must choose"
    page = agenda_markdown(build_agenda(fmt))
    assert "## Objectives not covered in this format" in page
    for lesson in lessons:
        for objective in lesson.objectives:
            covered = objective in covered_objectives(lesson, fmt.lessons[lesson.id])
            listed = f"- {lesson.number:02d} {lesson.title}: {objective}" in page
            assert covered != listed, (lesson.id, objective)
        if fmt.lessons[lesson.id] == "short":
            assert all(skip in page for skip in lesson.short.skip)


@pytest.mark.parametrize("format_id", ["90-minutes", "half-day", "full-day"])
def test_each_agenda_lists_what_it_runs_and_what_it_does_not_reach(format_id: str) -> None:
    """No format holds the whole course at the pace of data/timing.yaml (tests/test_timing.py):
    each page names the exercises it runs and every objective it leaves out."""
    agenda = build_agenda(FORMATS[format_id])
    page = agenda_markdown(agenda)
    for item in agenda.placed():
        for exercise in agenda.exercises_done(item):
            assert exercise_name(item.lesson.id, exercise) in page
    for lesson in load_lessons():
        for objective in lesson.objectives:
            covered = objective in covered_objectives(lesson, agenda.format.lessons[lesson.id])
            listed = f"- {lesson.number:02d} {lesson.title}: {objective}" in page
            assert covered != listed, (format_id, lesson.id, objective)


def test_every_lesson_can_shrink_and_short_exercises_exist() -> None:
    for lesson in load_lessons():
        assert lesson.short is not None, f"{lesson.id} has no short version"
        assert lesson_minutes(lesson, "short") < lesson.minutes
        ids = {row.id for row in load_exercise_rows(lesson.id)}
        assert set(lesson.short.exercises) <= ids, lesson.id
        assert lesson.cut_if_late, f"{lesson.id} says nothing about cutting when late"


def _format(**changes) -> FormatSettings:
    return FORMATS["half-day"].model_copy(update=changes)


def test_a_format_that_does_not_fit_names_the_overrun() -> None:
    with pytest.raises(DataFileError, match=r'"half-day".*does not fit its 150 minutes.*too long'):
        plan_agenda(_format(duration_minutes=150), load_lessons())


def test_a_format_with_too_much_time_left_says_so() -> None:
    with pytest.raises(DataFileError, match="more than wrap_up_max_minutes"):
        plan_agenda(_format(duration_minutes=300), load_lessons())


def test_a_lesson_left_out_of_a_format_is_an_error_not_a_silent_skip() -> None:
    lessons = dict(FORMATS["half-day"].lessons)
    lessons.pop("03_feed")
    with pytest.raises(DataFileError, match='does not say how lesson "03_feed" runs'):
        build_agenda(_format(lessons=lessons))


def test_skipping_a_lesson_lists_its_objectives_as_not_covered() -> None:
    lessons = {**{lesson.id: "full" for lesson in load_lessons()}, "06_ads": "skip"}
    # Whatever the lessons' minutes: the first duration the lessons and breaks fit in.
    for duration in range(60, 601):
        fmt = _format(lessons=lessons, duration_minutes=duration, max_block_minutes=240,
                      wrap_up_max_minutes=60)
        try:
            agenda = build_agenda(fmt)
            break
        except DataFileError:
            continue
    assert "06_ads" not in [item.lesson.id for item in agenda.placed()]
    missing = dict((lesson.id, objectives) for lesson, objectives in agenda.objectives_not_covered())
    assert missing == {"06_ads": load_lessons()[6].objectives}


def _lesson_folder(tmp_path: Path, lesson_id: str, old: str, new: str) -> Path:
    folder = tmp_path / "lessons"
    folder.mkdir()
    for path in (ROOT / "src/tiktok_lab/data/lessons").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if path.stem == lesson_id:
            assert old in text
            text = text.replace(old, new)
        (folder / path.name).write_text(text, encoding="utf-8")
    return folder


def test_a_short_version_longer_than_the_lesson_is_refused(tmp_path) -> None:
    short = load_lessons()[3].short.teaching_minutes
    folder = _lesson_folder(tmp_path, "03_feed", f"    teaching_minutes: {short}\n",
                            "    teaching_minutes: 90\n")
    with pytest.raises(DataFileError, match=r'03_feed.yaml.*"short".*cannot be longer'):
        read_lesson_rows(folder)


def test_a_short_version_naming_a_missing_objective_is_refused(tmp_path) -> None:
    folder = _lesson_folder(tmp_path, "03_feed", "objectives: [1, 3, 4]", "objectives: [1, 9]")
    with pytest.raises(DataFileError, match="objective 9, but the lesson has 4"):
        read_lesson_rows(folder)


def test_committed_workshop_pages_are_fresh(capsys) -> None:
    """workshop/agendas, notes and participants must be rebuilt whenever their data changes,
    in English (workshop/) and in French (workshop/fr/)."""
    assert main(["build", "workshop", "--check"]) == 0, capsys.readouterr().out
    for kit in ("workshop", "workshop/fr"):
        for name in ("90-minutes", "half-day", "full-day"):
            assert (ROOT / kit / "agendas" / f"{name}.md").is_file()
        for name in ("setup", "summary", "feedback"):
            assert (ROOT / kit / "participants" / f"{name}.md").is_file()
        assert (ROOT / kit / "schedule.md").is_file()
        for lesson in load_lessons():
            assert (ROOT / kit / "notes" / f"{lesson.id}.md").is_file()


# --- the French kit (workshop/fr/): French labels, links to the French edition --------------

def _french_kit() -> dict[str, str]:
    from tiktok_lab.kit.workshop.build import workshop_pages
    from tiktok_lab.kit.workshop.schedule import build_schedule_markdown, schedule_page

    with speaking("fr"):
        return {**workshop_pages(ROOT), schedule_page(): build_schedule_markdown()}


FRENCH_KIT = _french_kit()
# The strings sections the kit's pages are made of.
KIT_LABELS = ("agenda.", "schedule.", "trainer_notes.")


def _english_labels() -> list[str]:
    """The English labels of the kit whose French differs, cut at their placeholders."""
    english, french = load_strings("en"), load_strings("fr")
    labels = set()
    for key, text in english.items():
        if not key.startswith(KIT_LABELS) or french.get(key, text) == text:
            continue
        for part in re.split(r"\{[^{}]*\}", text):
            part = part.strip(" *`()")
            if len(part) >= 4 and part not in french[key]:
                labels.add(part)
    return sorted(labels)


def _as_label(label: str) -> list[str]:
    """How a short label appears on a page (heading, table cell, bold or italic); a sentence
    is looked for as it is. (The lesson texts in the page may be English until translated, so
    a word such as "Lesson" is only a label where a label goes.)"""
    if len(label.split()) >= 3:
        return [label]
    return [f"| {label} |", f"**{label}", f"*{label}*", f"# {label}", f"({label},"]


def test_the_french_kit_has_every_page_of_the_english_one() -> None:
    from tiktok_lab.kit.workshop.build import workshop_pages
    from tiktok_lab.kit.workshop.schedule import schedule_page

    english = {*workshop_pages(ROOT), schedule_page()}
    assert {name.replace("workshop/fr/", "workshop/", 1) for name in FRENCH_KIT} == english
    assert all(name.startswith("workshop/fr/") for name in FRENCH_KIT)


@pytest.mark.parametrize("name", sorted(FRENCH_KIT))
def test_a_french_kit_page_speaks_french(name: str) -> None:
    page = FRENCH_KIT[name]
    left = [form for label in _english_labels() for form in _as_label(label) if form in page]
    assert left == [], f"{name}: English labels {left}"
    french = {"agendas": "| Heure | Séquence |", "notes": "## Minute par minute",
              "participants": "Imprimé à partir des données",
              "schedule.md": "Déroulé de référence du cours complet"}
    assert any(mark in page for part, mark in french.items() if part in name.split("/")), name
    # French typography: a no-break space before : ; ! ? (outside code and links).
    prose = re.sub(r"`[^`]*`|\]\([^)]*\)|https?://\S+", "x", page)
    assert not re.findall(r"\w [:;!?]", prose), name


@pytest.mark.parametrize("name", sorted(FRENCH_KIT))
def test_a_french_kit_page_links_to_the_french_edition(name: str) -> None:
    links = re.findall(r"\]\(([^)\s]+)\)", FRENCH_KIT[name])
    for target in links:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
        assert (ROOT / path).is_file() or path in FRENCH_KIT, f"{name}: {target} leads nowhere"
        if path.endswith(".ipynb"):
            assert path.startswith(("notebooks/fr/", "workshop/trainer/fr/")), (name, target)
        if path.endswith(".md"):
            assert path.startswith("workshop/fr/"), (name, target)


def test_build_check_reports_stale_missing_and_leftover_pages(tmp_path, monkeypatch, capsys) -> None:
    course = tmp_path / "course"
    (course / "notebooks").mkdir(parents=True)
    (course / "notebooks" / "00_start_here.ipynb").write_text("{}")
    (course / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (course / "workshop" / "agendas").mkdir(parents=True)
    (course / "workshop" / "agendas" / "half-day.md").write_text("# old\n")
    (course / "workshop" / "agendas" / "two-days.md").write_text(  # a format that is gone
        "# Workshop agenda: two days\n\nGenerated by `tiktok-lab build workshop` from ...\n")
    monkeypatch.chdir(course)
    assert main(["build", "workshop", "--check"]) == 1
    out = capsys.readouterr().out
    assert "out of date: workshop/agendas/half-day.md" in out
    assert "out of date: workshop/agendas/two-days.md" in out
    assert "out of date: workshop/notes/03_feed.md" in out
    assert "out of date: workshop/fr/agendas/half-day.md" in out  # missing: French too
    assert "out of date: workshop/fr/schedule.md" in out
    assert main(["build", "workshop"]) == 0
    assert not (course / "workshop" / "agendas" / "two-days.md").exists()
    assert main(["build", "workshop", "--check"]) == 0


def test_build_lang_builds_one_language_and_keeps_the_other(tmp_path, monkeypatch,
                                                            capsys) -> None:
    course = tmp_path / "course"
    (course / "notebooks").mkdir(parents=True)
    (course / "notebooks" / "00_start_here.ipynb").write_text("{}")
    (course / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    monkeypatch.chdir(course)
    assert main(["build", "workshop", "--lang", "en"]) == 0
    assert not (course / "workshop" / "fr").exists()
    capsys.readouterr()
    assert main(["build", "all", "--check"]) == 1  # French pages are missing: "all" says so
    assert "out of date: workshop/fr/notes/03_feed.md" in capsys.readouterr().out
    (course / "workshop" / "fr" / "agendas").mkdir(parents=True)
    (course / "workshop" / "fr" / "agendas" / "deux-jours.md").write_text(  # a format now gone
        "# Déroulé\n\nGénéré par `tiktok-lab build workshop` à partir de ...\n")
    assert main(["build", "workshop", "--lang", "fr"]) == 0
    assert not (course / "workshop" / "fr" / "agendas" / "deux-jours.md").exists()
    assert (course / "workshop" / "fr" / "schedule.md").read_text(
        encoding="utf-8").startswith("# Déroulé de référence du cours complet")
    assert (course / "workshop" / "agendas" / "half-day.md").is_file()  # English kept
    assert main(["build", "workshop", "--check"]) == 0


@pytest.mark.parametrize("old, new, message", [
    ("04_opportunity: short", "04_opportunity: shortt", r'"formats" \(item 1\).*must be one of full, short, deep, skip'),
    ("duration_minutes: 90", "duration_minutes: ninety", r'"formats" \(item 1\).*whole number'),
    ('start_time: "14:00"', 'start_time: "2pm"', r'"formats" \(item 1\)'),
    ("      welcome_minutes: 3\n", "      welcome_minutes: 3\n      breaks: 2\n",
     r'"formats" \(item 1\).*not a known field'),
])
def test_bad_format_settings_are_named_in_plain_words(tmp_path, old, new, message) -> None:
    from tiktok_lab.kit.workshop.schedule import load_workshop_settings

    text = (ROOT / "src/tiktok_lab/data/workshop.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "workshop.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        load_workshop_settings(path)


def test_build_names_a_broken_data_file_instead_of_a_traceback(tmp_path, monkeypatch, capsys) -> None:
    """A trainer who lengthens a lesson past a format's duration gets the reason and the fix."""
    import tiktok_lab.kit.workshop.agendas as agendas

    def too_long():
        return tuple(fmt.model_copy(update={"duration_minutes": 60}) for fmt in FORMATS.values())

    monkeypatch.setattr(agendas, "load_formats", too_long)
    assert main(["build", "workshop", "--check"]) == 1
    err = capsys.readouterr().err
    assert "✗ workshop.yaml" in err and "does not fit its 60 minutes" in err
    assert "run `tiktok-lab build workshop` again" in err
    assert "Traceback" not in err


# --- what a trainer runs from the printed agenda (review of the French trainer, issue 18) ----

def _agenda_pages(language: str) -> dict[str, str]:
    with speaking(language):
        return {fmt.id: agenda_markdown(build_agenda(fmt)) for fmt in load_formats()}


AGENDAS = {language: _agenda_pages(language) for language in ("en", "fr")}
DATA_CORNER = {(lesson_id, row.id) for lesson_id in exercise_lesson_ids()
               for row in load_exercise_rows(lesson_id) if is_data_corner(row)}


@pytest.mark.parametrize("format_id", ["90-minutes", "half-day", "full-day"])
def test_a_data_corner_exercise_is_never_counted_as_done(format_id: str) -> None:
    """The data corner is optional and never run in a session: an agenda may name it only as
    optional, after the session."""
    agenda = build_agenda(FORMATS[format_id])
    for item in agenda.placed():
        done = {(item.lesson.id, e) for e in agenda.exercises_done(item)}
        assert not done & DATA_CORNER, (format_id, done & DATA_CORNER)
    for language, label in (("en", "Data corner (optional, after the session)"),
                            ("fr", "Coin données (facultatif, après la séance)")):
        with speaking(language):
            names = {exercise_name(lesson_id, e) for lesson_id, e in DATA_CORNER}
        for row in AGENDAS[language][format_id].splitlines():
            if not row.startswith("| ") or label in row:
                continue
            done_cell = row.split(" | ")[3] if row.count(" | ") >= 4 else ""
            assert not any(name in done_cell for name in names), (language, format_id, row)


def test_the_full_day_puts_its_data_corners_after_the_session() -> None:
    page = AGENDAS["en"]["full-day"]
    assert "*Data corner (optional, after the session): Exercise 4: a weighted total" in page
    assert "Coin données (facultatif, après la séance)\u00a0: Exercice 4\u00a0: un total pondéré" in (
        AGENDAS["fr"]["full-day"])


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_break_and_lunch_reminds_binder_participants_to_download(language: str) -> None:
    """Binder closes a session left idle for 10 minutes: every break and lunch line says so,
    with the exact label of the button."""
    reminder = {"en": "participants on Binder: **Prepare a download** before the break",
                "fr": "participants sur Binder\u00a0: **Préparer un téléchargement** avant la pause"}
    lines = 0
    for format_id, page in AGENDAS[language].items():
        for kind in ("break", "lunch"):
            label = load_strings(language)[f"agenda.kind.{kind}"]
            for row in (r for r in page.splitlines() if f"| *{label}*" in r):
                lines += 1
                assert reminder[language] in row, (format_id, row)
    assert lines >= 6  # the full day has breaks and a lunch, the half day breaks


@pytest.mark.parametrize("language", ["en", "fr"])
def test_agendas_name_exercises_by_number_and_title_never_by_id(language: str) -> None:
    ids = {row.id for lesson_id in exercise_lesson_ids() for row in load_exercise_rows(lesson_id)}
    for format_id, page in AGENDAS[language].items():
        shown = {i for i in ids if f"`{i}`" in page}
        assert not shown, (language, format_id, shown)
    assert "Exercise 1: what an ad reach counts" in AGENDAS["en"]["half-day"]
    assert "Exercice 1\u00a0: ce que compte une audience publicitaire" in AGENDAS["fr"]["half-day"]


def test_the_course_length_is_computed_never_typed() -> None:
    total = sum(lesson.minutes for lesson in load_lessons())
    settings = (ROOT / "src" / "tiktok_lab" / "data" / "workshop.yaml").read_text(encoding="utf-8")
    assert not re.search(r"eight hours|huit heures", settings)
    for language in ("en", "fr"):
        for format_id in ("half-day", "full-day"):
            page = AGENDAS[language][format_id]
            assert f"{total} minutes ({total // 60}\u00a0h\u00a0{total % 60:02d})" in page or (
                f"{total} minutes ({total // 60} h {total % 60:02d})" in page), (language, format_id)


def test_no_cut_if_late_offers_the_data_corner_which_is_never_run() -> None:
    """The data corner is outside every version's minutes: cutting it saves nothing."""
    for language, words in (("en", "data corner"), ("fr", "coin données")):
        for format_id, page in AGENDAS[language].items():
            late = page.split(f"## {load_strings(language)['agenda.late']}")[1].split("\n## ")[0]
            assert words not in late.lower(), (language, format_id)
