"""The ``____`` blank of exercise starter code, and "is this still the blank?".

``feed_minutes = ____`` runs (the notebook gets ``____`` from
:func:`install_placeholder`), and ``check()`` then says "not attempted" rather
than judging the blank as a wrong answer. The helpers below recognise the blank
in a value, in a text, inside a small container, or in a function's code.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any, ClassVar

__all__ = [
    "PLACEHOLDER_NAME", "____", "Placeholder", "code_mentions_placeholder",
    "contains_placeholder", "install_placeholder", "is_blank_text", "is_placeholder",
    "is_placeholder_text",
]

PLACEHOLDER_NAME = "____"


class Placeholder:
    """The blank in starter code: ``feed_minutes = ____``.

    Its repr is ``____``; arithmetic, comparisons and calls give the
    placeholder back (and it is falsy), so a half-edited line such as
    ``rate = likes / ____ * 100`` still runs and ``check()`` says "not
    attempted" instead of the learner meeting an error.
    """

    __slots__ = ()
    _instance: ClassVar[Placeholder | None] = None
    _tiktok_lab_placeholder: ClassVar[bool] = True
    __array_ufunc__ = None  # NumPy and pandas then defer to the methods below

    def __new__(cls) -> Placeholder:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return PLACEHOLDER_NAME

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return PLACEHOLDER_NAME

    def __bool__(self) -> bool:
        return False

    def __hash__(self) -> int:
        return hash(PLACEHOLDER_NAME)

    def __reduce__(self) -> str:
        return PLACEHOLDER_NAME  # pickles as the module attribute: still the one placeholder

    def __copy__(self) -> Placeholder:
        return self

    def __deepcopy__(self, memo: Any) -> Placeholder:
        return self

    def _same(self, *args: Any, **kwargs: Any) -> Placeholder:
        return self

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _same  # type: ignore[assignment]
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _same
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = _same
    __mod__ = __rmod__ = __pow__ = __rpow__ = __matmul__ = __rmatmul__ = _same
    __and__ = __rand__ = __or__ = __ror__ = __xor__ = __rxor__ = _same
    __neg__ = __pos__ = __abs__ = __invert__ = __round__ = __call__ = _same

    def __int__(self) -> int:
        from tiktok_lab.core.i18n import t

        raise TypeError(t("exercise.blank_number"))

    __float__ = __int__  # type: ignore[assignment]


____ = Placeholder()


def install_placeholder(namespace: MutableMapping[str, Any]) -> None:
    """Put ``____`` into ``namespace`` (a notebook's user namespace), so starter
    cells run without a NameError even in a kernel just restarted."""
    namespace[PLACEHOLDER_NAME] = ____


def is_placeholder(value: Any) -> bool:
    """True for ``____`` (also a copy from before a module reload)."""
    try:
        return value is ____ or bool(getattr(type(value), "_tiktok_lab_placeholder", False) is True)
    except Exception:
        return False


def is_blank_text(value: Any) -> bool:
    """An empty text, or the ``"____"`` of a reflection's starter."""
    return isinstance(value, str) and value.strip() in ("", PLACEHOLDER_NAME)


def is_placeholder_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() == PLACEHOLDER_NAME


def contains_placeholder(value: Any, depth: int = 0) -> bool:
    """``____`` itself, ``"____"``, or either inside a (small) list, tuple or dict."""
    if is_placeholder(value) or is_placeholder_text(value):
        return True
    if depth > 3:
        return False
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(contains_placeholder(item, depth + 1) for item in list(value)[:1000])
    if isinstance(value, dict):
        items = list(value.items())[:1000]
        return any(contains_placeholder(k, depth + 1) or contains_placeholder(v, depth + 1)
                   for k, v in items)
    return False


def code_mentions_placeholder(func: Any) -> bool:
    """Whether a learner's function still uses the name ``____`` somewhere."""
    code = getattr(func, "__code__", None)
    stack = [code] if code is not None else []
    while stack:
        current = stack.pop()
        if PLACEHOLDER_NAME in getattr(current, "co_names", ()):
            return True
        stack.extend(c for c in getattr(current, "co_consts", ()) if hasattr(c, "co_names"))
    return False

