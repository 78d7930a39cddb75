"""What a widget app says after saving the learner's work, the same way in every lesson.

A save can: succeed; take another window's changes (an "info" line naming the
fields); keep this window's text where both changed the same field (a warning
showing the other text in full, see :mod:`tiktok_lab.shared_documents`); cut a
text past its field's limit (a warning naming the field and the limit); or fail
(the store's plain sentence, never an exception name, while the learner's text
stays in the widget).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from tiktok_lab.i18n import t
from tiktok_lab.merge import Path
from tiktok_lab.shared_documents import Saved, conflict_messages, update_message
from tiktok_lab.ui.html import box, esc

T = TypeVar("T")


def attempt(save: Callable[[], T], document: str) -> tuple[T | None, str]:
    """Run a save on the learner's behalf: ``(result, "")``, or ``(None, plain message)``."""
    from tiktok_lab.store import StoreError

    try:
        return save(), ""
    except StoreError as error:
        return None, str(error)
    except Exception:  # noqa: BLE001 - a learner never sees a traceback or an exception name
        return None, t("work.not_saved", document=document)


def status_html(saved: Saved | None, label: Callable[[Path], str | None], *, document: str,
                error: str = "", ok: str = "", warnings: Iterable[str] = ()) -> str:
    """The status line: the failure, or ``ok``; then conflicts, limits and updates."""
    parts = [box(esc(error), "warning")] if error else [box(esc(ok), "ok")] if ok else []
    if saved is not None:
        parts += [box(esc(m), "warning") for m in conflict_messages(saved, label,
                                                                     document=document)]
    parts += [box(esc(m), "warning") for m in warnings]
    update = update_message(saved, label) if saved is not None else ""
    if update:
        parts.append(box(esc(update), "info"))
    return "".join(parts)


class Refreshing:
    """A flag for "the app is putting saved values into its controls": observers that
    see it set must not save again (no save loops). Nests."""

    def __init__(self) -> None:
        self.depth = 0

    @property
    def active(self) -> bool:
        return self.depth > 0

    def __enter__(self) -> "Refreshing":
        self.depth += 1
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.depth -= 1


__all__ = ["Refreshing", "attempt", "status_html"]
