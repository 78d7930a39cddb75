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
    0, -0.0, 1, -1, 7, 1e308, -1e308, 10**30, -(10**30), 2**63, math.nan, math.inf, -math.inf,
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


# What a learner must never see in a message: internals from the libraries or from us.
_JARGON = re.compile(
    r"Traceback|numpy|np\.|ndarray|dtype|float64|int64|pydantic|ValidationError|validation error"
    r"|errors\.pydantic|input_value=|input_type=|<[a-zA-Z_.]+ object at 0x|object at 0x|\bNoneType\b"
    r"|__\w+__|\bself\b|\bkwargs\b|TypeError|ValueError|KeyError|AttributeError|IndexError"
)


def assert_plain(message: str) -> None:
    """A message a participant can read: not empty, no jargon, no repr of our objects."""
    assert isinstance(message, str) and message.strip(), "a friendly message says something"
    found = _JARGON.search(message)
    assert not found, f"jargon {found.group(0)!r} in a learner message: {message!r}"
