"""The participant's side: what they share with the trainer, under which name.

The choices live in the store's ``sharing`` document (``{"participant", "name", "items"}``):
which items are shared, and the display name (``None``: anonymous). The class file itself is
never edited: it is composed afresh from the progress and the strategy each time something
shared changes (:func:`compose`), so a file can never hold anything the participant did not
choose to share, nor anything stale after a withdrawal.

Transport: on a class hub (``TIKTOK_LAB_CLASS_DIR``), the file goes into the drop box; on a
laptop, it is kept in ``my_work/class/`` and offered as a download to hand to the trainer.
Nothing here raises at a learner: every outcome is a :class:`ShareOutcome` with a message.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tiktok_lab.core.i18n import get_language, t
from tiktok_lab.course.progress_log import read_progress
from tiktok_lab.course.progress_report import progress_rows
from tiktok_lab.room.class_folder import ClassFolderError, hub_class_folder, publish
from tiktok_lab.room.share_file import (EXERCISE_KEY_PATTERN, PARTICIPANT_PATTERN,
                                        QUESTION_PATTERN, PROGRESS, QUIZ_PREFIX, STRATEGY,
                                        SharedAnswer, SharedLesson, SharedProgress, SharedQuiz,
                                        ShareFile, clean_name, encode, export_name, now)
from tiktok_lab.work.store import StoreError, get_store
from tiktok_lab.work.store_files import atomic_write

SHARING = "sharing"
LAPTOP_FOLDER = "class"

_PARTICIPANT = re.compile(PARTICIPANT_PATTERN)
_EXERCISE_KEY = re.compile(EXERCISE_KEY_PATTERN)
_QUESTION_ID = re.compile(QUESTION_PATTERN)
#: What one shared quiz may hold (``SharedQuiz.answers``): a lesson's quiz has about ten.
_MAX_ANSWERS = 60


@dataclass(frozen=True)
class SharingState:
    """What this ``my_work/`` shares: its participant id, display name, items."""

    participant: str
    name: str | None
    items: frozenset[str]

    def shares(self, item: str) -> bool:
        return item in self.items


@dataclass(frozen=True)
class ShareOutcome:
    """What a share, an update or a withdrawal did, for the share bar to show.

    ``ok`` is False when the file could not be written (the message says why); ``download``
    holds the class file to hand over on a laptop (None on a hub, or when nothing is shared).
    """

    ok: bool
    message: str
    state: SharingState
    share: ShareFile
    download: bytes | None = None
    filename: str | None = None


def _state_from(saved: dict[str, Any]) -> SharingState:
    participant = saved.get("participant")
    if not isinstance(participant, str) or not _PARTICIPANT.match(participant):
        participant = secrets.token_hex(16)
    items = saved.get("items")
    items = frozenset(i for i in items if isinstance(i, str)) if isinstance(items, list) else ()
    name = saved.get("name")
    return SharingState(participant, clean_name(name) if isinstance(name, str) else None,
                        frozenset(_known(items)))


def _known(items: Any) -> list[str]:
    return [i for i in items if i in (PROGRESS, STRATEGY) or i.startswith(QUIZ_PREFIX)]


def sharing_state() -> SharingState:
    """The saved choices (a fresh participant id when none is saved yet); never raises."""
    return _state_from(get_store().read(SHARING))


def _save(change) -> SharingState:
    """Change the saved choices under the store's lock; the participant id is kept for good."""
    def update(saved: dict[str, Any]) -> dict[str, Any]:
        state = change(_state_from(saved))
        return {"participant": state.participant, "name": state.name,
                "items": sorted(state.items)}

    return _state_from(get_store().update(SHARING, update))


def compose(state: SharingState, *, language: str | None = None) -> ShareFile:
    """The class file for ``state``: only the items shared, read from the saved work now."""
    language = language or get_language()
    quizzes: dict[str, SharedQuiz] = {}
    lessons = read_progress().lessons
    for item in sorted(state.items):
        if item.startswith(QUIZ_PREFIX):
            lesson_id = item[len(QUIZ_PREFIX):]
            entry = lessons.get(lesson_id)
            quizzes[lesson_id] = SharedQuiz(answers=_answers(entry.quiz if entry else {}))
    progress = _progress() if PROGRESS in state.items else None
    strategy = _strategy(language) if STRATEGY in state.items else None
    return ShareFile(participant=state.participant, name=state.name, language=language,
                     updated_at=now(), quizzes=quizzes, progress=progress, strategy=strategy)


def _answers(records: dict[str, Any]) -> dict[str, SharedAnswer]:
    """A lesson's last answers, by question id. An id a hand edit made up is left out rather
    than refusing the whole file; past the file's limit, the latest answers are kept."""
    answers = [(question_id, record.at or "", answer) for question_id, record in records.items()
               if _QUESTION_ID.match(question_id) and len(question_id) <= 80
               and (answer := _answer(record)) is not None]
    latest = sorted(answers, key=lambda found: str(found[1]), reverse=True)[:_MAX_ANSWERS]
    return {question_id: answer for question_id, _at, answer in sorted(latest)}


def _split(value: Any) -> tuple[list[int] | None, float | None]:
    """An answer as saved (option indices, or a number) as (choice, number)."""
    if isinstance(value, list):
        return value, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return None, float(value)
    return None, None


def _answer(record: Any) -> SharedAnswer | None:
    if record.correct is None and record.answer is None:
        return None
    choice, number = _split(record.answer)
    last_right = record.answer_correct
    first_choice, first_number = _split(record.first_answer)
    return SharedAnswer(correct=bool(record.correct) if last_right is None else last_right,
                        choice=choice, number=number,
                        first_correct=record.first_correct
                        if record.first_answer is not None else None,
                        first_choice=first_choice, first_number=first_number)


def _progress() -> SharedProgress:
    lessons = {row["lesson"].id: SharedLesson(
        opened=bool(row["opened"]), exercises=row["exercises"], solved=row["solved"],
        questions=row["questions"], right=row["right"]) for row in progress_rows()}
    unsuccessful = {}
    for lesson_id, entry in sorted(read_progress().lessons.items()):
        for exercise_id, record in sorted(entry.exercises.items()):
            key = f"{lesson_id}/{exercise_id}"
            # An id a hand edit made up is left out rather than refusing the whole file.
            if record.not_yet and _EXERCISE_KEY.match(key) and len(key) <= 120:
                unsuccessful[key] = record.not_yet
    return SharedProgress(lessons=lessons, unsuccessful=unsuccessful)


def _strategy(language: str) -> dict[str, Any]:
    from tiktok_lab.lessons.strategy.drafts import saved_strategy

    return saved_strategy(language=language).to_dict()


def deliver(state: SharingState, *, language: str | None = None,
            message_key: str = "room.share.updated") -> ShareOutcome:
    """Compose the class file and carry it: into the hub's drop box, or into ``my_work/class/``
    with its bytes to download. Never raises."""
    share = compose(state, language=language)
    folder = hub_class_folder()
    if folder is not None:
        try:
            publish(folder, share, language=language)
        except ClassFolderError as error:
            return ShareOutcome(False, str(error), state, share)
        return ShareOutcome(True, t(message_key + ".hub", language=language), state, share)
    payload = encode(share) if share.items else None
    filename = export_name(share)
    try:
        _keep_on_laptop(share, payload, filename)
    except OSError as error:
        return ShareOutcome(False, t("room.share.unsaved", language=language,
                                     reason=error.strerror or error), state, share,
                            payload, filename)
    return ShareOutcome(True, t(message_key + ".laptop", language=language), state, share,
                        payload, filename if payload else None)


def _keep_on_laptop(share: ShareFile, payload: bytes | None, filename: str) -> None:
    """``my_work/class/<export name>``: the file to hand over, kept with the learner's work
    (so the my-work download carries it too); removed when nothing is shared any more."""
    folder = get_store().home / LAPTOP_FOLDER
    for old in folder.glob(f"tiktok-lab-class-*-{share.participant[:6]}.json") \
            if folder.is_dir() else ():
        if old.name != filename or payload is None:
            old.unlink(missing_ok=True)
    if payload is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write(folder / filename, payload, prefix=share.participant)


def share_item(item: str, name: str | None, *, language: str | None = None) -> ShareOutcome:
    """Share ``item`` as ``name`` (None or empty: anonymous) and deliver the class file."""
    def add(state: SharingState) -> SharingState:
        return SharingState(state.participant, clean_name(name), state.items | {item})

    return _change_and_deliver(add, "room.share.shared", language)


def withdraw_item(item: str, *, language: str | None = None) -> ShareOutcome:
    """Stop sharing ``item``; the next file no longer holds it (the hub's file goes at once)."""
    def remove(state: SharingState) -> SharingState:
        return SharingState(state.participant, state.name, state.items - {item})

    return _change_and_deliver(remove, "room.share.withdrawn", language)


def refresh_item(item: str, *, language: str | None = None) -> ShareOutcome | None:
    """After a quiz answer or a strategy save: deliver again if ``item`` is shared (the bar
    said it would be kept up to date); None when it is not shared."""
    state = sharing_state()
    if not state.shares(item):
        return None
    return deliver(state, language=language)


def refresh_progress() -> None:
    """After an exercise check (``progress_log.after_each_check``): send the progress again
    when it is shared, so the trainer's "stuck" counts follow the room. Never raises: a
    refused write shows at the share bar's next update."""
    try:
        refresh_item(PROGRESS)
    except Exception:  # noqa: BLE001 - a check's cell must never fail because of sharing
        pass


def _change_and_deliver(change, message_key: str, language: str | None) -> ShareOutcome:
    try:
        state = _save(change)
    except StoreError as error:
        state = sharing_state()
        return ShareOutcome(False, str(error), state, compose(state, language=language))
    return deliver(state, language=language, message_key=message_key)


def laptop_folder() -> Path:
    """Where a laptop keeps the file to hand to the trainer."""
    return get_store().home / LAPTOP_FOLDER
