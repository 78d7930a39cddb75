"""The generated pages of the trainer's kit: agendas, trainer notes, participant sheets.

They are printed and handed out, so they must never disagree with the lesson
data they come from: ``tiktok-lab build workshop`` writes them all, and
``--check`` (run by the tests) reports any page that is stale, missing, or
left over from a lesson or format that no longer exists.
"""

from __future__ import annotations

from pathlib import Path

# The Markdown pages generated in these folders; a trainer's own page there is kept.
GENERATED_FOLDERS = ("workshop/agendas", "workshop/notes", "workshop/participants")
# Every generated page names the command that writes it (see agendas, trainer_notes,
# participant_sheets): a stale page is removed only if it says so.
GENERATED_MARK = "`tiktok-lab build workshop`"


def workshop_pages(root: Path) -> dict[str, str]:
    """``{path relative to the course root: page text}`` for the whole kit."""
    from tiktok_lab.kit.workshop.agendas import agenda_pages
    from tiktok_lab.kit.workshop.participant_sheets import participant_pages
    from tiktok_lab.kit.workshop.trainer_notes import notes_pages

    return {**agenda_pages(), **notes_pages(), **participant_pages(root)}


def sync_pages(root: Path, pages: dict[str, str], *, write: bool,
               folders: tuple[str, ...] = GENERATED_FOLDERS) -> list[str]:
    """Write the pages that differ and remove stale ones; return what was (or would be) changed."""
    changed = []
    for name, text in sorted(pages.items()):
        target = root / name
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current != text:
            changed.append(name)
            if write:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
    for folder in folders:
        for path in sorted((root / folder).glob("*.md")):
            name = path.relative_to(root).as_posix()
            if name not in pages and _generated(path):
                changed.append(name)
                if write:
                    path.unlink()
    return changed


def _generated(path: Path) -> bool:
    try:
        return GENERATED_MARK in path.read_text(encoding="utf-8", errors="replace")[:2000]
    except OSError:
        return False
