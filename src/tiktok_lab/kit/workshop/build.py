"""The generated pages of the trainer's kit: agendas, trainer notes, participant sheets.

They are printed and handed out, so they must never disagree with the lesson
data they come from: ``tiktok-lab build workshop`` writes them all, and
``--check`` (run by the tests) reports any page that is stale, missing, or
left over from a lesson or format that no longer exists.

Every page exists in every language of the course: the English kit in ``workshop/``, the
French one in ``workshop/fr/`` with the same file names. A French page is the English
renderer run inside ``with speaking("fr")`` (see ``kit.workshop.paths``), as the French
notebooks are (``kit.editions``).
"""

from __future__ import annotations

from pathlib import Path

from tiktok_lab.core.i18n import SUPPORTED_LANGUAGES
from tiktok_lab.kit.workshop.paths import kit_folder

# The Markdown pages generated in these folders, in every language; a trainer's own page there
# is kept.
PAGE_FOLDERS = ("agendas", "notes", "participants")
# Every generated page names the command that writes it (see agendas, trainer_notes,
# participant_sheets): a stale page is removed only if it says so.
GENERATED_MARK = "`tiktok-lab build workshop`"


def generated_folders(language: str | None = None) -> tuple[str, ...]:
    """The folders of generated pages of one language (``workshop/fr/notes``...)."""
    return tuple(f"{kit_folder(language)}/{folder}" for folder in PAGE_FOLDERS)


GENERATED_FOLDERS = tuple(folder for language in SUPPORTED_LANGUAGES
                          for folder in generated_folders(language))


def workshop_pages(root: Path) -> dict[str, str]:
    """``{path relative to the course root: page text}`` for the kit in the current language."""
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
