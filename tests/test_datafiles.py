"""Broken content files must fail with a DataFileError that a trainer can act on:
it names the file, the row (number, id and line) and the field."""

from __future__ import annotations

import datetime as dt
import math
import re
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiktok_lab.core import schemas
from tiktok_lab.core.datafiles import DataFileError, validate_row
from tiktok_lab.core.i18n import speaking
from tiktok_lab.lessons.figures.sourced import load_article_claims, load_figures
from tiktok_lab.course.syllabus import load_lesson, load_lessons
from tiktok_lab.core.schemas import ClaimRow, FigureRow, LessonRow
from tiktok_lab.core.sources import read_documents

# A document of the packaged registry (sources.yaml), for rows written by these tests.
A_DOCUMENT = read_documents()[0].id

GOOD_FIGURE = {
    "id": "users-mau-2020-07",
    "topic": "users",
    "metric": {"en": "Monthly active users", "fr": "Utilisateurs actifs mensuels"},
    "value": 689000000,
    "unit": "people",
    "scope": {"en": "Worldwide, TikTok", "fr": "Monde, TikTok"},
    "date": dt.date(2020, 7, 1),
    "date_precision": "month",
    "source": "TikTok",
    "seen_in": [A_DOCUMENT],
    "confidence": "Medium-High",
}
GOOD_CLAIM = {
    "id": "claim-downloads-2bn",
    "claim": {"en": "The app was downloaded more than 2 billion times.",
              "fr": "L'application a été téléchargée plus de 2\u00a0milliards de fois."},
    "value": 2000000000,
    "unit": "downloads",
    "scope": {"en": "Worldwide", "fr": "Monde"},
    "article_section": "TikTok en chiffres",
    "status": "verified",
    "finding": {"en": "Sensor Tower, 29 April 2020.", "fr": "Sensor Tower, 29\u00a0avril 2020."},
    "related_figure_ids": ["users-mau-2020-07"],
    "confidence": "High",
}


def write_figures(tmp_path: Path, rows: list, *, schema_version: object = 1) -> Path:
    doc = {"figures": rows} if schema_version is None else {"schema_version": schema_version, "figures": rows}
    path = tmp_path / "figures.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def second_row(**changes: object) -> list[dict]:
    """A good first row, then the row under test (so row numbers are checked)."""
    bad = {**GOOD_FIGURE, "id": "bad-row", **changes}
    return [dict(GOOD_FIGURE), {k: v for k, v in bad.items() if v is not _DROP}]


_DROP = object()


# --------------------------------------------------------------------------
# Malformed figure rows


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"confidence": "Sure"}, "confidence", "must be one of High, Medium-High, Medium"),
        ({"value": math.nan}, "value", "finite number"),
        ({"value": math.inf}, "value", "finite number"),
        ({"value": "1.5 bn"}, "value", "must be a number"),
        ({"unit": "percent", "value": 100.5}, "value", "between 0 and 100"),
        ({"unit": "percent", "value": -1}, "value", "between 0 and 100"),
        ({"source": _DROP}, "source", "is missing"),
        ({"source": "   "}, "source", "must not be empty"),
        ({"date": dt.date(2099, 1, 1), "date_precision": "day"}, "date", "in the future"),
        ({"date": dt.date(2015, 12, 1)}, "date", "before 2016"),
        ({"date": "July 2020"}, "date", "YYYY-MM-DD"),
        ({"date": dt.date(2020, 7, 15)}, "date", 'date_precision is "month"'),
        ({"date_precision": "week"}, "date_precision", "must be one of day, month, quarter, year"),
        ({"seen_in": []}, "seen_in", "at least 1 item"),
        ({"seen_in": _DROP}, "seen_in", "is missing"),
        ({"seen_in": ["no-such-document"]}, "seen_in", "is not the id of a document of sources.yaml"),
        ({"bound": "upper"}, "bound", "must be one of lower"),
        ({"url": "https://datareportal.com/reports"}, "url", "not a known field"),
        ({"id": "Users MAU"}, "id", "kebab-case"),
        ({"topic": "Users"}, "topic", "must be one of users"),
        ({"sauce": "TikTok"}, "sauce", "not a known field"),
    ],
)
def test_bad_figure_row_names_file_row_and_field(tmp_path, changes, field, words):
    path = write_figures(tmp_path, second_row(**changes))
    with pytest.raises(DataFileError) as caught:
        load_figures(path)
    error = caught.value
    message = str(error)
    row_id = changes.get("id", "bad-row")
    assert message.startswith(f'figures.yaml, row 2 (id "{row_id}", line ')
    assert re.search(rf'field "{field}"(?: \(item \d+\))?: ', message)
    assert words in message
    assert (error.file, error.row, error.row_id, error.field) == ("figures.yaml", 2, row_id, field)
    assert isinstance(error, ValueError)


def test_row_line_points_at_the_row_in_the_file(tmp_path):
    path = write_figures(tmp_path, second_row(confidence="Sure"))
    with pytest.raises(DataFileError) as caught:
        load_figures(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[caught.value.line - 1] == "- id: bad-row"


def test_duplicated_id_names_both_rows(tmp_path):
    rows = [dict(GOOD_FIGURE), dict(GOOD_FIGURE, value=1)]
    path = write_figures(tmp_path, rows)
    with pytest.raises(DataFileError, match=r'row 2 \(id "users-mau-2020-07".*field "id": .*already used by row 1'):
        load_figures(path)


def test_every_problem_of_a_row_is_listed(tmp_path):
    path = write_figures(tmp_path, second_row(confidence="Sure", source=_DROP, value=math.nan))
    with pytest.raises(DataFileError) as caught:
        load_figures(path)
    message = str(caught.value)
    assert message.count("figures.yaml, row 2") == 3
    for field in ("confidence", "source", "value"):
        assert f'field "{field}"' in message


def test_row_that_is_not_a_mapping(tmp_path):
    path = write_figures(tmp_path, [dict(GOOD_FIGURE), "just text"])
    with pytest.raises(DataFileError, match=r'figures.yaml, row 2 \(line \d+\): must be a group of "field: value"'):
        load_figures(path)


# --------------------------------------------------------------------------
# File-level problems


@pytest.mark.parametrize(
    ("version", "words"),
    [
        (2, "is 2, but this version of tiktok-lab reads schema version 1"),
        ("1", "is '1', but"),
        (None, "is missing"),
    ],
)
def test_wrong_or_missing_schema_version(tmp_path, version, words):
    path = write_figures(tmp_path, [GOOD_FIGURE], schema_version=version)
    with pytest.raises(DataFileError) as caught:
        load_figures(path)
    assert str(caught.value).startswith('figures.yaml, field "schema_version": ')
    assert words in str(caught.value)
    assert caught.value.field == "schema_version"


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    path = tmp_path / "figures.yaml"
    path.write_text(
        "schema_version: 1\nfigures:\n  - id: a\n    metric: [unclosed\n    value: 3\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as caught:
        load_figures(path)
    assert str(caught.value).startswith("figures.yaml, line ")
    assert "not valid YAML" in str(caught.value)
    assert caught.value.line in (4, 5, 6)


def test_field_written_twice_is_refused(tmp_path):
    path = tmp_path / "figures.yaml"
    path.write_text("schema_version: 1\nfigures:\n  - id: a\n    value: 1\n    value: 2\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r'figures.yaml, line 5: the field "value" appears twice'):
        load_figures(path)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("schema_version: 1\n", 'field "figures": is missing'),
        ("schema_version: 1\nfigures: {id: a}\n", 'field "figures": must be a list'),
        ("schema_version: 1\nfigures: []\nextra: 1\n", 'field "extra": is not a known top-level field'),
        ("- just\n- a list\n", 'must start with "schema_version: 1"'),
        ("", 'must start with "schema_version: 1"'),
    ],
)
def test_bad_file_layout(tmp_path, text, words):
    path = tmp_path / "figures.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=words):
        load_figures(path)


def test_missing_file(tmp_path):
    with pytest.raises(DataFileError, match="nothing.yaml: the file was not found"):
        load_figures(tmp_path / "nothing.yaml")


def test_edited_file_is_read_again(tmp_path):
    path = write_figures(tmp_path, [GOOD_FIGURE])
    assert load_figures(path)["value"].tolist() == [689000000.0]
    write_figures(tmp_path, [dict(GOOD_FIGURE, value=12345678901)])
    assert load_figures(path)["value"].tolist() == [12345678901.0]


def test_empty_list_gives_empty_typed_frame(tmp_path):
    frame = load_figures(write_figures(tmp_path, []))
    assert frame.empty
    assert frame["value"].dtype == "float64"
    assert frame["date"].dtype == "datetime64[ns]"


def test_nothing_is_read_at_import_time():
    code = (
        "import tiktok_lab.core.datafiles as d, tiktok_lab.lessons.figures.sourced, tiktok_lab.course.syllabus\n"
        "print(d._rows_cached.cache_info().currsize + d._record_cached.cache_info().currsize)\n"
        "import sys; print('pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "False"]


# --------------------------------------------------------------------------
# Article claims


def write_claims(tmp_path: Path, rows: list) -> Path:
    path = tmp_path / "article_claims.yaml"
    path.write_text(yaml.safe_dump({"schema_version": 1, "claims": rows}, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"status": "true"}, "status", "must be one of verified, partly-verified, untraceable"),
        ({"article_section": "TikTok in figures"}, "article_section", "must be one of"),
        ({"related_figure_ids": ["ok-id", "Not OK"]}, "related_figure_ids", "(item 2): "),
        ({"related_figure_ids": "ok-id"}, "related_figure_ids", "must be a list"),
        ({"confidence": None}, "confidence", "must be one of"),
    ],
)
def test_bad_claim_row(tmp_path, changes, field, words):
    path = write_claims(tmp_path, [dict(GOOD_CLAIM, **changes)])
    with pytest.raises(DataFileError) as caught:
        load_article_claims(path)
    message = str(caught.value)
    assert message.startswith('article_claims.yaml, row 1 (id "claim-downloads-2bn", line ')
    assert f'field "{field}"' in message and words in message


def test_claims_frame_from_a_file(tmp_path):
    frame = load_article_claims(write_claims(tmp_path, [GOOD_CLAIM, dict(GOOD_CLAIM, id="second")]))
    assert frame["id"].tolist() == ["claim-downloads-2bn", "second"]
    assert frame.loc[0, "related_figure_ids"] == ["users-mau-2020-07"]


# --------------------------------------------------------------------------
# Lessons


@pytest.fixture
def lessons_dir(tmp_path: Path) -> Path:
    """A copy of the packaged lessons, to break one rule at a time."""
    folder = tmp_path / "lessons"
    folder.mkdir()
    for item in (files("tiktok_lab") / "data" / "lessons").iterdir():
        if item.name.endswith(".yaml"):
            (folder / item.name).write_text(item.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def edit_lesson(folder: Path, lesson_id: str, **changes: object) -> None:
    path = folder / f"{lesson_id}.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["lesson"].update(changes)
    for key in [k for k, v in changes.items() if v is _DROP]:
        del doc["lesson"][key]
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_copied_lessons_load(lessons_dir):
    assert [lesson.number for lesson in load_lessons(lessons_dir)] == list(range(8))


def both(en: str, fr: str) -> dict[str, str]:
    """A lesson text as the files write it: in English and in French."""
    return {"en": en, "fr": fr}


NB = "\u00a0"  # French puts a no-break space before "?" and ":"
QUESTIONS = [both("Why?", f"Pourquoi{NB}?"), both("How?", f"Comment{NB}?")]
OBJECTIVES = [both("Explain signals", "Expliquer les signaux"), both("Run it", "Lancer le simulateur"),
              both("Check it", "Vérifier le fil")]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        (
            {"objectives": [OBJECTIVES[0], both("Understand the feed", "Lire le fil"), OBJECTIVES[1]]},
            'field "objectives" (item 2)',
            'starts with "Understand"',
        ),
        ({"objectives": [both("explain signals", "Expliquer"), *OBJECTIVES[1:]]}, 'field "objectives" (item 1)',
         "capitalised action verb"),
        ({"questions": QUESTIONS[:1]}, 'field "questions"', "at least 2 items"),
        ({"questions": [QUESTIONS[0], both("A statement", f"Une affirmation{NB}?")]}, 'field "questions" (item 2)',
         "question mark"),
        ({"key_points": [both(c, c) for c in "abcdef"]}, 'field "key_points"', "at most 5 items"),
        ({"teaching_minutes": 0}, 'field "teaching_minutes"', "more than 0"),
        ({"exercise_minutes": 7.5}, 'field "exercise_minutes"', "whole number"),
        ({"exercise_minutes": "10"}, 'field "exercise_minutes"', "whole number"),
        ({"number": 4}, 'field "id"', 'must start with "04_"'),
        ({"goal": _DROP}, 'field "goal"', "is missing"),
        ({"article_section": "Qu'est-ce que Twitter ?"}, 'field "article_section"', "must be one of"),
        # Every text of a lesson is written in both languages.
        ({"title": "How the For You feed picks videos"}, 'field "title"', "is in one language only"),
        ({"goal": {"en": "See the feed."}}, 'field "goal"', 'has no "fr:" text'),
        ({"key_points": [both("a", "a"), both("b", "b"), "c"]}, 'field "key_points" (item 3)',
         "is in one language only"),
    ],
)
def test_bad_lesson(lessons_dir, changes, field, words):
    edit_lesson(lessons_dir, "03_feed", **changes)
    with pytest.raises(DataFileError) as caught:
        load_lessons(lessons_dir)
    message = str(caught.value)
    assert message.startswith(f"03_feed.yaml, {field}: "), message
    assert words in message


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        # French objectives are infinitives a learner can be seen doing: never "Comprendre".
        ({"objectives": [OBJECTIVES[0], both("Explain the feed", "Comprendre le fil"), *OBJECTIVES[1:]]},
         'field "objectives" (item 2)', 'must start with an infinitive'),
        ({"objectives": [OBJECTIVES[0], both("Explain the feed", "Comprendre le fil"), *OBJECTIVES[1:]]},
         'field "objectives" (item 2)', 'it starts with "Comprendre"'),
        ({"objectives": [both("Explain signals", "Connaître les signaux"), *OBJECTIVES[1:], OBJECTIVES[0]]},
         'field "objectives" (item 1)', 'it starts with "Connaître"'),
        # A French question ends with " ?", a no-break space before the mark.
        ({"questions": [QUESTIONS[0], both("What now?", "Et maintenant")]}, 'field "questions" (item 2)',
         "must end with a question mark"),
        ({"questions": [QUESTIONS[0], both("What now?", "Et maintenant ?")]}, 'field "questions" (item 2)',
         "no-break space (U+00A0)"),
        ({"questions": [QUESTIONS[0], both("What now?", "Et maintenant?")]}, 'field "questions" (item 2)',
         "no-break space (U+00A0)"),
    ],
)
def test_bad_french_lesson(lessons_dir, changes, field, words):
    """The French rules are checked when the lessons are read in French; the English reading
    of the same file is not held up by them."""
    edit_lesson(lessons_dir, "03_feed", **changes)
    assert load_lessons(lessons_dir)[3].id == "03_feed"
    with speaking("fr"), pytest.raises(DataFileError) as caught:
        load_lessons(lessons_dir)
    message = str(caught.value)
    assert message.startswith(f"03_feed.yaml, {field}: "), message
    assert words in message


def test_a_lesson_reads_in_the_language_spoken(lessons_dir):
    edit_lesson(lessons_dir, "03_feed", title=both("The feed", "Le fil"))
    with speaking("en"):
        assert load_lesson("03_feed", lessons_dir).title == "The feed"
    with speaking("fr"):
        assert load_lesson("03_feed", lessons_dir).title == "Le fil"


def test_lesson_id_must_match_file_name(lessons_dir):
    edit_lesson(lessons_dir, "03_feed", id="03_the_feed")
    with pytest.raises(DataFileError, match='03_feed.yaml, field "id": is "03_the_feed" but must match the file name "03_feed"'):
        load_lessons(lessons_dir)


def test_lesson_numbers_have_no_gap(lessons_dir):
    (lessons_dir / "04_opportunity.yaml").unlink()
    with pytest.raises(DataFileError, match=r'lessons, field "number": .*found 0, 1, 2, 3, 5, 6, 7'):
        load_lessons(lessons_dir)


def test_lesson_numbers_are_unique(lessons_dir):
    text = (lessons_dir / "03_feed.yaml").read_text(encoding="utf-8").replace("03_feed", "03_feed_bis")
    (lessons_dir / "03_feed_bis.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match="found 0, 1, 2, 3, 3, 4"):
        load_lessons(lessons_dir)


def test_empty_lessons_folder(tmp_path):
    with pytest.raises(DataFileError, match="no lesson files"):
        load_lessons(tmp_path)


def test_unknown_lesson_suggests_close_ids(lessons_dir):
    with pytest.raises(KeyError, match=r'No lesson has the id "03-feed". Did you mean: 03_feed\?'):
        load_lesson("03-feed", lessons_dir)


# --------------------------------------------------------------------------
# Property: the row validator never lets anything but DataFileError escape.

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.dates(),
    st.datetimes(),
    st.sampled_from(
        ["High", "percent", "users", "month", "day", "2020-07-01", "verified", "https://a.org", "03_feed",
         "TikTok en chiffres", "Explain it", "Why?"]
    ),
)
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=6)


def _rows_for(model: type, good: dict) -> st.SearchStrategy:
    names = list(model.model_fields)
    keys = st.one_of(st.sampled_from(names), st.text(max_size=8), st.integers(), st.none())
    random_dicts = st.dictionaries(keys, _values, max_size=len(names) + 2)
    near_misses = st.dictionaries(st.sampled_from(names), _values, max_size=4).map(lambda edits: {**good, **edits})
    return random_dicts | near_misses


GOOD_LESSON = dict(
    number=3, id="03_feed", title=both("Feed", "Fil"), goal=both("Play.", "Jouer."), questions=QUESTIONS,
    objectives=OBJECTIVES, key_points=[both("a", "a"), both("b", "b"), both("c", "c")],
    teaching_minutes=10, exercise_minutes=5,
)


@pytest.mark.parametrize(("model", "good"), [(FigureRow, GOOD_FIGURE), (ClaimRow, GOOD_CLAIM), (LessonRow, GOOD_LESSON)])
def test_valid_examples_pass(model, good):
    assert isinstance(validate_row(model, good, file="x.yaml", row=1), model)


@pytest.mark.parametrize(("model", "good"), [(FigureRow, GOOD_FIGURE), (ClaimRow, GOOD_CLAIM), (LessonRow, GOOD_LESSON)])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_row_validator_only_raises_data_file_error(model, good, data):
    row = data.draw(_rows_for(model, good))
    try:
        result = validate_row(model, row, file="any.yaml", row=7, line=70)
    except DataFileError as error:
        assert str(error).startswith("any.yaml, row 7")
        assert error.file == "any.yaml" and error.row == 7
    else:
        assert isinstance(result, model)
        if isinstance(result, FigureRow):
            assert math.isfinite(result.value)
            assert EARLIEST <= result.date <= dt.date.today()


EARLIEST = schemas.EARLIEST_DATE
