"""Comparing a learner's value with the expected one, in words a marketer reads.

Pure functions: each returns None when the value counts as right, otherwise a
short message on what differs, which never states the expected value (that
would give the answer away).

- Numbers use ``tolerance`` (relative: 0.01 accepts within 1 % of the expected
  value; for an expected 0 it is absolute). The default 0 means exact, apart
  from the floating-point noise of 1e-9 relative, so ``0.1 + 0.2`` equals
  ``0.3``.
- Texts ignore capitals and extra spaces; lists and dictionaries compare item by
  item (:func:`difference`).
- Tables compare the chosen columns row by row (:func:`frame_difference`).
- Functions compare what they return, or the error they raise, for each case
  (:func:`outcome_difference`).

pandas and NumPy are never imported here: a value can only be a DataFrame if
pandas is already loaded.
"""

from __future__ import annotations

import math
import numbers
import reprlib
import sys
import unicodedata
from typing import Any

from tiktok_lab.core.cleaning import sendable_text, shorten
from tiktok_lab.core.i18n import format_number, t
from tiktok_lab.course.placeholder import PLACEHOLDER_NAME, is_placeholder, is_placeholder_text

__all__ = [
    "FLOAT_NOISE", "Outcome", "describe_error", "describe_type", "difference", "error_outcome",
    "frame_difference", "frame_has_placeholder", "is_dataframe", "outcome_difference",
]

FLOAT_NOISE = 1e-9  # relative; absorbs rounding such as 0.1 + 0.2 != 0.3

# ("ok", value) | ("error", exception type name, what went wrong in words: an
# ``exercise.error.*`` key and its values, so the words follow the learner's language)
Outcome = tuple

_repr = reprlib.Repr()
_repr.maxstring = 60
_repr.maxother = 60
_repr.maxlist = _repr.maxtuple = 6
_repr.maxdict = 4
_repr.maxlevel = 2


# Whole numbers beyond this are described by their size: their digits mean nothing
# to a reader, and Python refuses to write out more than 4,300 of them.
_LONG_NUMBER = 10**50


def _plain_scalar(value: Any) -> Any:
    """A NumPy scalar as the Python number it holds: ``df[col].sum()`` gives
    ``np.int64(5)``, and a learner should read "5"."""
    np = _module("numpy")
    if np is not None and isinstance(value, np.generic):
        try:
            return value.item()
        except Exception:
            return value
    return value


def _is_missing_marker(value: Any) -> bool:
    """pandas' NaT (and NA): a missing value, whose type name means nothing to a learner."""
    pd = _module("pandas")
    return pd is not None and (value is pd.NaT or value is getattr(pd, "NA", None))


def _short(value: Any) -> str:
    """A one-line, bounded description of any value (even one whose repr fails)."""
    value = _plain_scalar(value)
    if _is_missing_marker(value):
        return t("exercise.type.missing")
    if is_dataframe(value):
        return t("exercise.type.table")
    if isinstance(value, int) and not _is_bool(value) and abs(value) >= _LONG_NUMBER:
        key = "exercise.type.huge_negative" if value < 0 else "exercise.type.huge_number"
        return t(key, digits=format_number(int(math.log10(abs(value))) + 1, digits=0))
    try:
        return sendable_text(shorten(" ".join(_repr.repr(value).split())))
    except Exception:
        return describe_type(value)


def _module(name: str) -> Any:
    """A library only if already imported: a value cannot be a DataFrame otherwise."""
    return sys.modules.get(name)


def is_dataframe(value: Any) -> bool:
    pd = _module("pandas")
    return pd is not None and isinstance(value, pd.DataFrame)


def _is_series(value: Any) -> bool:
    pd = _module("pandas")
    return pd is not None and isinstance(value, pd.Series)


def _is_bool(value: Any) -> bool:
    np = _module("numpy")
    return isinstance(value, bool) or (np is not None and isinstance(value, np.bool_))


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not _is_bool(value)


def describe_type(value: Any) -> str:
    if is_placeholder(value):
        return PLACEHOLDER_NAME
    if value is None:
        return t("exercise.type.nothing")
    if _is_missing_marker(value):
        return t("exercise.type.missing")
    if _is_bool(value):
        return t("exercise.type.yes_no")
    if _is_number(value):
        return t("exercise.type.number")
    if isinstance(value, str):
        return t("exercise.type.text")
    if isinstance(value, (list, tuple)):
        return t("exercise.type.list")
    if isinstance(value, dict):
        return t("exercise.type.dict")
    if is_dataframe(value):
        return t("exercise.type.table")
    if _is_series(value):
        return t("exercise.type.column")
    if type(value).__name__ == "ndarray":  # NumPy's array, without importing NumPy
        return t("exercise.type.list")
    if isinstance(value, BaseException):
        return t("exercise.type.error")
    if isinstance(value, type):
        return t("exercise.type.kind")
    if callable(value):
        return t("exercise.type.function")
    return t("exercise.type.other", name=sendable_text(shorten(type(value).__name__, 40)))


# What went wrong, in words, by kind of error; the first match wins (RecursionError
# is a RuntimeError, ZeroDivisionError an ArithmeticError, UnicodeError a ValueError).
_ERROR_KINDS: tuple[tuple[type[BaseException], str], ...] = (
    (ZeroDivisionError, "zero_division"), (OverflowError, "overflow"),
    (RecursionError, "recursion"), (MemoryError, "memory"), (NameError, "name"),
    (KeyError, "key"), (IndexError, "index"), (AttributeError, "attribute"),
    (TypeError, "type"), (ValueError, "value"), (SystemExit, "exit"),
)


def error_outcome(error: BaseException) -> Outcome:
    """How a learner's function failed: ``("error", type name, key, values)``.

    The type name only tells two failures apart (a case where the reference
    answer fails too); the learner reads the key's words (:func:`describe_error`).
    """
    kind = next((kind for cls, kind in _ERROR_KINDS if isinstance(error, cls)), "other")
    values: dict[str, str] = {}
    if kind == "name":
        name = getattr(error, "name", None)
        if isinstance(name, str) and name.isidentifier():
            values["name"] = shorten(name, 40)
        else:
            kind = "other"
    elif kind == "key":
        values["key"] = _short(error.args[0]) if error.args else ""
        kind = "key" if values["key"] else "other"
    return ("error", type(error).__name__, f"exercise.error.{kind}", values)


def describe_error(error: BaseException | Outcome) -> str:
    """What went wrong, in plain words (never the exception's name nor Python's message)."""
    outcome = error if isinstance(error, tuple) else error_outcome(error)
    return t(outcome[2], **outcome[3])


def _wrong_type(expected: Any, given: Any) -> str:
    return t("exercise.wrong_type", expected=describe_type(expected), given=describe_type(given))


def _normal_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _looks_numeric(text: str) -> bool:
    cleaned = text.strip().replace(",", ".").replace(" ", "").rstrip("%")
    try:
        float(cleaned)
    except ValueError:
        return False
    return bool(cleaned)


def _close(given: float, expected: float, tolerance: float) -> bool:
    if expected == 0:
        return abs(given) <= tolerance
    return math.isclose(given, expected, rel_tol=max(tolerance, FLOAT_NOISE))


def _number_difference(expected: Any, given: Any, tolerance: float) -> str | None:
    try:
        if bool(given == expected):
            return None
    except Exception:
        pass
    try:
        given_f, expected_f = float(given), float(expected)
    except OverflowError:  # a whole number too large for a float: compare it exactly
        key = "exercise.too_high" if _exactly_greater(given, expected) else "exercise.too_low"
        return t(key, value=_short(given))
    except (ValueError, TypeError):
        return t("exercise.not_right")
    if math.isnan(given_f):
        return t("exercise.nan")
    if math.isinf(given_f):
        return t("exercise.infinite")
    if _close(given_f, expected_f, tolerance):
        return None
    key = "exercise.too_high" if given_f > expected_f else "exercise.too_low"
    return t(key, value=_short(given))


def _exactly_greater(given: Any, expected: Any) -> bool:
    """``given > expected`` when one of them is too large for a float.

    A NumPy number cannot compare with such a whole number (it raises), but a
    Python float compares with any whole number exactly.
    """
    try:
        expected = float(expected)
    except OverflowError:  # both are huge whole numbers: Python compares them exactly
        pass
    return bool(given > expected)


def difference(expected: Any, given: Any, tolerance: float = 0.0) -> str | None:
    """None when ``given`` counts as ``expected``; otherwise what differs, in words.

    The message never states the expected value (that would give the answer
    away), only the kind of problem.
    """
    if _is_number(expected):
        if _is_number(given):
            return _number_difference(expected, given, tolerance)
        if isinstance(given, str) and _looks_numeric(given):
            return t("exercise.text_not_number", value=_short(given))
        return _wrong_type(expected, given)
    if isinstance(expected, str):
        if not isinstance(given, str):
            return _wrong_type(expected, given)
        return None if _normal_text(given) == _normal_text(expected) else t("exercise.text_differs")
    if _is_bool(expected):
        if not _is_bool(given):
            return _wrong_type(expected, given)
        return None if bool(given) == bool(expected) else t("exercise.not_right")
    if expected is None:
        return None if given is None else t("exercise.not_right")
    if isinstance(expected, (list, tuple)):
        return _list_difference(expected, given, tolerance)
    if isinstance(expected, dict):
        return _dict_difference(expected, given, tolerance)
    if is_dataframe(expected):
        return frame_difference(expected, given, tuple(expected.columns), tolerance)
    try:
        same = bool(expected == given)
    except Exception:
        same = False
    return None if same else t("exercise.not_right")


def _list_difference(expected: list | tuple, given: Any, tolerance: float) -> str | None:
    if _is_series(given) or type(given).__name__ == "ndarray":
        try:
            given = given.tolist()
        except Exception:
            return _wrong_type(expected, given)
    if not isinstance(given, (list, tuple)):
        return _wrong_type(expected, given)
    if len(given) != len(expected):
        return t("exercise.list_length", expected=len(expected), given=len(given))
    for position, (want, got) in enumerate(zip(expected, given), start=1):
        if difference(want, got, tolerance) is not None:
            return t("exercise.list_item", position=position)
    return None


def _dict_difference(expected: dict, given: Any, tolerance: float) -> str | None:
    if not isinstance(given, dict):
        return _wrong_type(expected, given)
    for key in expected:
        if key not in given:
            return t("exercise.dict_missing", key=_short(key))
    for key in given:
        if key not in expected:
            return t("exercise.dict_extra", key=_short(key))
    for key, want in expected.items():
        if difference(want, given[key], tolerance) is not None:
            return t("exercise.dict_value", key=_short(key))
    return None


def _cell_missing(value: Any) -> bool:
    pd = _module("pandas")
    try:
        result = pd.isna(value) if pd is not None else value is None
    except Exception:
        return False
    return result is True or (_is_bool(result) and bool(result))


def frame_difference(expected: Any, given: Any, columns: tuple[str, ...],
                     tolerance: float = 0.0) -> str | None:
    """None when ``given`` has ``columns`` holding the expected values, row by row
    (the index and any other column are ignored); otherwise what differs."""
    if not is_dataframe(given):
        return _wrong_type(expected, given)
    for column in columns:
        if column not in given.columns:
            names = ", ".join(_label(c) for c in list(given.columns)[:12]) or "–"
            return t("exercise.missing_column", column=column, columns=names)
    if len(given) != len(expected):
        return t("exercise.row_count", expected=len(expected), given=len(given))
    for column in columns:
        got = given[column]
        if is_dataframe(got):
            return t("exercise.duplicate_column", column=column)
        for row, (want, value) in enumerate(zip(expected[column].tolist(), got.tolist()), start=1):
            if _cell_missing(want) and _cell_missing(value):
                continue
            if difference(want, value, tolerance) is not None:
                return t("exercise.column_values", column=column, row=row)
    return None


def _label(column: Any) -> str:
    """A column's name as a table shows it (``share``, not ``'share'``)."""
    try:
        return sendable_text(shorten(str(column), 30))
    except Exception:  # a learner's object as a column name, whose str fails
        return describe_type(column)


def frame_has_placeholder(frame: Any) -> bool:
    for column in frame.columns:
        try:
            series = frame[column]
            if _is_series(series) and series.dtype.kind not in "biufcmM" and any(
                is_placeholder(v) or is_placeholder_text(v) for v in series.head(10_000).tolist()
            ):
                return True
        except Exception:
            continue
    return False


# --------------------------------------------------------------------------
# Function exercises: what a function returns (or raises) for each case.


def _call_text(name: str, case: tuple) -> str:
    return shorten(f"{name}({', '.join(_short(arg) for arg in case)})", 100)


def outcome_difference(expected: list[Outcome], given: list[Outcome], name: str,
                       cases: tuple[tuple[Any, ...], ...], tolerance: float = 0.0) -> str | None:
    """None when ``given`` returns (or fails) like ``expected`` on every case."""
    for case, want, got in zip(cases, expected, given):
        call = _call_text(name, case)
        if got[0] == "error":
            if want[0] == "error" and want[1] == got[1]:
                continue
            return t("exercise.function_error", call=call, error=describe_error(got))
        if want[0] == "error":
            return t("exercise.not_right")
        if got[1] is None and want[1] is not None:
            return t("exercise.function_none", call=call)
        detail = difference(want[1], got[1], tolerance)
        if detail is not None:
            return t("exercise.function_case", call=call, detail=detail)
    return None

