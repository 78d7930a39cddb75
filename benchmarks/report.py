"""One table for every benchmark: a row per measured case, its target and a verdict.

Each benchmark script returns :class:`Row` objects from its ``measure(...)``
function and prints them with :func:`print_table`, so ``run_all.py`` can put
every section into one table and each script still runs alone.
"""

from __future__ import annotations

import argparse
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One measured case. ``ok`` is None when the figure has no target (context only)."""

    section: str
    case: str
    figure: str
    target: str = ""
    ok: bool | None = None

    @property
    def verdict(self) -> str:
        return "" if self.ok is None else ("ok" if self.ok else "OVER")


def parser_with_only(doc: str, what: str) -> argparse.ArgumentParser:
    """A script's argument parser: its docstring's first line, and ``--only`` to pick cases."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--only", action="append", default=[],
                        help=f"{what} whose name contains this (repeatable)")
    return parser


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear between closest ranks; exact for one value."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def print_table(rows: Iterable[Row], title: str | None = None) -> None:
    """A plain-text table, readable in a terminal and pasteable into Markdown."""
    rows = list(rows)
    headers = ("section", "case", "measured", "target", "")
    cells = [(r.section, r.case, r.figure, r.target, r.verdict) for r in rows]
    widths = [max([len(h), *(len(c[i]) for c in cells)]) for i, h in enumerate(headers)]
    if title:
        print(f"\n{title}")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for cell in cells:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(cell, widths)) + " |")
    over = [r for r in rows if r.ok is False]
    if over:
        print(f"\n{len(over)} figure(s) over target: " + "; ".join(
            f"{r.section} / {r.case}" for r in over))
