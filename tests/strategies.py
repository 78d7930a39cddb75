"""Hypothesis strategies for what learners actually type, paste and pick.

Workshop participants are not programmers: they leave boxes empty, paste text
from a slide with emoji and HTML, type ``1,000`` or ``"3"`` for a number, hit
a key twice, write Arabic or Hebrew, or pass ``None``. The property tests in
``tests/test_properties_*.py`` feed these to every public function that takes
learner input (inventory: ``docs/robustness.md``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from hypothesis import strategies as st

# Text a participant might type or paste into a box.
NASTY_TEXTS = (
    "", " ", "   \t\n", "\u00a0", "\u200b", "😀", "🎵🔥💯", "👩🏽‍💻", "<b>bold</b>",
    "<script>alert('x')</script>", "<img src=x onerror=alert(1)>", "{name}", "{0}", "%s",
    "مرحبا بالعالم", "שלום עולם", "\u202eevil", "Crème brûlée", "ﬁ", "NaN", "inf", "-1",
    "1,000", "1 000", "1.5k", "3", "  7  ", "None", "null", "[]", "{}", "a" * 5000,
    "line1\nline2\r\nline3", "\x00\x07\x1b[31m", "../../etc/passwd", "C:\\Users\\me",
    "'; DROP TABLE x; --", "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
)

texts = st.one_of(st.sampled_from(NASTY_TEXTS), st.text(max_size=60))

# Numbers as learners give them, including everything floats can be.
NASTY_NUMBERS = (
    0, -0.0, 1, -1, 7, 1e308, -1e308, 10**30, -(10**30), 2**63, 10**400, -(10**400),
    math.nan, math.inf, -math.inf,
    0.1, 1e-320, True, False,
)
numbers = st.one_of(
    st.sampled_from(NASTY_NUMBERS),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
)
# A number typed as text: "1,000", " 3 ", "2.5", "1e400"...
number_texts = st.one_of(
    st.sampled_from(["1,000", "1 000", "2,5", " 3 ", "1e400", "-5", "0x10", "½", "٣", "1_000"]),
    numbers.map(str),
)

# Anything at all a cell might pass: the shapes a Python beginner produces.
scalars = st.one_of(st.none(), texts, numbers, number_texts, st.booleans())
learner_values = st.one_of(
    scalars,
    st.lists(scalars, max_size=4),
    st.tuples(scalars, scalars),
    st.dictionaries(texts, scalars, max_size=3),
    st.sets(st.one_of(st.none(), st.integers(), st.text(max_size=5)), max_size=3),
    st.just(b"bytes"),
)


def ids_or_nonsense(known: list[str] | tuple[str, ...]) -> st.SearchStrategy[Any]:
    """A valid id most of the time, else a near-miss (case, spaces) or junk."""
    known = list(known)
    near = [k.upper() for k in known] + [f" {k} " for k in known] + [k[:-1] for k in known if k]
    return st.one_of(st.sampled_from(known), st.sampled_from(near), scalars)


def picks_or_nonsense(known: list[str] | tuple[str, ...]) -> st.SearchStrategy[Any]:
    """A list of valid ids, with duplicates and strays mixed in, or a lone value."""
    return st.one_of(st.lists(ids_or_nonsense(known), max_size=5), ids_or_nonsense(known))


# What a learner must never see in a message: internals from the libraries or from us,
# including any exception's class name (OverflowError, ZeroDivisionError...), an OS error
# number, or Python's own wording of an error.
_JARGON = re.compile(
    r"Traceback|numpy|np\.|ndarray|dtype|float64|int64|pydantic|ValidationError|validation error"
    r"|errors\.pydantic|input_value=|input_type=|<[a-zA-Z_.]+ object at 0x|object at 0x|\bNoneType\b"
    r"|__\w+__|\bself\b|\bkwargs\b|TypeError|ValueError|KeyError|AttributeError|IndexError"
    r"|\b[A-Z]\w*(?:Error|Exception)\b|\bErrno\b|\bSystemExit\b|\bStopIteration\b"
    r"|\bKeyboardInterrupt\b|\bGeneratorExit\b|too large to convert|Exceeds the limit"
    r"|integer string conversion|<(?:int|float|str|list|dict|tuple|set|bytes|object|type)>"
)


def assert_plain(message: str) -> None:
    """A message a participant can read: not empty, no jargon, no repr of our objects,
    and text a browser can receive (a lone surrogate cannot be sent to the page)."""
    assert isinstance(message, str) and message.strip(), "a friendly message says something"
    found = _JARGON.search(message)
    assert not found, f"jargon {found.group(0)!r} in a learner message: {message!r}"
    message.encode("utf-8")  # raises on a lone surrogate


# --------------------------------------------------------------------------
# Values no learner means to give, but a cell can produce: numbers too big for a float,
# text with lone surrogates (pasted from a broken source), lists nested beyond Python's
# recursion limit, and objects whose every method fails. Answer checks must still reply.


class Hostile:
    """An object whose repr, str, comparisons, hash, truth, length, iteration and
    conversions all raise ``error`` (what a learner's half-written class can do).

    Its methods fail only inside ``with Hostile.armed():`` (around the code under
    test), so that Hypothesis and pytest can still print a failing example.
    """

    _armed = False

    def __init__(self, error: type[BaseException] = RuntimeError) -> None:
        object.__setattr__(self, "_error", error)

    @staticmethod
    @contextmanager
    def armed() -> Iterator[None]:
        Hostile._armed = True
        try:
            yield
        finally:
            Hostile._armed = False

    def __repr__(self) -> str:
        if not Hostile._armed:
            return f"Hostile({object.__getattribute__(self, '_error').__name__})"
        raise object.__getattribute__(self, "_error")("hostile")


def _failing(calm: Any) -> Any:
    """A method that raises the object's error when armed, else behaves like ``calm``."""

    def method(self: Hostile, *args: Any) -> Any:
        if Hostile._armed:
            raise object.__getattribute__(self, "_error")("hostile")
        return calm(self, *args)

    return method


for _name, _calm in {
    "__str__": repr, "__format__": lambda self, spec: repr(self),
    "__eq__": lambda self, other: self is other, "__ne__": lambda self, other: self is not other,
    "__hash__": id, "__bool__": lambda self: True, "__len__": lambda self: 0,
    "__iter__": lambda self: iter(()), "__contains__": lambda self, item: False,
    "__float__": lambda self: 0.0, "__int__": lambda self: 0, "__index__": lambda self: 0,
    "__getitem__": lambda self, key: None, "__copy__": lambda self: self,
    "__deepcopy__": lambda self, memo: self,
    **{name: lambda self, *args: NotImplemented for name in (
        "__lt__", "__le__", "__gt__", "__ge__", "__add__", "__radd__", "__sub__", "__rsub__",
        "__mul__", "__rmul__", "__truediv__", "__rtruediv__")},
    **{name: lambda self: self for name in ("__round__", "__abs__", "__neg__")},
}.items():
    setattr(Hostile, _name, _failing(_calm))
del _name, _calm


class HostileKey(Hostile):
    """The same, but usable as a dictionary key (its hash works)."""

    __hash__ = object.__hash__


HOSTILE_ERRORS = (RuntimeError, OverflowError, RecursionError, ValueError, TypeError,
                  ZeroDivisionError, MemoryError, SystemExit)


def _nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


DEEP_LIST = _nested(100_000)  # deeper than any recursion limit
HUGE_NUMBERS = (10**5000, -(10**5000), 10**400, 1e400, -1e400, math.nan, 2**1024 - 1)
SURROGATE_TEXTS = ("\ud800", "my goal is \udfff clear", "\udc80" * 3 + " a b c", "\ud83d")

surrogate_texts = st.one_of(
    st.sampled_from(SURROGATE_TEXTS),
    st.text(st.one_of(st.characters(categories=["Cs"]), st.characters()), min_size=1,
            max_size=20),
)
hostile_objects = st.sampled_from(HOSTILE_ERRORS).map(Hostile)
hostile_scalars = st.one_of(
    st.sampled_from(HUGE_NUMBERS), surrogate_texts, hostile_objects, st.just(DEEP_LIST),
    st.integers(min_value=10**300, max_value=10**4000),
)
hostile_values = st.one_of(
    hostile_scalars,
    st.lists(hostile_scalars, min_size=1, max_size=3),
    st.dictionaries(st.one_of(st.text(max_size=3), st.sampled_from(HOSTILE_ERRORS).map(HostileKey)),
                    hostile_scalars, min_size=1, max_size=2),
    st.tuples(hostile_scalars, scalars),
)


def _returning(value: Any) -> Any:
    def answer(*args: Any, **kwargs: Any) -> Any:
        return value
    return answer


def _raising(error: BaseException) -> Any:
    def answer(*args: Any, **kwargs: Any) -> Any:
        raise error
    return answer


class _BadMessageError(Exception):
    """An error whose own message cannot be printed."""

    def __str__(self) -> str:
        raise RuntimeError("no message")


# A learner's function for a function exercise: one that returns a hostile value, or
# stops with any error (its message may itself fail), or never stops calling itself.
def _recursing(*args: Any) -> Any:
    return _recursing(*args)


hostile_functions = st.one_of(
    hostile_values.map(_returning),
    st.sampled_from([
        _raising(OverflowError("int too large to convert to float")),
        _raising(ZeroDivisionError("division by zero")),
        _raising(NameError("name 'x' is not defined", name="x")), _raising(KeyError("views")),
        _raising(_BadMessageError()), _raising(SystemExit(3)), _raising(MemoryError()),
        _raising(StopIteration()), _raising(OSError(13, "Permission denied")), _recursing,
    ]),
)
