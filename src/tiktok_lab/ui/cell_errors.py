"""Show a :class:`~tiktok_lab.core.learner_errors.LearnerError` as its message only.

IPython's ``set_custom_exc`` hands the listed exception classes to a handler
instead of printing a traceback. The cell still fails (the cells after it
should not run on a refused value), but the learner reads one plain sentence,
in the same warning box as the course's other messages, not a traceback ending
in a class name. Other errors (a learner's own Python mistake in an optional
code exercise) keep their usual traceback.
"""

from __future__ import annotations

from typing import Any

from tiktok_lab.core.learner_errors import LearnerError
from tiktok_lab.core.html import box, esc


class Refusal:
    """What the notebook shows for a learner error: a warning box (plain text elsewhere)."""

    def __init__(self, message: str) -> None:
        self.message = message

    def _repr_html_(self) -> str:
        return box(esc(self.message), "warning")

    def __repr__(self) -> str:
        return f"⚠ {self.message}"


def show_learner_errors_plainly() -> bool:
    """Install the handler in the running IPython, if any; True when installed."""
    import sys

    ipython = sys.modules.get("IPython")  # a notebook has imported it already
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return False
    shell.set_custom_exc((LearnerError,), _show_the_message)
    return True


def _show_the_message(shell: Any, etype: type, value: BaseException, tb: Any,
                      tb_offset: int | None = None) -> None:
    """IPython calls this instead of printing the traceback (its return value is unused)."""
    from IPython.display import display

    display(Refusal(str(value)))
