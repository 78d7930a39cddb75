"""Trainer notes: one per lesson, timed to the lesson's minutes, every question answered,
every exercise and quiz question they name real, in English and in French."""

from __future__ import annotations

import re
from dataclasses import replace

from pathlib import Path

import pytest

from tiktok_lab.core.datafiles import DataFileError
from tiktok_lab.course.exercises import is_data_corner, load_exercise_rows
from tiktok_lab.course.syllabus import load_lesson, load_lessons
from tiktok_lab.course.quizzes import load_quiz
from tiktok_lab.core.i18n import localized, speaking
from tiktok_lab.kit.workshop.exercise_names import exercise_name
from tiktok_lab.kit.workshop.formats import load_workshop_settings
from tiktok_lab.kit.workshop.trainer_notes import (exercise_texts, lesson_segment_notes,
                                                   lesson_segments, load_all_notes, notes_markdown,
                                                   notes_pages, quiz_texts, read_notes)

ROOT = Path(__file__).resolve().parents[1]
NOTES_DATA = ROOT / "src" / "tiktok_lab" / "data" / "trainer_notes"
LESSONS = load_lessons()
NOTES = load_all_notes()


def test_every_lesson_has_notes_and_no_notes_lack_a_lesson() -> None:
    assert set(NOTES) == {lesson.id for lesson in LESSONS}
    assert {path.stem for path in NOTES_DATA.glob("*.yaml")} == set(NOTES)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_timings_add_up_to_the_lesson_minutes(lesson) -> None:
    notes = NOTES[lesson.id]
    assert sum(segment.minutes for segment in notes.segments) == lesson.minutes


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_every_question_has_an_expected_answer(lesson) -> None:
    questions = NOTES[lesson.id].questions
    assert questions, f"{lesson.id}: ask the room at least one question"
    for question in questions:
        assert question.question.endswith("?")
        assert question.expected.strip() and question.expected != question.question


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_referenced_exercises_and_quiz_questions_exist(lesson) -> None:
    notes = NOTES[lesson.id]
    rows = load_exercise_rows(lesson.id)
    exercises = {row.id for row in rows}
    main = {row.id for row in rows if not is_data_corner(row)}
    named = {e for segment in notes.segments for e in segment.exercises}
    assert named <= exercises
    assert main <= named, f"{lesson.id}: the notes should walk through every main-path exercise"
    quiz = {segment_q for segment in notes.segments for segment_q in segment.quiz_questions}
    if quiz:
        assert quiz <= {question.id for question in load_quiz(lesson.id).questions}


def test_notes_cover_the_real_learner_mistakes() -> None:
    symptoms = " ".join(m.symptom + " " + m.fix for n in NOTES.values() for m in n.mistakes)
    for clue in ("NameError", "Not attempted yet", "Reload the browser page", "quotes"):
        assert clue in symptoms, clue


def test_the_page_shows_timings_questions_answers_and_cuts() -> None:
    lesson = load_lesson("03_feed")
    page = notes_markdown(lesson, NOTES[lesson.id])
    notes = NOTES[lesson.id]
    last = notes.segments[-1]
    end = lesson.minutes
    assert f"–{end // 60}:{end % 60:02d} | {last.minutes} | {last.title} |" in page
    for question in notes.questions:
        assert question.question in page and question.expected in page
    for cut in lesson.cut_if_late:
        assert cut in page
    assert "../trainer/03_feed.ipynb" in page


def _copy_notes(tmp_path: Path, lesson_id: str, old: str, new: str) -> Path:
    folder = tmp_path / "trainer_notes"
    folder.mkdir()
    for path in NOTES_DATA.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if path.stem == lesson_id:
            assert old in text, old
            text = text.replace(old, new, 1)
        (folder / path.name).write_text(text, encoding="utf-8")
    return folder


def test_notes_whose_minutes_do_not_add_up_are_refused(tmp_path) -> None:
    text = (NOTES_DATA / "03_feed.yaml").read_text(encoding="utf-8")
    first = int(re.search(r"^      minutes: (\d+)$", text, re.M).group(1))
    folder = _copy_notes(tmp_path, "03_feed", f"minutes: {first}\n", f"minutes: {first + 3}\n")
    lesson = load_lesson("03_feed")
    with pytest.raises(DataFileError, match=rf"03_feed.yaml.*add up to {lesson.minutes + 3} "
                                            rf"minutes.*lasts {lesson.minutes}"):
        read_notes(lesson, folder)


def test_a_question_without_its_expected_answer_is_refused(tmp_path) -> None:
    folder = _copy_notes(tmp_path, "01_platform",
                         "          expected:\n"
                         "            en: No. The limit is a ceiling; most brand videos "
                         "still aim to be watched to the end.\n"
                         "            fr: Non. La limite est un plafond\u00a0; la plupart des vidéos "
                         "de marque visent toujours à être regardées jusqu'au bout.\n", "")
    with pytest.raises(DataFileError, match=r'field "segments" \(item 2, item 1\)'):
        read_notes(load_lesson("01_platform"), folder)


def test_an_unknown_exercise_id_is_refused_with_its_file(tmp_path) -> None:
    folder = _copy_notes(tmp_path, "06_ads", "exercises: [campaign-measure]",
                         "exercises: [campaign-mesure]")
    with pytest.raises(DataFileError, match=r'"campaign-mesure", which is not in data/exercises/06_ads'):
        read_notes(load_lesson("06_ads"), folder)


def test_an_unknown_quiz_question_is_refused(tmp_path) -> None:
    folder = _copy_notes(tmp_path, "05_tips", "[funny-comment, health-claim]", "[funny-comment, health-claim-x]")
    with pytest.raises(DataFileError, match=r'"health-claim-x", which is not in data/quizzes/05_tips'):
        read_notes(load_lesson("05_tips"), folder)


def test_the_page_explains_each_exercise_in_plain_words() -> None:
    """A trainer who does not read Python gets the task and why the answer is right."""
    page = notes_pages()["workshop/notes/06_ads.md"]
    for number, row in enumerate(load_exercise_rows("06_ads"), start=1):
        if is_data_corner(row):  # optional extras: the notes do not walk through them
            continue
        if row.kind == "decision":
            brief = localized(row.brief, language="en")
            assert f"**{exercise_name('06_ads', row.id)}**: {brief}" in page
            assert f"*Answer:* {localized(row.strongest.text, language='en')}" in page
        else:
            assert (f"**{exercise_name('06_ads', row.id)}**: {localized(row.task, language='en')}"
                    in page)
            assert f"*Answer:* {localized(row.explanation, language='en')}" in page


def test_the_page_gives_the_quiz_questions_to_discuss_with_their_right_answer() -> None:
    page = notes_pages()["workshop/notes/05_tips.md"]
    quiz = load_quiz("05_tips")
    for question_id in (q for s in NOTES["05_tips"].segments for q in s.quiz_questions):
        question = quiz.question(question_id)
        text = localized(question.question, language="en")
        assert f"**Quiz question**: {text}" in page
        for answer in question.answers:
            shown = localized(answer.answer, language="en") in page.split(f"**Quiz question**: {text}")[1][:600]
            assert shown == answer.correct, (question_id, answer.answer)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_every_common_mistake_is_in_the_trainer_edition_notebook(lesson) -> None:
    """Each mistake shows once, with its fix, in the note of its segment: the one it names,
    else the one listing the exercise its symptom names."""
    import nbformat

    notes = NOTES[lesson.id]
    cells = nbformat.read(ROOT / "workshop" / "trainer" / lesson.notebook, as_version=4).cells
    text = "\n".join(cell.source for cell in cells if "trainer-note" in cell.metadata.get("tags", []))
    for mistake in notes.mistakes:
        line = f"**Common mistakes:** {mistake.symptom} → {mistake.fix}"
        assert text.count(line) == 1, f"{lesson.id}: {mistake.symptom}"
        segment = next(s for s in notes.segments if s.key == mistake.segment)
        if "Exercise " in mistake.symptom:
            assert segment.exercises, f"{lesson.id}: {mistake.symptom} is not by its exercise"


def test_a_mistake_placed_in_an_unknown_segment_is_refused(tmp_path) -> None:
    folder = _copy_notes(tmp_path, "05_tips", "      segment: Answer every comment\n",
                         "      segment: Answer every comments\n")
    with pytest.raises(DataFileError, match=r'"Answer every comments", which is not one'):
        read_notes(load_lesson("05_tips"), folder)


# ------------------------------------------------------------------ both languages

FRENCH_LABELS = ("Minute par minute", "**Dire\u00a0:**", "**Montrer\u00a0:**",
                 "**Demander à la salle\u00a0:**", "*Réponse attendue\u00a0:*", "Messages clés",
                 "Erreurs fréquentes et leur solution", "**Exercice ", "**Question du quiz**")
ENGLISH_LABELS = ("Minute by minute", "**Say:**", "**Show:**", "**Ask the room:**",
                  "*Expected:*", "Key messages", "Common mistakes and their fix", "**Answer:**",
                  "**Exercise ", "**Quiz question**")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_the_notes_read_in_french_hold_the_same_segments_in_french(lesson) -> None:
    """Every text a trainer reads is written in both languages; ids, minutes and keys are shared."""
    english = NOTES[lesson.id]
    with speaking("fr"):
        french = read_notes(lesson)
    assert [s.key for s in french.segments] == [s.key for s in english.segments]
    assert [s.minutes for s in french.segments] == [s.minutes for s in english.segments]
    assert [s.exercises for s in french.segments] == [s.exercises for s in english.segments]
    assert [m.segment for m in french.mistakes] == [m.segment for m in english.mistakes]
    for fr_text, en_text in zip(_texts(french), _texts(english)):
        if re.sub(r"`[^`]*`", "", en_text).strip():  # not only code (an error message)
            assert fr_text != en_text, f"{lesson.id}: not translated: {en_text}"
    for question in french.questions:
        assert question.question.endswith("\u00a0?"), question.question


def _texts(notes) -> list[str]:
    texts = [*notes.key_messages, *notes.prepare]
    for segment in notes.segments:
        texts += [segment.say, segment.show]
        texts += [text for q in segment.ask for text in (q.question, q.expected)]
    return texts + [text for m in notes.mistakes for text in (m.symptom, m.fix)]


def test_the_page_in_french_speaks_french() -> None:
    lesson = load_lesson("03_feed")
    with speaking("fr"):
        notes = read_notes(lesson)
        page = notes_markdown(lesson, notes, exercise_texts(lesson.id), quiz_texts(lesson.id))
    for label in FRENCH_LABELS:
        assert label in page, label
    for label in ENGLISH_LABELS:
        assert label not in page, label
    for segment in notes.segments:
        assert f"· {segment.title} (" in page and segment.say in page
    assert notes.segments[0].title == "Question d'ouverture"
    for question in notes.questions:
        assert question.question in page and question.expected in page
    english = NOTES["03_feed"]
    assert english.segments[0].say not in page and english.mistakes[0].fix not in page


def test_the_english_title_is_the_key_in_french_too() -> None:
    """A lesson source's marker and a mistake's ``segment:`` name the English title: in French
    the notes are found by it, and show the French title and texts."""
    english = NOTES["03_feed"]
    with speaking("fr"):
        notes = read_notes(load_lesson("03_feed"))
        cells = lesson_segment_notes("03_feed")
        segments = lesson_segments("03_feed")
    assert list(cells) == list(segments) == [s.key for s in english.segments]
    placed = next(m for m in notes.mistakes if m.segment)
    segment = segments[placed.segment]
    assert segment.title == "Signaux et poids" and segment.key == "Signals and weights"
    assert f"**Erreurs fréquentes\u00a0:** {placed.symptom} → {placed.fix}" in cells[segment.key]
    assert cells[segment.key].startswith(f"**Dire\u00a0:** {segment.say}")
    assert not any(label in note for note in cells.values() for label in ENGLISH_LABELS)


def test_the_trainer_edition_in_french_shows_the_french_notes() -> None:
    """The trainer notebook built inside speaking("fr") renders its note cells in French
    (they become the speaker notes of the French slides)."""
    from tiktok_lab.kit.editions import TRAINER_NOTE
    from tiktok_lab.kit.lesson_source import lesson_notebook, source_folder

    with speaking("fr"):
        notebook = lesson_notebook(source_folder(ROOT) / "01_platform.md")
        segments = lesson_segments("01_platform")
    notes = "\n".join(cell.source for cell in notebook.cells
                      if TRAINER_NOTE in cell.metadata.get("tags", []))
    for segment in segments.values():
        assert segment.say in notes
    assert "**Say:**" not in notes and "**Dire\u00a0:**" in notes


def test_a_text_in_one_language_is_refused(tmp_path) -> None:
    folder = _copy_notes(tmp_path, "03_feed",
                         "            fr: Des réponses comme «\u00a0j'ai aimé des vidéos du même genre\u00a0»",
                         "            xx: Des réponses comme «\u00a0j'ai aimé des vidéos du même genre\u00a0»")
    with pytest.raises(DataFileError, match=r'03_feed.yaml.*field "segments" .*"xx:"'):
        read_notes(load_lesson("03_feed"), folder)
    text = (NOTES_DATA / "03_feed.yaml").read_text(encoding="utf-8")
    say = re.search(r"^      say:\n        en: (.+)\n        fr: .+\n", text, re.M)
    (tmp_path / "one").mkdir()
    folder = _copy_notes(tmp_path / "one", "03_feed", say.group(0),
                         f"      say: {say.group(1)}\n")
    with pytest.raises(DataFileError, match=r'"segments" \(item 1\).*one language only'):
        read_notes(load_lesson("03_feed"), folder)


def test_a_french_question_must_end_with_a_question_mark(tmp_path) -> None:
    folder = _copy_notes(tmp_path, "00_start_here",
                         "publie déjà sur TikTok pour une organisation\u00a0?",
                         "publie déjà sur TikTok pour une organisation.")
    with speaking("fr"), pytest.raises(DataFileError, match="must end with a question mark"):
        read_notes(load_lesson("00_start_here"), folder)


def test_a_segment_key_written_in_the_file_is_refused(tmp_path) -> None:
    """The key is the English title, filled in on reading: a file that writes one is refused."""
    folder = _copy_notes(tmp_path, "03_feed", "      minutes: ", "      key: Opening\n      minutes: ")
    with pytest.raises(DataFileError, match=r'"segments" \(item 1\).*the English title is'):
        read_notes(load_lesson("03_feed"), folder)


# --- what a trainer runs from the printed notes (review of the French trainer, issue 18) -----

def _pages(language: str) -> dict[str, str]:
    with speaking(language):
        pages = notes_pages()
    return {name.rsplit("/", 1)[1].removesuffix(".md"): page for name, page in pages.items()}


PAGES = {language: _pages(language) for language in ("en", "fr")}
SHORT = [lesson for lesson in LESSONS if lesson.short]


@pytest.mark.parametrize("lesson", SHORT, ids=lambda lesson: lesson.id)
def test_the_short_version_says_which_agendas_use_it_and_runs_minute_by_minute(lesson) -> None:
    """Not "In the 90-minute format" for a lesson that format skips: the formats that run the
    short version, then its running order with minutes a trainer can follow live."""
    minutes = lesson.short.teaching_minutes + lesson.short.exercise_minutes
    for language, heading, used in (("en", "## Short version: ", "Used by the agendas: "),
                                    ("fr", "## Version courte\u00a0: ",
                                     "Utilisée par les déroulés\u00a0: ")):
        page = PAGES[language][lesson.id]
        assert "90-minute format" not in page and "format de 90 minutes" not in page
        section = page.split(heading + f"{minutes}\u00a0min" if language == "fr"
                             else heading + f"{minutes} min")[1]
        with speaking(language):  # the formats' names are read in the language spoken
            names = [fmt.name for fmt in load_workshop_settings().formats
                     if fmt.lessons[lesson.id] == "short"]
        assert names, f"{lesson.id}: no agenda runs the short version"
        assert f"{used}{', '.join(names)}." in section
        rows = re.findall(r"^\| (\d+):(\d\d)–(\d+):(\d\d) \| (\d+) \| (.+) \|$", section, re.M)
        assert rows, f"{lesson.id}: no running order"
        clock = 0
        for h1, m1, h2, m2, length, _ in rows:
            assert int(h1) * 60 + int(m1) == clock
            clock += int(length)
            assert int(h2) * 60 + int(m2) == clock
        assert clock == minutes
        with speaking(language):
            kept = [exercise_name(lesson.id, e) for e in lesson.short.exercises]
        assert all(name in section for name in kept), (language, lesson.id)


def test_a_lesson_in_no_short_format_says_so() -> None:
    lesson = load_lesson("02_figures")
    page = notes_markdown(lesson, NOTES[lesson.id])
    assert "No agenda of the kit uses it" in page
    assert "Used by the agendas: half day, full day." in PAGES["en"]["02_figures"]


@pytest.mark.parametrize("lesson", SHORT, ids=lambda lesson: lesson.id)
def test_the_running_order_keeps_what_the_timing_estimate_keeps(lesson) -> None:
    """The running order (data/lessons/<id>.yaml, short: running_order) lists the segments
    whose content the short version keeps (kit/timing.py: skip_cells, exercises, quiz): none
    left out that keeps two minutes or more, none listed that keeps nothing."""
    from tiktok_lab.kit.timing import estimate, lesson_content, load_timing

    short = estimate(lesson_content(lesson, ROOT), load_timing(), "short").by_segment()
    order = lesson.short.running_order
    for key, minutes in short.items():
        if minutes >= 2:
            assert key in order, f"{lesson.id}: the short version keeps {minutes:.1f} min of {key!r}"
    for key in order:
        assert short.get(key, 0) > 0, f"{lesson.id}: {key!r} keeps nothing in the short version"


def test_a_running_order_that_does_not_fill_the_short_version_is_refused() -> None:
    lesson = load_lesson("02_figures")
    order = dict(lesson.short.running_order)
    first = next(iter(order))
    order[first] += 2
    bad = replace(lesson, short=lesson.short.model_copy(update={"running_order": order}))
    with pytest.raises(DataFileError, match=r"running_order.*adds up to 27 minutes.*lasts 25"):
        read_notes(bad)


def test_a_running_order_naming_an_unknown_segment_is_refused() -> None:
    lesson = load_lesson("02_figures")
    order = {"No such segment": 25}
    bad = replace(lesson, short=lesson.short.model_copy(update={"running_order": order}))
    with pytest.raises(DataFileError, match=r'"No such segment", which is not one of'):
        read_notes(bad)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_every_quiz_question_is_on_the_page_with_its_answer(lesson) -> None:
    """To debrief the whole quiz: every question, its right answer and why, in both languages."""
    questions = load_quiz(lesson.id).questions
    for language, heading in (("en", "## Quiz: every answer"),
                              ("fr", "## Quiz\u00a0: toutes les réponses")):
        section = PAGES[language][lesson.id].split(heading)[1].split("\n## ")[0]
        for number, question in enumerate(questions, start=1):
            right = [a for a in question.answers if a.correct]
            assert f"Question {number}.** {localized(question.question, language=language)}" in section
            assert localized(right[0].feedback, language=language) in section
        assert f"Question {len(questions) + 1}." not in section


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_notes_name_exercises_by_title_never_by_id(language: str) -> None:
    for lesson in LESSONS:
        page = PAGES[language][lesson.id]
        ids = {row.id for row in load_exercise_rows(lesson.id)}
        assert not {i for i in ids if f"`{i}`" in page}, (language, lesson.id)
    assert "**Exercise 1: what an ad reach counts**" in PAGES["en"]["02_figures"]
    assert "**Exercice 1\u00a0: ce que compte une audience publicitaire**" in PAGES["fr"]["02_figures"]
