"""Exercises with ``check()``, ``hint()`` and ``solution()`` (after Kaggle's learntools).

Over 400 lines: the exercise model, running the learner's code and the check/hint/solution verbs
share one exercise's state.

Each lesson's exercises live in ``data/exercises/<lesson_id>.yaml``; the text a
learner reads (task, hints, messages) is data, never code. An exercise is
checked by how its answer is compared (``kind``; the comparisons themselves are
in :mod:`tiktok_lab.course.answer_check`):

- ``equality``: the learner's value equals the solution's. Numbers use
  ``tolerance`` (relative: 0.01 accepts within 1 % of the expected value; for an
  expected 0 it is absolute). The default 0 means exact, apart from the
  floating-point noise of 1e-9 relative, so ``0.1 + 0.2`` equals ``0.3``. Texts
  ignore capitals and extra spaces; lists and dictionaries compare item by item.
- ``function``: the learner's function, called with each of ``cases``, returns
  what the solution's function returns.
- ``dataframe``: the learner's table has the ``columns`` and, in them, the same
  values row by row as the solution's table.
- ``reflection``: free text of at least ``min_words`` words (default 3), saved
  for later lessons; there is no right answer.
- ``decision``: no code at all: a brief, three or four options and feedback on
  each, answered in a widget. Its fields and its rules are in
  :mod:`tiktok_lab.course.decisions`.
- ``open``: no code either: a brief, a question and a rubric the learner reads before
  writing two or three sentences in a widget; the check says which elements are there and
  what to add. Its fields and rules are in :mod:`tiktok_lab.course.open_answers`; the rest of
  this docstring is about the code exercises. (``reflection`` is the older, typed form of
  an open answer, kept while lessons move to ``open``.)

``tolerance`` applies wherever numbers are compared: the value itself, a
function's results, a table's cells.

A row of the file has these fields (``{en: ..., fr: ...}`` where translatable: every
text a learner reads is in both languages, ``core.content_types.TranslatedText``): ``id`` (kebab-case, unique in the file), ``kind``, ``task``
(translatable), ``variable`` (the name the learner sets; the function's name for
``function``), ``starter`` (code with ``____``; its only copy: the build puts it
into the lesson's exercise cell, see ``kit/lesson_source.py``), ``solution`` (code that sets
``variable``), ``explanation`` (optional, translatable: one line shown under the
solution), ``hints`` (at least two, translatable, from vague to nearly the
answer), ``tolerance``, ``cases``, ``columns``, ``min_words`` (see above),
``wrong_answers`` (a list of ``{code, message}``; at least one, except for
reflections, which have none; the message is kind and never gives the answer) and
``data_corner`` (``true`` for an optional extra for those who like code, outside the main
path: see below) and ``nature`` (optional: ``rule_of_thumb``, ``model`` or ``assumption`` when the expected
answer comes from one of the course's rules of thumb, models or assumptions; the card, the
verdict and the solution then show its label, :mod:`tiktok_lab.core.nature`).

The main path is code-free: a participant who never types Python completes every graded
item of it (decisions, open answers judged by a rubric, quizzes). Arithmetic, pandas and
functions are the optional *data corner* of a lesson: their rows say ``data_corner: true``,
their cells are tagged ``data-corner`` in the lesson's source and come last, before the quiz
(``tests/test_exercise_data.py``). The timing estimate, the agendas, the trainer notes and the
progress report count the main path only (:func:`main_path`).

The expected value is never written down: it comes from running ``solution``
in a fresh namespace (holding ``tl``, ``pd`` and ``np``), once per exercise per
kernel. ``wrong_answers`` are run the same way, so a learner who makes one of
those mistakes gets its own kind message. ``tests/test_exercise_data.py`` proves
every solution right and every wrong answer wrong.

Verdicts (:mod:`tiktok_lab.course.verdicts`) display as a box in a notebook; nothing a
learner types makes ``check()`` show a traceback. The ``____`` blank of starter
code is :mod:`tiktok_lab.course.placeholder`.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import copy
import dataclasses
import io
import keyword
import re
import sys
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field, ValidationInfo, field_validator

from tiktok_lab.course import progress_log
from tiktok_lab.course.answer_check import (
    Outcome,
    describe_error,
    describe_type,
    difference,
    error_outcome,
    frame_difference,
    frame_has_placeholder,
    is_dataframe,
    outcome_difference,
)
from tiktok_lab.core.content_types import ContentModel, TranslatedText
from tiktok_lab.core.datafiles import Source, as_source, data_dir, read_rows, unknown_id
from tiktok_lab.core.i18n import format_number, localized, t
from tiktok_lab.core.nature import Nature, nature_label
from tiktok_lab.course.decisions import Decision, DecisionRow
from tiktok_lab.course.open_answers import OpenAnswer, OpenRow
from tiktok_lab.course.placeholder import (
    PLACEHOLDER_NAME,
    code_mentions_placeholder,
    contains_placeholder,
    install_placeholder,
    is_blank_text,
    is_placeholder,
    is_placeholder_text,
)
from tiktok_lab.core.schemas import KebabId
from tiktok_lab.work.store import get_store
from tiktok_lab.course.verdicts import (
    Broken,
    Correct,
    Hint,
    NotAttempted,
    NotSaved,
    NotYet,
    Recorded,
    Solution,
    Verdict,
    with_notice,
)

__all__ = [
    "AnyExercise", "AnyExerciseRow", "Exercise", "ExerciseBrokenError", "ExerciseRow",
    "WrongAnswer", "code_exercises", "exercise_lesson_ids", "exercises_dir", "learner_namespace",
    "load_exercise", "load_exercise_rows", "load_exercises", "run_code",
]

DEFAULT_MIN_WORDS = 3


# --------------------------------------------------------------------------
# The rows of data/exercises/<lesson_id>.yaml.

Kind = Literal["equality", "function", "dataframe", "reflection"]


def _code(value: Any) -> Any:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be Python code (use a | block for several lines)")
    try:
        compile(value, "<exercise>", "exec")
    except SyntaxError as exc:
        where = f"line {exc.lineno} of the code"
        raise ValueError(f"is not valid Python: {exc.msg} ({where})") from None
    return value.rstrip() + "\n"


Code = Annotated[str, BeforeValidator(_code)]


def _defines(code: str, name: str) -> bool:
    """Whether ``code`` assigns ``name`` or defines a function of that name."""
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id == name:
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            return True
    return False


class WrongAnswer(ContentModel):
    """A plausible mistake: code that makes it, and the kind message for it."""

    code: Code
    message: TranslatedText


class ExerciseRow(ContentModel):
    """One exercise of ``data/exercises/<lesson_id>.yaml``.

    Fields that belong to one kind (``tolerance``, ``cases``, ``columns``,
    ``min_words``) are refused on the others, so a typo in ``kind`` is caught.
    """

    id: KebabId
    kind: Kind
    task: TranslatedText
    variable: str
    starter: Code
    solution: Code
    explanation: TranslatedText | None = None
    hints: Annotated[tuple[TranslatedText, ...], Field(min_length=2)]
    tolerance: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    cases: tuple[tuple[Any, ...], ...] | None = Field(default=None, validate_default=True)
    columns: tuple[str, ...] | None = Field(default=None, validate_default=True)
    min_words: Annotated[int, Field(ge=1, le=100)] | None = None
    wrong_answers: tuple[WrongAnswer, ...] = Field(default=(), validate_default=True)
    nature: Nature | None = None
    data_corner: bool = False

    @field_validator("variable")
    @classmethod
    def _identifier(cls, value: str) -> str:
        if not value.isidentifier() or keyword.iskeyword(value) or value == PLACEHOLDER_NAME:
            raise ValueError(f'"{value}" must be a Python name such as feed_minutes')
        return value

    @field_validator("starter")
    @classmethod
    def _has_blank(cls, value: str, info: ValidationInfo) -> str:
        if PLACEHOLDER_NAME not in value:
            raise ValueError("must contain the ____ blank the learner fills in")
        variable = info.data.get("variable")
        if variable and not _defines(value, variable):
            raise ValueError(f'must set "{variable}" (the variable field)')
        return value

    @field_validator("solution")
    @classmethod
    def _sets_variable(cls, value: str, info: ValidationInfo) -> str:
        variable = info.data.get("variable")
        if variable and not _defines(value, variable):
            raise ValueError(f'must set "{variable}" (the variable field)')
        if PLACEHOLDER_NAME in value:
            raise ValueError("still contains the ____ blank")
        return value

    @field_validator("tolerance")
    @classmethod
    def _tolerance_kind(cls, value: float | None, info: ValidationInfo) -> float | None:
        if value is not None and info.data.get("kind") == "reflection":
            raise ValueError("applies to numbers only; reflections have no tolerance")
        return value

    @field_validator("cases")
    @classmethod
    def _cases_kind(cls, value: Any, info: ValidationInfo) -> Any:
        return _only_for(value, info, "function", "a list of argument lists, such as [[120, 4]]")

    @field_validator("columns")
    @classmethod
    def _columns_kind(cls, value: Any, info: ValidationInfo) -> Any:
        return _only_for(value, info, "dataframe", "the list of columns to compare")

    @field_validator("min_words")
    @classmethod
    def _min_words_kind(cls, value: Any, info: ValidationInfo) -> Any:
        if value is not None and info.data.get("kind") not in (None, "reflection"):
            raise ValueError("applies to reflection exercises only")
        return value

    @field_validator("wrong_answers")
    @classmethod
    def _wrong_answers_kind(cls, value: tuple[WrongAnswer, ...], info: ValidationInfo) -> Any:
        kind = info.data.get("kind")
        variable = info.data.get("variable")
        if kind == "reflection" and value:
            raise ValueError("reflections have no wrong answers; leave this field out")
        if kind in ("equality", "function", "dataframe") and not value:
            raise ValueError(
                "needs at least one plausible mistake (code and message), so that a wrong "
                "answer is proven wrong"
            )
        for number, wrong in enumerate(value, start=1):
            if variable and not _defines(wrong.code, variable):
                raise ValueError(f'item {number}: the code must set "{variable}"')
        return value

    @property
    def words_needed(self) -> int:
        return self.min_words or DEFAULT_MIN_WORDS


def _only_for(value: Any, info: ValidationInfo, kind: str, what: str) -> Any:
    actual = info.data.get("kind")
    if actual is None:
        return value
    if actual == kind and not value:
        raise ValueError(f"is required for {kind} exercises: {what}")
    if actual != kind and value is not None:
        raise ValueError(f"applies to {kind} exercises only")
    return value


def exercises_dir(folder: Source | None = None) -> Traversable:
    """The folder of exercise files (the packaged one by default)."""
    return as_source(folder) if folder is not None else data_dir() / "exercises"


def exercise_lesson_ids(folder: Source | None = None) -> list[str]:
    """The lessons that have an exercise file, sorted."""
    base = exercises_dir(folder)
    if not base.is_dir():
        return []
    return sorted(p.name.removesuffix(".yaml") for p in base.iterdir() if p.name.endswith(".yaml"))


AnyExerciseRow = ExerciseRow | DecisionRow | OpenRow
_ROW_MODELS: dict[str, type] = {"decision": DecisionRow, "open": OpenRow}


class _ExerciseFileRow:
    """What ``read_rows`` validates each row with: a ``kind: decision`` row against
    :class:`DecisionRow`, a ``kind: open`` row against :class:`OpenRow`, any other against
    :class:`ExerciseRow`, so an error names the fields of the row's own kind (a union would
    list every model's complaints)."""

    @classmethod
    def model_validate(cls, data: Any, *, context: Any = None) -> AnyExerciseRow:
        kind = data.get("kind") if isinstance(data, Mapping) else None
        model = _ROW_MODELS.get(kind, ExerciseRow) if isinstance(kind, str) else ExerciseRow
        return model.model_validate(data, context=context)


def load_exercise_rows(lesson_id: str,
                       folder: Source | None = None) -> tuple[AnyExerciseRow, ...]:
    """The validated rows of one lesson's file, every kind in file order;
    a ``DataFileError`` names file, row and field."""
    return read_rows(exercises_dir(folder) / f"{lesson_id}.yaml", "exercises",
                     _ExerciseFileRow)  # type: ignore[type-var]


def _exercise(lesson_id: str, row: AnyExerciseRow) -> AnyExercise:
    if isinstance(row, DecisionRow):
        return Decision(lesson_id, row)
    if isinstance(row, OpenRow):
        return OpenAnswer(lesson_id, row)
    return Exercise(lesson_id, row)


def load_exercises(lesson_id: str, folder: Source | None = None) -> list[AnyExercise]:
    """Every exercise of a lesson, in file order: code exercises, decisions, open answers."""
    return [_exercise(lesson_id, row) for row in load_exercise_rows(lesson_id, folder)]


def code_exercises(lesson_id: str, folder: Source | None = None) -> list[Exercise]:
    """The exercises of a lesson answered in code (``check()``, ``hint()``, ``solution()``)."""
    return [e for e in load_exercises(lesson_id, folder) if isinstance(e, Exercise)]


def is_data_corner(row: AnyExerciseRow) -> bool:
    """Whether an exercise is an optional code extra rather than part of the main path."""
    return bool(getattr(row, "data_corner", False))


def main_path(lesson_id: str, folder: Source | None = None) -> list[AnyExercise]:
    """The exercises of a lesson every participant does, without code, in file order."""
    rows = load_exercise_rows(lesson_id, folder)
    return [_exercise(lesson_id, row) for row in rows if not is_data_corner(row)]


def load_exercise(lesson_id: str, exercise_id: str,
                  folder: Source | None = None) -> AnyExercise:
    """One exercise, without any widget (see ``tiktok_lab.ui.exercise.exercise``)."""
    rows = load_exercise_rows(lesson_id, folder)
    for row in rows:
        if row.id == exercise_id:
            return _exercise(lesson_id, row)
    raise unknown_id("exercise of lesson", exercise_id, [row.id for row in rows], lesson=lesson_id)


# "Exercise N" is never typed: ``{exercise}`<id>``` in a heading, a trainer note or a lesson
# file becomes "Exercise N", N the exercise's position in its lesson's file.
EXERCISE_REFERENCE = re.compile(r"\{exercise\}`([^`]+)`")


def exercise_number(lesson_id: str, exercise_id: str, folder: Source | None = None) -> int:
    """The exercise's position (from 1) in its lesson's file."""
    ids = [row.id for row in load_exercise_rows(lesson_id, folder)]
    if exercise_id not in ids:
        raise unknown_id("exercise of lesson", exercise_id, ids, lesson=lesson_id)
    return ids.index(exercise_id) + 1


def number_exercises(text: str, lesson_id: str, folder: Source | None = None) -> str:
    """``text`` with each ``{exercise}`<id>``` written as "Exercise N", in the current language
    ("Exercice N" in French)."""
    if "{exercise}" not in text:
        return text

    def numbered(match: "re.Match[str]") -> str:
        # Inside a sentence, French writes « l'exercice 5 »: the capital is for a heading or
        # a sentence's start ("Exercise 5" either way in English).
        before = text[:match.start()].rstrip(" *_")
        key = ("exercise.numbered" if not before or before[-1] in "\n#.!?>-|"
               else "exercise.numbered_inline")
        return t(key, number=exercise_number(lesson_id, match.group(1), folder))

    return EXERCISE_REFERENCE.sub(numbered, text)


def number_exercises_in(record: Any, lesson_id: str) -> Any:
    """A content record (lesson, trainer notes) with every ``{exercise}`<id>``` numbered.

    The record is walked field by field and copied only where a text changed: its texts may
    be LocalizedText, already read in one language, which a dump could not validate again
    (a dumped ``str`` is not ``{en, fr}``). Numbering never breaks a rule the record was
    checked against, so the copies are not validated again.
    """
    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return number_exercises(value, lesson_id)
        if isinstance(value, BaseModel):
            changes = {}
            for name in type(value).model_fields:
                old = getattr(value, name)
                new = walk(old)
                if new is not old and new != old:
                    changes[name] = new
            return value.model_copy(update=changes) if changes else value
        if isinstance(value, Mapping):
            return {key: walk(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(walk(item) for item in value)
        return value

    return walk(record)


# --------------------------------------------------------------------------
# Running reference code.


class ExerciseBrokenError(RuntimeError):
    """An exercise's own solution fails: tests raise it, learners see a friendly box."""


def run_code(code: str, *, label: str = "<exercise>",
             namespace: MutableMapping[str, Any] | None = None) -> MutableMapping[str, Any]:
    """Run ``code`` the way the notebook would after ``import tiktok_lab as tl``.

    A fresh namespace holds ``tl``, ``pd``, ``np`` and ``____``; what the code
    prints is discarded (a check should not flood the notebook).
    """
    import numpy as np
    import pandas as pd

    import tiktok_lab

    ns = namespace if namespace is not None else {}
    ns.setdefault("__builtins__", builtins)
    ns.setdefault("__name__", "__exercise__")
    ns.setdefault("tl", tiktok_lab)
    ns.setdefault("pd", pd)
    ns.setdefault("np", np)
    install_placeholder(ns)
    with _quiet():
        exec(compile(code, label, "exec"), ns)  # noqa: S102 - our own packaged code
    return ns


_WORD = re.compile(r"\S+")


def _count_words(text: str, enough: int) -> int:
    """Words with a letter or digit in them, counted until ``enough`` (a pasted book
    is not read to the end just to learn it has more than three words)."""
    count = 0
    for match in _WORD.finditer(text):
        if any(c.isalnum() for c in match.group()):
            count += 1
            if count >= enough:
                break
    return count


class _Sink(io.StringIO):
    """Keeps at most a few kB of what learner code prints (a loop may print millions)."""

    def write(self, text: str) -> int:
        if self.tell() < 10_000:
            super().write(text[:10_000])
        return len(text)


@contextlib.contextmanager
def _quiet():
    with contextlib.redirect_stdout(_Sink()), contextlib.redirect_stderr(_Sink()):
        yield


def _outcomes(func: Any, cases: tuple[tuple[Any, ...], ...]) -> list[Outcome]:
    """What ``func`` returns, or the error it raises, for each case (quietly)."""
    results: list[Outcome] = []
    for case in cases:
        args = copy.deepcopy(list(case))  # a function editing its input must not change the cases
        try:
            with _quiet():
                results.append(("ok", func(*args)))
        except (Exception, SystemExit) as exc:  # a learner's function may fail in any way
            results.append(error_outcome(exc))
    return results


_MISSING = object()
_expected_cache: dict[tuple[str, str], Any] = {}
_wrong_cache: dict[tuple[str, str], list[tuple[Any, Any]]] = {}
# Hints shown in this kernel, per (my_work folder, lesson, exercise): the next hint
# still comes when progress cannot be saved (a read-only my_work/).
_hints_shown: dict[tuple[str, str, str], int] = {}


# --------------------------------------------------------------------------
# The exercise.


def _user_namespace() -> MutableMapping[str, Any] | None:
    """IPython's user namespace when running in a notebook (or IPython), else None."""
    ipython = sys.modules.get("IPython")  # only if already imported: a notebook has it
    shell = ipython.get_ipython() if ipython is not None else None
    return shell.user_ns if shell is not None else None


def _caller_globals() -> MutableMapping[str, Any]:
    """The globals of the first frame outside this package (a script or a test)."""
    frame = sys._getframe(1)
    while frame is not None and str(frame.f_globals.get("__name__", "")).startswith("tiktok_lab"):
        frame = frame.f_back
    return frame.f_globals if frame is not None else {}


def learner_namespace() -> MutableMapping[str, Any]:
    """Where the learner's variables are: the notebook's, or the caller's globals."""
    namespace = _user_namespace()
    return namespace if namespace is not None else _caller_globals()


@dataclass(frozen=True)
class Exercise:
    """One exercise of a lesson: ``check()``, ``hint()`` and ``solution()``."""

    lesson_id: str
    row: ExerciseRow

    @property
    def id(self) -> str:
        return self.row.id

    @property
    def kind(self) -> str:
        return self.row.kind

    @property
    def variable(self) -> str:
        return self.row.variable

    @property
    def tolerance(self) -> float:
        return self.row.tolerance or 0.0

    @property
    def starter(self) -> str:
        """The starter code, with its ``____`` (the trainer edition swaps it for the solution)."""
        return self.row.starter

    @property
    def solution(self) -> str:
        """The reference code (the learner's verb is :meth:`show_solution`, ``q.solution()``)."""
        return self.row.solution

    def task(self, language: str | None = None) -> str:
        return localized(self.row.task, language=language)

    @property
    def nature(self) -> str | None:
        """``rule_of_thumb``, ``model`` or ``assumption`` when the answer rests on one."""
        return self.row.nature

    def nature_note(self, language: str | None = None) -> str:
        """The label of what the answer rests on ("" for an answer that rests on facts)."""
        return nature_label(self.row.nature, language) if self.row.nature else ""

    def hints(self, language: str | None = None) -> list[str]:
        return [localized(hint, language=language) for hint in self.row.hints]

    def _label(self, part: str) -> str:
        return f"<{self.lesson_id}/{self.id} {part}>"

    # -- expected values (computed, never written down) --------------------

    def _cache_key(self) -> tuple[str, str]:
        return self.lesson_id, repr(self.row)

    def expected(self) -> Any:
        """What the solution produces (its outcomes for a function exercise).

        Raises ``ExerciseBrokenError`` when the solution fails: tests let it
        fail loudly, ``check()`` turns it into a friendly box.
        """
        key = self._cache_key()
        if key not in _expected_cache:
            _expected_cache[key] = self._observe_reference(self.row.solution, "solution")
        return _expected_cache[key]

    def _observe_reference(self, code: str, part: str) -> Any:
        where = f"{self.lesson_id}/{self.id}: the {part}"
        try:
            namespace = run_code(code, label=self._label(part))
        except Exception as exc:
            raise ExerciseBrokenError(f"{where} raised {type(exc).__name__}: {exc}") from exc
        value = namespace.get(self.variable, _MISSING)
        if value is _MISSING:
            raise ExerciseBrokenError(f'{where} does not set "{self.variable}"')
        if self.kind == "function":
            if not callable(value):
                raise ExerciseBrokenError(f'{where} sets "{self.variable}", but not to a function')
            outcomes = _outcomes(value, self.row.cases or ())
            failed = [o for o in outcomes if o[0] == "error"]
            if failed and part == "solution":
                error = failed[0][1]
                raise ExerciseBrokenError(f"{where} fails on a case: {error}")
            return outcomes
        if self.kind == "dataframe":
            if not is_dataframe(value):
                raise ExerciseBrokenError(f'{where} sets "{self.variable}", but not to a DataFrame')
            missing = [c for c in self.row.columns or () if c not in value.columns]
            if missing:
                raise ExerciseBrokenError(f'{where} has no column "{missing[0]}"')
        return value

    def wrong_values(self) -> list[tuple[Any, Any]]:
        """(message, what the mistake produces) for each wrong answer that runs.

        A wrong answer whose code fails is skipped here (the learner still gets
        a generic message); the data tests catch it.
        """
        key = self._cache_key()
        if key not in _wrong_cache:
            values = []
            for number, wrong in enumerate(self.row.wrong_answers, start=1):
                try:
                    values.append((wrong.message,
                                   self._observe_reference(wrong.code, f"wrong answer {number}")))
                except ExerciseBrokenError:
                    continue
            _wrong_cache[key] = values
        return _wrong_cache[key]

    # -- judging a value (pure: nothing recorded) ---------------------------

    def verdict_for(self, value: Any) -> Verdict:
        """The verdict for a learner's value; ``_MISSING`` when it is not defined. A verdict
        judged against a rule of thumb, a model or an assumption says so (its ``note``)."""
        try:
            verdict = self._judge(value)
            if self.nature and isinstance(verdict, (Correct, NotYet)):
                verdict = dataclasses.replace(verdict, note=self.nature_note())
            return verdict
        except ExerciseBrokenError:
            return Broken(t("exercise.broken", lesson=self.lesson_id, exercise=self.id))
        except (Exception, SystemExit) as exc:  # a value nobody foresaw: say so in words
            return NotYet(t("exercise.unexpected", error=describe_error(exc)))

    def _judge(self, value: Any) -> Verdict:
        if value is _MISSING:
            return NotAttempted(t("exercise.missing", variable=self.variable))
        if self.kind == "reflection":
            return self._judge_reflection(value)
        if is_placeholder(value) or is_placeholder_text(value):
            return NotAttempted(t("exercise.not_attempted", variable=self.variable))
        if self.kind == "function":
            return self._judge_function(value)
        if self.kind == "dataframe":
            return self._judge_frame(value)
        if contains_placeholder(value):
            return NotAttempted(t("exercise.not_attempted", variable=self.variable))
        return self._compare(value, lambda want, got: difference(want, got, self.tolerance))

    def _compare(self, observed: Any, diff: Any) -> Verdict:
        problem = diff(self.expected(), observed)
        if problem is None:
            return Correct(t("exercise.correct"))
        for message, wrong in self.wrong_values():
            if diff(wrong, observed) is None:
                return NotYet(localized(message))
        return NotYet(problem)

    def _judge_function(self, value: Any) -> Verdict:
        if not callable(value) or isinstance(value, type):
            return NotYet(t("exercise.not_a_function", variable=self.variable))
        if code_mentions_placeholder(value):
            return NotAttempted(t("exercise.function_placeholder", variable=self.variable))
        cases = self.row.cases or ()
        self.expected()  # a broken solution is reported before the learner's code runs
        outcomes = _outcomes(value, cases)
        if any(o[0] == "ok" and contains_placeholder(o[1]) for o in outcomes):
            return NotAttempted(t("exercise.function_placeholder", variable=self.variable))
        return self._compare(outcomes, lambda want, got: outcome_difference(
            want, got, self.variable, cases, self.tolerance))

    def _judge_frame(self, value: Any) -> Verdict:
        if is_dataframe(value) and frame_has_placeholder(value):
            return NotAttempted(t("exercise.not_attempted", variable=self.variable))
        columns = self.row.columns or ()
        return self._compare(value, lambda want, got: frame_difference(
            want, got, columns, self.tolerance))

    def _judge_reflection(self, value: Any) -> Verdict:
        if is_placeholder(value) or is_blank_text(value):
            return NotAttempted(t("exercise.not_attempted", variable=self.variable))
        if not isinstance(value, str):
            return NotYet(t("exercise.not_text", given=describe_type(value)))
        text = str.__str__(value)  # a plain str, whatever a subclass overrides
        count = _count_words(text, self.row.words_needed)
        if count < self.row.words_needed:
            return NotYet(t("exercise.too_short", min_words=self.row.words_needed, count=count))
        kept = progress_log.kept_answer(text)
        if len(text) <= progress_log.MAX_ANSWER_CHARS:
            return Recorded(t("exercise.recorded"), quote=kept)
        # Judged whole, kept in part: say so rather than cut the answer silently.
        return Recorded(t("exercise.recorded_cut", kept=format_number(len(kept), digits=0),
                          length=format_number(len(text), digits=0)), quote=kept)

    # -- the learner's verbs (recorded in progress) --------------------------

    def check(self, namespace: Mapping[str, Any] | None = None) -> Verdict:
        """Judge the learner's variable and record the verdict.

        The variable is read from ``namespace`` if given, else from the
        notebook (IPython's user namespace), else from the caller's globals.
        """
        if namespace is None:
            namespace = learner_namespace()
        try:
            value = namespace.get(self.variable, _MISSING)
        except Exception:
            value = _MISSING
        verdict = self.verdict_for(value)
        if isinstance(verdict, Broken):
            return verdict
        answer = verdict.quote if isinstance(verdict, Recorded) else None
        notice = progress_log.record_check(self.lesson_id, self.id, verdict.status, answer)
        if answer is not None and progress_log.cannot_save():
            # The store's reason is told once (the notice); "Saved" would be untrue every time.
            verdict = NotSaved(t("exercise.not_saved"), quote=answer)
        return with_notice(verdict, notice)

    def hints_seen(self) -> int:
        """How many hints the learner has seen: saved in progress (survives a restart),
        or counted in this kernel when the work cannot be saved."""
        record = progress_log.lesson_entry(self.lesson_id).exercises.get(self.id)
        saved = record.hints or 0 if record is not None else 0
        return max(saved, _hints_shown.get(self._key(), 0))

    def _key(self) -> tuple[str, str, str]:
        return str(get_store().home), self.lesson_id, self.id

    def hint(self) -> Hint:
        """The next hint (1/3, 2/3, 3/3), then a reminder that the solution is there."""
        hints = self.hints()
        seen = self.hints_seen()
        number = min(seen + 1, len(hints))
        _hints_shown[self._key()] = number
        notice = progress_log.record_hint(self.lesson_id, self.id, number)
        if seen >= len(hints):
            return with_notice(Hint(hints[-1], len(hints), len(hints), no_more=True), notice)
        return with_notice(Hint(hints[seen], number, len(hints)), notice)

    def show_solution(self) -> Solution:
        """The reference code, and a line on why; recorded as seen."""
        notice = progress_log.record_solution(self.lesson_id, self.id)
        explanation = localized(self.row.explanation) if self.row.explanation else ""
        return with_notice(Solution(self.row.solution, explanation, note=self.nature_note()),
                           notice)


AnyExercise = Exercise | Decision | OpenAnswer
