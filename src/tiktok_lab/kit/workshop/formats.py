"""``data/workshop.yaml`` as typed settings: the pacing of a live session and the workshop
formats (90 minutes, half day, full day) that the schedule and the agendas lay out in time."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictInt, StringConstraints

from tiktok_lab.core import datafiles
from tiktok_lab.core.content_types import ContentModel, LocalizedText
from tiktok_lab.core.schemas import Text

LessonVersion = Literal["full", "short", "deep", "skip"]
ClockTime = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
SETTINGS_FILE = "workshop.yaml"


class Lunch(ContentModel):
    """A long break after a given lesson (and its practice, if any)."""

    after: Text
    minutes: Annotated[StrictInt, Field(ge=30, le=120)]


class FormatSettings(ContentModel):
    """One workshop format of ``data/workshop.yaml`` (``formats:``)."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    # Written {en: ..., fr: ...}, read in the language of the page being built.
    title: LocalizedText
    # Its short name, as the trainer notes list the formats that run a lesson short.
    name: LocalizedText
    # ``{course_length}`` in it is the full course's lesson time, computed from the lessons.
    for_whom: LocalizedText
    start_time: ClockTime
    duration_minutes: Annotated[StrictInt, Field(ge=30, le=600)]
    welcome_minutes: Annotated[StrictInt, Field(ge=0, le=30)]
    # The wrap-up takes what is left, within these bounds; outside them the
    # format does not add up and the build says by how much.
    wrap_up_min_minutes: Annotated[StrictInt, Field(ge=0, le=60)]
    wrap_up_max_minutes: Annotated[StrictInt, Field(ge=0, le=60)]
    max_block_minutes: Annotated[StrictInt, Field(ge=20, le=240)]
    break_minutes: Annotated[StrictInt, Field(ge=5, le=60)]
    lunch: Lunch | None = None
    lessons: dict[str, LessonVersion]


class WorkshopSettings(ContentModel):
    """Pacing of a live session (``data/workshop.yaml``)."""

    start_time: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    max_block_minutes: int = Field(ge=20, le=240)
    break_minutes: int = Field(ge=5, le=60)
    # The workshop formats (90 minutes, half day, full day): see ``agendas``.
    formats: tuple[FormatSettings, ...] = ()


def load_workshop_settings(source: datafiles.Source | None = None) -> WorkshopSettings:
    return datafiles.read_record(source or datafiles.data_dir() / "workshop.yaml", "workshop",
                                 WorkshopSettings)
