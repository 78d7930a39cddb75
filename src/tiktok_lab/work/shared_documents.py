"""Saving a document that several windows can hold, and saying what the save kept.

The strategy drafts (lesson 07), the scorecard (04), the publishing answers (05)
and the ads answers (06) can be open in two windows at once: two kernels,
JupyterLab beside the Voilà app, or a ``.zip`` restored in lesson 00 while a
lesson is open. A window that simply wrote its whole version would silently
erase the other's changes, so every save goes through :func:`save_merged`:

- under the store's lock (``Store.update``), it reads what is on disk, passes it
  through the document's one read path (the typed model that repairs odd values),
  and merges field by field with :func:`tiktok_lab.work.merge.merge_documents`
  (base = what this window last loaded or saved, mine = this window's values,
  theirs = the disk);
- a field both sides changed differently keeps this window's value (what the
  learner just typed, where they are looking), and the other value is kept in
  the document's ``conflicts`` list and shown in full in the window, so it can be
  copied back: nothing is dropped without a message saying where it went;
- keys the read path does not know (a newer course's, derived values) stay.

The window then refreshes the controls the other side changed, from
:attr:`Saved.from_theirs`.

Text limits live here too: a text longer than its field keeps is cut only with
a message naming the field and the limit (:class:`TooLong`), and every field's
help says its limit before it bites (:func:`limit_hint`).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from tiktok_lab.work.merge import ABSENT, Conflict, Path, merge_documents

if TYPE_CHECKING:
    from tiktok_lab.work.store import Store

#: The key of a document's record of values set aside by conflicts.
CONFLICTS = "conflicts"
#: How many conflict records a document keeps (the newest).
MAX_CONFLICTS = 20

Document = dict[str, Any]


@dataclass(frozen=True)
class Saved:
    """What a merged save wrote: the document as this window's new base, and what happened."""

    document: Document
    conflicts: tuple[Conflict, ...] = ()
    from_theirs: tuple[Path, ...] = ()


def save_merged(name: str, base: Mapping[str, Any] | None, mine: Mapping[str, Any], *,
                read: Callable[[Any], Document],
                finish: Callable[[Document], Document] | None = None,
                prepare: Callable[[Document, Document, Document], Document] | None = None,
                store: "Store | None" = None) -> Saved:
    """Merge this window's ``mine`` into the saved ``name`` document, atomically.

    ``read`` turns whatever is on disk into the mergeable form (the document's
    read path); ``base`` and ``mine`` must be in that form. ``base=None`` means
    "this window knows no earlier version": ``mine`` then wins everywhere (an
    explicit save). ``prepare(base, mine, theirs)`` may adjust ``mine`` first
    (a new draft whose id the other window took too gets another id);
    ``finish(merged)`` adds what is derived from the merged values (scores, the
    open draft). Raises :class:`tiktok_lab.work.store.StoreError` when the save cannot
    happen; nothing is written then.
    """
    from tiktok_lab.work.store import get_store

    store = store or get_store()
    outcome: dict[str, Any] = {}

    def change(disk: dict[str, Any]) -> dict[str, Any]:
        theirs = read(disk) if disk else None
        known = theirs if theirs is not None else dict(mine)
        old = base if base is not None else known
        if theirs is None:  # nothing on disk (first save, reset, set aside): nobody else wrote
            theirs = dict(old)
        ours = prepare(dict(old), dict(mine), theirs) if prepare else dict(mine)
        merge = merge_documents(old, ours, theirs)
        merged = finish(merge.merged) if finish else merge.merged
        extras = {k: v for k, v in disk.items() if k not in known and k != CONFLICTS}
        written = {**extras, **merged}
        records = _distinct(_records(disk.get(CONFLICTS)) + [_record(c) for c in merge.conflicts])
        if records:
            written[CONFLICTS] = records[-MAX_CONFLICTS:]
        outcome.update(merge=merge, written=written)
        return written

    store.update(name, change)
    merge = outcome["merge"]
    return Saved(read(outcome["written"]), merge.conflicts, merge.from_theirs)


def _record(conflict: Conflict) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        return None if value is ABSENT else value

    return {"field": list(conflict.path), "kept": plain(conflict.mine),
            "other": plain(conflict.theirs),
            "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}


def _distinct(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records, each (field, other text) once, at its newest place: two windows
    trading the same texts back and forth must not push an older, different text
    out of the ``MAX_CONFLICTS`` kept."""
    seen: set[str] = set()
    kept: list[dict[str, Any]] = []
    for record in reversed(records):
        key = json.dumps([record.get("field"), record.get("other")], sort_keys=True,
                         default=str)
        if key not in seen:
            seen.add(key)
            kept.append(record)
    return kept[::-1]


def _records(value: Any) -> list[Any]:
    """Earlier conflict records as saved (a hand edit may have left anything: keep dicts)."""
    return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []


# --------------------------------------------------------------------------
# What a save tells the learner.


def shown(value: Any, language: str | None = None) -> str:
    """A saved value as the learner typed or chose it (no Python spelling)."""
    from tiktok_lab.core.i18n import colon, semicolon, t

    if value is ABSENT or value is None or value == "" or value == [] or value == {}:
        return t("work.empty", language=language)
    if isinstance(value, bool):
        return t("work.yes" if value else "work.no", language=language)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return semicolon(language).join(shown(v, language) for v in value)
    if isinstance(value, dict):
        return semicolon(language).join(f"{k}{colon(language)}{shown(v, language)}"
                                        for k, v in value.items())
    return str(value)


def conflict_messages(saved: Saved, label: Callable[[Path], str | None], *, document: str,
                      language: str | None = None) -> list[str]:
    """One plain sentence per conflict, with the other window's version in full.

    ``label(path)`` names a field, or returns None for a place the learner need
    not hear about.
    """
    messages = []
    for conflict in saved.conflicts:
        name = label(conflict.path)
        if name is not None:
            messages.append(conflict_message(conflict, name, document=document,
                                             language=language))
    return messages


def conflict_message(conflict: Conflict, name: str, *, document: str,
                     language: str | None = None) -> str:
    """The sentence for one conflict on the field called ``name``."""
    from tiktok_lab.core.i18n import t

    return t("work.conflict", language=language, field=name,
             other=shown(conflict.theirs, language), document=document)


def update_message(saved: Saved, label: Callable[[Path], str | None], *,
                   language: str | None = None) -> str:
    """The fields this save took from another window or a restore, in one sentence ("" if none)."""
    from tiktok_lab.core.i18n import t

    updated: list[str] = []
    for path in saved.from_theirs:
        name = label(path)
        if name is not None and name not in updated:
            updated.append(name)
    return t("work.updated_elsewhere", language=language,
             fields=", ".join(updated)) if updated else ""


# --------------------------------------------------------------------------
# Text limits: never cut without saying so.


def tidy_text(value: Any) -> str:
    """Any value as one string, nothing cut: control characters become spaces, lone
    surrogates (which cannot be saved) are dropped, ends are trimmed; a list or a
    dict where a text was expected counts as no text."""
    if isinstance(value, str):
        text = value
    elif value is None or isinstance(value, (dict, list, tuple, set)):
        text = ""
    else:
        text = str(value)
    return "".join(c if (c.isprintable() or c == "\n") and unicodedata.category(c) != "Cs"
                   else " " for c in text).strip()


def cut(text: str, limit: int) -> str:
    """``text`` kept to ``limit`` characters (callers say so with :class:`TooLong`)."""
    return text[:limit].strip()


@dataclass(frozen=True)
class TooLong:
    """A text (or a list) that goes past what its field keeps.

    ``unit`` is ``characters`` (the field's text), ``lines`` (too many lines) or
    ``line`` (one line of a list longer than a line keeps).
    """

    field: str
    limit: int
    length: int
    unit: str = "characters"

    def message(self, label: str, language: str | None = None) -> str:
        from tiktok_lab.core.i18n import format_number, t

        return t(f"work.too_long.{self.unit}", language=language, field=label,
                 limit=format_number(self.limit, language=language, digits=0),
                 length=format_number(self.length, language=language, digits=0))


def check_length(field: str, value: Any, limit: int) -> TooLong | None:
    """A :class:`TooLong` when the tidied text is longer than ``limit``, else None."""
    length = len(tidy_text(value))
    return TooLong(field, limit, length) if length > limit else None


def check_lines(field: str, lines: Sequence[Any], *, max_lines: int,
                line_limit: int) -> list[TooLong]:
    """Too many lines, and the longest line past ``line_limit``, for a one-per-line list."""
    problems = []
    if len(lines) > max_lines:
        problems.append(TooLong(field, max_lines, len(lines), "lines"))
    longest = max((len(tidy_text(line)) for line in lines), default=0)
    if longest > line_limit:
        problems.append(TooLong(field, line_limit, longest, "line"))
    return problems


def limit_hint(limit: int, language: str | None = None) -> str:
    """``(up to 500 characters)``: said in a field's help before the limit bites."""
    from tiktok_lab.core.i18n import format_number, t

    return t("work.limit_hint", language=language,
             limit=format_number(limit, language=language, digits=0))


def lines_hint(max_lines: int, line_limit: int, language: str | None = None) -> str:
    """``(up to 20 lines of 500 characters)`` for a one-per-line list."""
    from tiktok_lab.core.i18n import format_number, t

    return t("work.lines_hint", language=language,
             lines=format_number(max_lines, language=language, digits=0),
             limit=format_number(line_limit, language=language, digits=0))


__all__ = ["CONFLICTS", "Saved", "TooLong", "check_length", "check_lines", "conflict_message",
           "conflict_messages",
           "cut", "limit_hint", "lines_hint", "save_merged", "shown", "tidy_text",
           "update_message"]
