"""A simulated room for the trainer's view: participants' sharing files in a folder.

Shared by ``tests/test_class_view.py`` and the browser test. Lesson 03's first quiz question
(``strong-signal``) has four options, the first one right.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from tiktok_lab.lessons.strategy.plan import example_strategy
from tiktok_lab.room.class_folder import publish
from tiktok_lab.room.share_file import (SharedAnswer, SharedLesson, SharedProgress, SharedQuiz,
                                        ShareFile, encode, export_name)

LESSON = "03_feed"
QUESTION = "strong-signal"
SCRIPT_NAME = "<script>alert(1)</script>"
DAMAGED = "tiktok-lab-class-dan-abcdef.json"


def share(number: int, name: str | None, choice: int | None = None, *, brand: str = "",
          progress: bool = False, minutes: int = 0, first: int | None = None) -> ShareFile:
    """Participant ``number``'s sharing file: an answer to ``strong-signal`` (option index;
    ``first``, the option chosen before a retry), their progress (one stuck exercise) and a
    strategy for ``brand``, as asked."""
    retried = {} if first is None else {"first_correct": first == 0, "first_choice": [first]}
    answers = {} if choice is None else {QUESTION: SharedAnswer(correct=choice == 0,
                                                                 choice=[choice], **retried)}
    strategy = None
    if brand:
        data = example_strategy(language="en").to_dict()
        data["brand"] = brand
        strategy = data
    lessons = SharedProgress(
        lessons={LESSON: SharedLesson(opened=True, exercises=3, solved=3 if number == 1 else 1,
                                      questions=3, right=3 if number == 1 else 0)},
        unsuccessful={f"{LESSON}/stalled-video": 2 + number}) if progress else None
    return ShareFile(participant=f"{number:032x}", name=name, language="en",
                     updated_at=datetime(2026, 12, 7, 9, tzinfo=timezone.utc)
                     + timedelta(minutes=minutes),
                     quizzes={LESSON: SharedQuiz(answers=answers)} if answers else {},
                     progress=lessons, strategy=strategy)


def fill_room(folder: Path) -> None:
    """Three participants and a damaged file: Anne (a ``<script>`` name) answers right and
    shares everything; participant 2 (anonymous) answers the second option and shares a
    strategy; participant 3 shared the third option, then withdrew everything; Dan's handed
    file is damaged."""
    folder.mkdir(parents=True, exist_ok=True)
    publish(folder, share(1, SCRIPT_NAME, 0, brand="Anne's <b>Bakery</b>", progress=True))
    publish(folder, share(2, None, 1, brand="Cafe 2", progress=True))
    publish(folder, share(3, "Chloé", 2))
    publish(folder, share(3, "Chloé", None, minutes=5))  # withdrawn: the file goes
    raw = encode(share(4, "Dan", 1)).replace(b'"correct": false', b'"correct": "maybe"')
    (folder / DAMAGED).write_bytes(raw)


def hand_over(folder: Path, number: int, choice: int, *, first: int | None = None,
              brand: str = "") -> Path:
    """A laptop participant's file dropped in the folder (its export name)."""
    item = share(number, f"Late {number}", choice, minutes=number, first=first, brand=brand)
    path = folder / export_name(item)
    path.write_bytes(encode(item))
    return path
