"""Writing a made-up exercise file and reading it back: the helpers the tests of decisions and
open answers share (each test builds its own rows)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tiktok_lab.core.datafiles import DataFileError
from tiktok_lab.course.exercises import load_exercise_rows

LESSON = "05_tips"


def both(en: str, fr: str | None = None) -> dict[str, str]:
    """A text in English and French (the French made up from the English unless given)."""
    return {"en": en, "fr": fr if fr is not None else f"{en} (fr)"}


def write_file(folder: Path, rows: list) -> Path:
    """A folder holding an exercise file of ``LESSON`` with these rows."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{LESSON}.yaml").write_text(
        yaml.safe_dump({"schema_version": 1, "exercises": rows}, sort_keys=False,
                       allow_unicode=True), encoding="utf-8")
    return folder


def refused(tmp_path: Path, row: dict) -> DataFileError:
    """The error a file of this one row gets; it names the file and the row."""
    folder = write_file(tmp_path / "exercises", [row])
    with pytest.raises(DataFileError) as caught:
        load_exercise_rows(LESSON, folder)
    assert caught.value.file == f"{LESSON}.yaml" and caught.value.row == 1
    return caught.value
