"""Three-way merge of a saved document, field by field (pure: no store, no widgets).

Several windows can hold the same document (two kernels, JupyterLab beside the
Voilà app, a ``.zip`` restored in lesson 00 while lesson 07 is open). Each window
remembers the version it last loaded or saved (*base*); when it saves its own
values (*mine*) and finds another version on disk (*theirs*), every field is
settled by one rule:

- a field only this window changed takes *mine*; a field only the other side
  changed takes *theirs*; a field both changed the same way is simply kept;
- a field both changed differently is a :class:`Conflict`. The merge keeps
  *mine* (what the learner just typed, in the window they are looking at) and
  the conflict carries *theirs*, so the caller can keep it and say so: nothing
  is dropped silently.

Dictionaries are merged key by key, recursively; lists of the same length on
all three sides position by position (a six-day plan, one day at a time); any
other value is one field. Values are compared with their JSON type (``1`` is
not ``True``). Documents are JSON data: dicts with string keys.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: A place in a document: keys of dicts and positions in lists.
Path = tuple[Any, ...]


class _Absent:
    """A key that one version does not have (deleted, or never written)."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()


@dataclass(frozen=True)
class Conflict:
    """One field both sides changed differently: ``mine`` was kept, ``theirs`` was not."""

    path: Path
    mine: Any
    theirs: Any


@dataclass(frozen=True)
class Merge:
    """The merged document, its conflicts, and where the other side's changes were taken."""

    merged: dict[str, Any]
    conflicts: tuple[Conflict, ...]
    from_theirs: tuple[Path, ...]


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=repr)


def same(a: Any, b: Any) -> bool:
    """Equal as JSON (``1`` and ``True`` differ, key order does not matter)."""
    if a is ABSENT or b is ABSENT:
        return a is b
    return a is b or _key(a) == _key(b)


def merge_documents(base: Mapping[str, Any] | None, mine: Mapping[str, Any],
                    theirs: Mapping[str, Any]) -> Merge:
    """Merge ``mine`` and ``theirs``, two versions of ``base``; see the module's rule."""
    conflicts: list[Conflict] = []
    taken: list[Path] = []
    merged = _merge(dict(base or {}), dict(mine), dict(theirs), (), conflicts, taken)
    return Merge(merged if isinstance(merged, dict) else {}, tuple(conflicts), tuple(taken))


def _merge(base: Any, mine: Any, theirs: Any, path: Path, conflicts: list[Conflict],
           taken: list[Path]) -> Any:
    if same(mine, theirs):
        return mine
    if same(mine, base):
        taken.append(path)
        return theirs
    if same(theirs, base):
        return mine
    if isinstance(mine, dict) and isinstance(theirs, dict):
        old = base if isinstance(base, dict) else {}
        result = {}
        for key in [*mine, *(k for k in theirs if k not in mine)]:
            value = _merge(old.get(key, ABSENT), mine.get(key, ABSENT), theirs.get(key, ABSENT),
                           (*path, key), conflicts, taken)
            if value is not ABSENT:
                result[key] = value
        return result
    if (isinstance(mine, list) and isinstance(theirs, list) and isinstance(base, list)
            and len(mine) == len(theirs) == len(base)):
        return [_merge(b, m, t, (*path, i), conflicts, taken)
                for i, (b, m, t) in enumerate(zip(base, mine, theirs))]
    conflicts.append(Conflict(path, mine, theirs))
    return mine


def touches(path: Path, changed: tuple[Path, ...] | list[Path]) -> bool:
    """True when ``path`` is inside, or contains, one of the ``changed`` places.

    A widget showing ``("budget", "daily")`` must refresh when the other window's
    change was taken at ``("budget",)`` or at ``("budget", "daily")``.
    """
    return any(path[:len(p)] == p or p[:len(path)] == path for p in changed)


__all__ = ["ABSENT", "Conflict", "Merge", "Path", "merge_documents", "same", "touches"]
