"""What a widget app says after saving the learner's work, the same way in every lesson.

A save can: succeed; take another window's changes (an "info" line naming the
fields); keep this window's text where both changed the same field (a warning
showing the other text in full, see :mod:`tiktok_lab.work.shared_documents`); cut a
text past its field's limit (a warning naming the field and the limit); or fail
(the store's plain sentence, never an exception name, while the learner's text
stays in the widget).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from tiktok_lab.core.i18n import t
from tiktok_lab.work.merge import Path, touches
from tiktok_lab.work.shared_documents import Saved, conflict_message, update_message
from tiktok_lab.core.html import box, esc

T = TypeVar("T")


def attempt(save: Callable[[], T], document: str) -> tuple[T | None, str]:
    """Run a save on the learner's behalf: ``(result, "")``, or ``(None, plain message)``."""
    from tiktok_lab.work.store import StoreError

    try:
        return save(), ""
    except StoreError as error:
        return None, str(error)
    except Exception:  # noqa: BLE001 - a learner never sees a traceback or an exception name
        key = f"store.document.{document}"
        name = t(key)  # the document's name for learners, where the strings give one
        return None, t("work.not_saved", document=document if name == key else name)


class StatusLine:
    """One app's status line after each save.

    A conflict's message (with the other window's text in full) stays on the
    line until the learner edits that field again, or the field takes a newer
    value from elsewhere: it must not vanish with the next keystroke elsewhere.
    Everything else (saved, updated from elsewhere, too long, not saved) is about
    the last save only.
    """

    def __init__(self) -> None:
        self.kept: dict[Path, str] = {}

    def html(self, saved: Saved | None, label: Callable[[Path], str | None], *, document: str,
             error: str = "", ok: str = "", warnings: Iterable[str] = (),
             edited: Iterable[Path] = ()) -> str:
        settled = [*edited, *(saved.from_theirs if saved is not None else ())]
        self.kept = {p: m for p, m in self.kept.items() if not touches(p, settled)}
        for conflict in saved.conflicts if saved is not None else ():
            name = label(conflict.path)
            if name is not None:
                self.kept[conflict.path] = conflict_message(conflict, name, document=document)
        parts = [box(esc(error), "warning")] if error else [box(esc(ok), "ok")] if ok else []
        parts += [box(esc(m), "warning") for m in (*self.kept.values(), *warnings)]
        update = update_message(saved, label) if saved is not None else ""
        if update:
            parts.append(box(esc(update), "info"))
        return "".join(parts)


def edited_places(change: Any, places: Mapping[Path, Any]) -> list[Path]:
    """The places of the control a change event came from (none for a button or a redraw)."""
    owner = change.get("owner") if isinstance(change, Mapping) else None
    return [place for place, control in places.items() if owner is not None and control is owner]


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


__all__ = ["Refreshing", "StatusLine", "attempt", "edited_places"]
