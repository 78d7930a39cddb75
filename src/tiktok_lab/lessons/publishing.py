"""Tips for publishing (lesson 05): strategy first, a posting rhythm, replies to comments.

Over 400 lines: lesson 05's three activities (why/what/whom, rhythm, replies) share one data
file and one saved document.

Pure domain logic, no widgets (``tiktok_lab.ui.publishing`` draws it):

- :func:`check_strategy` validates the why, the what and the whom in plain
  words: no empty why, and a target more precise than "everyone" (the 2020
  article warns that trying to please everyone misses the point);
  :func:`is_vague_target` is the rule for the last one, in English and French;
- :func:`check_rhythm` and :func:`plan_calendar` turn videos per week, content
  pillars and formats into a four-week calendar; :func:`make_calendar_chart`
  draws it, compared with the average brand's rhythm (Rival IQ, 2023 data, a sourced
  row of ``figures.yaml``);
- :func:`reply_feedback` gives the feedback for one comment and one reply
  approach, all written in ``data/publishing.yaml``.

Any text, however odd (emoji, HTML, control characters), is accepted and
never raises; the UI escapes it on display. The learner's choices are the
store document ``publishing``: :meth:`PublishingPlan.from_store` is its one read
path (any saved value is repaired), and :func:`save_plan` merges one app's part
with what another window saved (:mod:`tiktok_lab.work.shared_documents`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, Field

from tiktok_lab.core.learner_errors import LearnerValueError
from tiktok_lab.core.content_types import ContentModel, TranslatedText, unique_ids
from tiktok_lab.core.datafiles import Source, data_dir, file_error, read_record, unknown_id
from tiktok_lab.core.i18n import format_text, localized
from tiktok_lab.core.nature import Flagged
from tiktok_lab.core.schemas import KebabId

if TYPE_CHECKING:
    import altair as alt
    import pandas as pd

    from tiktok_lab.work.shared_documents import Saved

#: The learner store document of this lesson.
STORE_DOCUMENT = "publishing"
#: The kinds of comment the practice covers.
COMMENT_KINDS = ("question", "praise", "complaint", "troll", "spam")
LEVELS = ("best", "ok", "avoid")
#: Longest text kept from a form field (a pasted essay must not bloat the store).
MAX_TEXT = 500


class Option(ContentModel):
    id: KebabId
    label: TranslatedText


class Feedback(ContentModel):
    level: Literal["best", "ok", "avoid"]
    text: TranslatedText


class Comment(ContentModel):
    id: KebabId
    kind: Literal["question", "praise", "complaint", "troll", "spam"]
    author: str
    text: TranslatedText
    feedback: dict[str, Feedback]


class Checks(Flagged):
    """The form's and the planner's limits and vague words: the course's rules of thumb."""

    min_why_words: Annotated[int, Field(ge=1, le=20)]
    max_pillars: Annotated[int, Field(ge=1, le=10)]
    max_posts_per_week: Annotated[int, Field(ge=1, le=100)]
    vague_words: tuple[str, ...]


class Levels(Flagged):
    """How a reply is graded, in words: the course's judgement."""

    best: TranslatedText
    ok: TranslatedText
    avoid: TranslatedText


_MESSAGE_KEYS = ("why_empty", "why_short", "what_empty", "whom_empty", "whom_vague",
                 "strategy_ok", "posts_zero", "posts_absurd", "posts_invalid", "pillars_none",
                 "pillars_many", "formats_none", "unknown", "rhythm_ok")


class PublishingData(ContentModel):
    """Everything in ``data/publishing.yaml``."""

    checks: Checks
    weeks: Annotated[int, Field(ge=1, le=12)]
    rhythm_figure_id: KebabId
    pillars: Annotated[tuple[Option, ...], AfterValidator(unique_ids)]
    formats: Annotated[tuple[Option, ...], AfterValidator(unique_ids)]
    approaches: Annotated[tuple[Option, ...], AfterValidator(unique_ids)]
    comments: Annotated[tuple[Comment, ...], AfterValidator(unique_ids)]
    levels: Levels
    messages: dict[str, TranslatedText]

    # The checks' numbers and words, read where they are used (``data.max_pillars``).
    min_why_words = property(lambda self: self.checks.min_why_words)
    max_pillars = property(lambda self: self.checks.max_pillars)
    max_posts_per_week = property(lambda self: self.checks.max_posts_per_week)
    vague_words = property(lambda self: self.checks.vague_words)

    def level_label(self, level: str, language: str | None = None) -> str:
        """"Good choice", "Possible, with care" or "Better avoid"."""
        return localized(getattr(self.levels, level), language=language)

    def ids(self, kind: str) -> list[str]:
        return [item.id for item in getattr(self, kind)]

    def item(self, kind: str, item_id: str) -> Any:
        for item in getattr(self, kind):
            if item.id == item_id:
                return item
        raise unknown_id(kind, item_id, self.ids(kind))

    def label(self, kind: str, item_id: str, language: str | None = None) -> str:
        return localized(self.item(kind, item_id).label, language=language)

    def message(self, key: str, language: str | None = None, **values: Any) -> str:
        return format_text(localized(self.messages[key], language=language), values,
                           language=language)


def load_publishing(path: Source | None = None) -> PublishingData:
    """The lesson's options, comments, feedback and messages, checked."""
    from tiktok_lab.core.schemas import read_figure_rows

    source = path if path is not None else data_dir() / "publishing.yaml"
    data = read_record(source, "publishing", PublishingData)
    name = getattr(path, "name", None) or "publishing.yaml"
    if data.rhythm_figure_id not in {row.id for row in read_figure_rows()}:
        raise file_error(name, f'names "{data.rhythm_figure_id}", which is not a row of '
                         "figures.yaml", field="rhythm_figure_id")
    missing = [k for k in _MESSAGE_KEYS if k not in data.messages]
    if missing:
        raise file_error(name, f'has no message "{missing[0]}"', field="messages")
    approaches = set(data.ids("approaches"))
    for comment in data.comments:
        if set(comment.feedback) != approaches:
            gap = sorted(approaches ^ set(comment.feedback))[0]
            raise file_error(name, f'comment "{comment.id}" needs feedback for every approach '
                             f'(check "{gap}")', field="comments")
        if not any(f.level == "best" for f in comment.feedback.values()):
            raise file_error(name, f'comment "{comment.id}" needs at least one "best" reply',
                             field="comments")
    return data


# --------------------------------------------------------------------------
# Strategy first: why, what, whom.


@dataclass(frozen=True)
class Issue:
    """One problem found in the learner's answers, in plain words."""

    field: str  # why | what | whom | posts_per_week | pillars | formats
    message: str


@dataclass(frozen=True)
class Check:
    """The result of a validation: ``ok`` when there is no issue; ``summary`` in any case."""

    issues: tuple[Issue, ...]
    summary: str
    nature: str = ""  # the checks' nature (data/publishing.yaml): the UI shows its label

    @property
    def ok(self) -> bool:
        return not self.issues

    def messages(self, field_name: str | None = None) -> list[str]:
        return [i.message for i in self.issues if field_name in (None, i.field)]


def clean_text(value: Any) -> str:
    """Any value as a single tidy string: never raises, keeps emoji and HTML verbatim.

    Control characters become spaces, lone surrogates (which cannot be saved) are
    dropped, a list or a dict counts as no text, and the text is cut at
    :data:`MAX_TEXT` characters (the widgets say so, see :func:`text_overflow`);
    escaping is the display's job.
    """
    from tiktok_lab.work.shared_documents import cut, tidy_text

    return cut(tidy_text(value), MAX_TEXT)


def text_overflow(field_name: str, value: Any) -> Any:
    """A ``TooLong`` when ``value`` is longer than a saved answer keeps, else None."""
    from tiktok_lab.work.shared_documents import check_length

    return check_length(field_name, value, MAX_TEXT)


def _words(text: str) -> list[str]:
    """Lower-case words without accents or punctuation ("Tout le monde !" -> tout, le, monde)."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.findall(r"[^\W_]+", plain)


def is_vague_target(whom: Any, data: PublishingData | None = None) -> bool:
    """True when a target says no more than "everyone" ("all people", "tout le monde"…).

    The rule: after lower-casing and removing accents and punctuation, every
    word of the target is in the data file's ``vague_words``. An empty target
    is vague too. "Everyone who loves tea" is not: it names an interest.
    """
    data = data or load_publishing()
    words = _words(clean_text(whom))
    vague = {w.casefold() for w in data.vague_words}
    return all(w in vague for w in words)


def check_strategy(why: Any = "", what: Any = "", whom: Any = "", *,
                   data: PublishingData | None = None, language: str | None = None) -> Check:
    """Validate the why, the what and the whom; the "why, what, whom" form of lesson 05 calls it."""
    data = data or load_publishing()
    why, what, whom = clean_text(why), clean_text(what), clean_text(whom)
    issues = []
    words = len(_words(why))
    if not words:
        issues.append(Issue("why", data.message("why_empty", language)))
    elif words < data.min_why_words:
        issues.append(Issue("why", data.message("why_short", language, words=words,
                                                minimum=data.min_why_words)))
    if not _words(what):
        issues.append(Issue("what", data.message("what_empty", language)))
    if not _words(whom):
        issues.append(Issue("whom", data.message("whom_empty", language)))
    elif is_vague_target(whom, data):
        issues.append(Issue("whom", data.message("whom_vague", language, whom=whom[:80])))
    summary = " ".join(i.message for i in issues) or data.message("strategy_ok", language)
    return Check(tuple(issues), summary, data.checks.nature)


# --------------------------------------------------------------------------
# The posting rhythm and its four-week calendar.


def _as_count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if isinstance(value, int) else None


def _saved_count(value: Any) -> int | None:
    """A whole number from a saved value (``3``, ``3.0``, ``"3"``), else None; never raises."""
    from tiktok_lab.core.cleaning import as_number

    if isinstance(value, str):
        try:
            value = as_number(value)
        except (OverflowError, ValueError):
            return None
    return _as_count(value)


def _as_picks(chosen: Any) -> list[Any]:
    """What a learner picked, as a list: a lone "tips" is one pick, None is none."""
    if chosen is None:
        return []
    return list(chosen) if isinstance(chosen, (list, tuple)) else [chosen]


def check_rhythm(posts_per_week: Any, pillars: Sequence[str] = (), formats: Sequence[str] = (),
                 *, data: PublishingData | None = None, language: str | None = None) -> Check:
    """Validate a rhythm: a sensible number of videos a week, 1-3 known pillars, 1+ formats."""
    data = data or load_publishing()
    issues = []
    posts = _as_count(posts_per_week)
    if posts is None or posts < 0:
        issues.append(Issue("posts_per_week", data.message(
            "posts_invalid", language, maximum=data.max_posts_per_week)))
    elif posts == 0:
        issues.append(Issue("posts_per_week", data.message("posts_zero", language)))
    elif posts > data.max_posts_per_week:
        issues.append(Issue("posts_per_week", data.message("posts_absurd", language,
                                                           posts=posts)))
    picked = {kind: _as_picks(chosen) for kind, chosen in (("pillars", pillars),
                                                            ("formats", formats))}
    for kind, chosen in picked.items():
        for value in chosen:
            if value not in data.ids(kind):
                issues.append(Issue(kind, data.message("unknown", language,
                                                       value=clean_text(value)[:40])))
        if not chosen:
            issues.append(Issue(kind, data.message(f"{kind}_none", language)))
    if len(picked["pillars"]) > data.max_pillars:
        issues.append(Issue("pillars", data.message(
            "pillars_many", language, count=len(picked["pillars"]), maximum=data.max_pillars)))
    if issues:
        return Check(tuple(issues), " ".join(i.message for i in issues), data.checks.nature)
    return Check((), rhythm_summary(posts, data=data, language=language), data.checks.nature)


def rhythm_summary(posts_per_week: int, *, data: PublishingData | None = None,
                   language: str | None = None) -> str:
    """"3 videos a week, 12 in 4 weeks; the average brand in Rival IQ ... (2023 data) posted about 2"."""
    from tiktok_lab.lessons.figures.sourced import figure
    from tiktok_lab.core.i18n import format_number

    data = data or load_publishing()
    median = figure(data.rhythm_figure_id)
    return data.message("rhythm_ok", language, posts=posts_per_week,
                        total=posts_in_weeks(posts_per_week, data.weeks), weeks=data.weeks,
                        source=median.source if median.when in median.source
                        else f"{median.source} ({median.when})",
                        median=format_number(median.value, language=language))


def posts_in_weeks(posts_per_week: int, weeks: int = 4) -> int:
    """How many videos a rhythm makes over ``weeks`` weeks."""
    return max(0, int(posts_per_week)) * max(0, int(weeks))


@dataclass(frozen=True)
class Post:
    """One planned video: week (1-4), day (0 = Monday), slot in the day, pillar, format."""

    week: int
    day: int
    slot: int
    pillar: str
    format: str


def plan_calendar(posts_per_week: int, pillars: Sequence[str], formats: Sequence[str], *,
                  weeks: int | None = None, data: PublishingData | None = None) -> list[Post]:
    """Spread the videos evenly over each week and rotate pillars and formats.

    Days: video ``i`` of ``n`` goes on day ``floor(i * 7 / n)``, so 2 a week
    land on Monday and Thursday and 14 a week twice a day. Pillars take turns
    video after video; formats take turns once every pillar has had one, so
    every pillar meets every format. Raises ``ValueError`` with the plain-words
    message when the rhythm does not pass :func:`check_rhythm`.
    """
    data = data or load_publishing()
    check = check_rhythm(posts_per_week, pillars, formats, data=data)
    if not check.ok:
        raise LearnerValueError(check.summary)
    pillars, formats = _as_picks(pillars), _as_picks(formats)  # a lone "tips" is one pillar
    weeks = data.weeks if weeks is None else int(weeks)
    n = int(posts_per_week)
    posts, k = [], 0
    for week in range(1, weeks + 1):
        used: dict[int, int] = {}
        for i in range(n):
            day = i * 7 // n
            slot = used.get(day, 0)
            used[day] = slot + 1
            posts.append(Post(week, day, slot, pillars[k % len(pillars)],
                              formats[(k // len(pillars)) % len(formats)]))
            k += 1
    return posts


def calendar_frame(posts: Iterable[Post], *, data: PublishingData | None = None,
                   language: str | None = None) -> "pd.DataFrame":
    """The calendar as a table: one row per video, with readable labels."""
    import pandas as pd

    from tiktok_lab.core.i18n import t

    data = data or load_publishing()
    rows = [{"week": p.week, "day": p.day, "slot": p.slot,
             "day_name": t(f"tips.days.{p.day}", language=language),
             "week_name": t("tips.chart.week", language=language, week=p.week),
             "pillar": p.pillar, "pillar_label": data.label("pillars", p.pillar, language),
             "format": p.format, "format_label": data.label("formats", p.format, language)}
            for p in posts]
    columns = ["week", "day", "slot", "day_name", "week_name", "pillar", "pillar_label",
               "format", "format_label"]
    return pd.DataFrame(rows, columns=columns)


def make_calendar_chart(posts_per_week: int, pillars: Sequence[str], formats: Sequence[str], *,
                        data: PublishingData | None = None,
                        language: str | None = None) -> "alt.Chart":
    """Four weeks × seven days, one coloured square per video (colour: pillar).

    The caption compares the rhythm with the average brand's, cited from
    ``figures.yaml`` with its source and date.
    """
    import altair as alt

    from tiktok_lab.core.charts import PALETTE, finish_chart
    from tiktok_lab.lessons.figures.sourced import cite, figure
    from tiktok_lab.core.i18n import format_number, t

    data = data or load_publishing()
    posts = plan_calendar(posts_per_week, pillars, formats, data=data)
    pillars, formats = _as_picks(pillars), _as_picks(formats)
    frame = calendar_frame(posts, data=data, language=language)
    days = [t(f"tips.days.{d}", language=language) for d in range(7)]
    weeks = [t("tips.chart.week", language=language, week=w) for w in range(1, data.weeks + 1)]
    pillar_labels = [data.label("pillars", p, language) for p in pillars]
    chart = alt.Chart(frame).mark_square(size=260).encode(
        x=alt.X("day_name:N", sort=days, scale=alt.Scale(domain=days),
                title=None, axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("week_name:N", sort=weeks, scale=alt.Scale(domain=weeks), title=None),
        xOffset=alt.XOffset("slot:N"),
        color=alt.Color("pillar_label:N", title=t("tips.chart.pillar", language=language),
                        scale=alt.Scale(domain=pillar_labels,
                                        range=list(PALETTE[:3])),
                        legend=alt.Legend(orient="bottom")),
        shape=alt.Shape("format_label:N", title=t("tips.chart.format", language=language),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("week_name:N", title=" "), alt.Tooltip("day_name:N", title=" "),
                 alt.Tooltip("pillar_label:N", title=t("tips.chart.pillar", language=language)),
                 alt.Tooltip("format_label:N", title=t("tips.chart.format", language=language))],
    ).properties(width=420, height=160)
    median = figure(data.rhythm_figure_id)
    total = len(posts)

    return finish_chart(
        chart,
        title=t("tips.chart.title", language=language, posts=int(posts_per_week), total=total,
                weeks=data.weeks),
        caption=t("tips.chart.caption", language=language, median=format_number(median.value, language=language, digits=2),
                  source=cite(median, language=language)),
        description=t("tips.chart.description", language=language, posts=int(posts_per_week),
                      total=total, weeks=data.weeks, pillars=", ".join(pillar_labels),
                      formats=", ".join(data.label("formats", f, language) for f in formats),
                      median=format_number(median.value, language=language, digits=2),
                      source=cite(median, language=language)),
    )


# --------------------------------------------------------------------------
# Replying to comments.


@dataclass(frozen=True)
class ReplyFeedback:
    """What the course says about one approach to one comment."""

    comment: str
    approach: str
    level: str  # best | ok | avoid
    level_label: str
    text: str
    best: tuple[str, ...]  # the approaches rated "best" for this comment
    nature: str = "rule_of_thumb"  # the grading's nature (levels: of data/publishing.yaml)

    @property
    def good(self) -> bool:
        return self.level == "best"


def reply_feedback(comment_id: str, approach_id: str, *, data: PublishingData | None = None,
                   language: str | None = None) -> ReplyFeedback:
    """Feedback for replying to a comment with an approach; unknown ids suggest the closest."""
    data = data or load_publishing()
    comment = data.item("comments", comment_id)
    data.item("approaches", approach_id)
    feedback = comment.feedback[approach_id]
    best = tuple(a for a in data.ids("approaches") if comment.feedback[a].level == "best")
    return ReplyFeedback(comment_id, approach_id, feedback.level,
                         data.level_label(feedback.level, language),
                         localized(feedback.text, language=language), best, data.levels.nature)


def comments_table(data: PublishingData | None = None,
                   language: str | None = None) -> "pd.DataFrame":
    """The practice comments: kind, author and text (made up for the course)."""
    import pandas as pd

    data = data or load_publishing()
    return pd.DataFrame([{"kind": c.kind, "author": c.author,
                          "comment": localized(c.text, language=language)}
                         for c in data.comments])


# --------------------------------------------------------------------------
# The learner store.


@dataclass(frozen=True)
class PublishingPlan:
    """Everything the lesson's widgets save, as the ``publishing`` store document."""

    why: str = ""
    what: str = ""
    whom: str = ""
    posts_per_week: int = 2
    pillars: tuple[str, ...] = ("behind-the-scenes",)
    formats: tuple[str, ...] = ("face-camera",)
    comment_rule: Mapping[str, Any] = field(default_factory=dict)
    practice: Mapping[str, str] = field(default_factory=dict)

    def to_store(self) -> dict[str, Any]:
        return {"why": self.why, "what": self.what, "whom": self.whom,
                "posts_per_week": self.posts_per_week, "pillars": list(self.pillars),
                "formats": list(self.formats), "comment_rule": dict(self.comment_rule),
                "practice": dict(self.practice)}

    @classmethod
    def from_store(cls, saved: Any, data: PublishingData | None = None) -> "PublishingPlan":
        """Rebuild saved choices; anything unknown or malformed falls back to a default.

        A store file may come from an older course or a hand edit: it must
        never stop a widget from opening.
        """
        data = data or load_publishing()
        saved = saved if isinstance(saved, Mapping) else {}
        default = cls()

        def picks(value: Any, kind: str, limit: int) -> tuple[str, ...]:
            items = value if isinstance(value, (list, tuple)) else []
            return tuple(i for i in data.ids(kind) if i in items)[:limit]

        posts = _saved_count(saved.get("posts_per_week"))
        posts = default.posts_per_week if posts is None else min(max(posts, 0),
                                                                 data.max_posts_per_week)
        rule = saved.get("comment_rule")
        rule = clean_text(rule.get("text")) if isinstance(rule, Mapping) else ""
        rule = {"text": rule} if rule else {}  # one form for "no rule": reading twice is stable
        practice = saved.get("practice") if isinstance(saved.get("practice"), Mapping) else {}
        practice = {c: a for c, a in practice.items()
                    if isinstance(a, str) and c in data.ids("comments")
                    and a in data.ids("approaches")}
        return cls(why=clean_text(saved.get("why")), what=clean_text(saved.get("what")),
                   whom=clean_text(saved.get("whom")), posts_per_week=posts,
                   pillars=picks(saved.get("pillars"), "pillars", data.max_pillars)
                   or default.pillars,
                   formats=picks(saved.get("formats"), "formats", len(data.formats))
                   or default.formats,
                   comment_rule=rule, practice=practice)


def read_plan(raw: Any, data: PublishingData | None = None) -> dict[str, Any]:
    """The mergeable form of a saved ``publishing`` document: every answer, repaired."""
    return PublishingPlan.from_store(raw, data).to_store()


def saved_plan_and_base(data: PublishingData | None = None
                        ) -> tuple[PublishingPlan | None, dict[str, Any]]:
    """The saved choices (None if there are none yet), and the base a window opening
    now merges its saves from."""
    from tiktok_lab.work.store import get_store

    saved = get_store().read(STORE_DOCUMENT)
    plan = PublishingPlan.from_store(saved, data) if saved else None
    return plan, (plan or PublishingPlan()).to_store()


def _check_choices(choices: Mapping[str, Any]) -> None:
    # The widgets and scripts pass these keys, never a learner: an error for maintainers, in English.
    allowed = set(PublishingPlan.__dataclass_fields__)
    unknown = sorted(set(choices) - allowed)
    if unknown:
        raise TypeError(f"unknown choice {unknown[0]!r}; expected one of {sorted(allowed)}")


def save_plan(part: Mapping[str, Any], base: Mapping[str, Any] | None,
              data: PublishingData | None = None) -> "Saved":
    """Save one app's ``part`` of the choices, merged with what another window saved since
    ``base`` (the document this app loaded or last saved). Raises ``StoreError`` when
    the save cannot happen."""
    from tiktok_lab.work.shared_documents import save_merged

    _check_choices(part)
    data = data or load_publishing()
    mine = read_plan({**(base or PublishingPlan().to_store()), **part}, data)
    return save_merged(STORE_DOCUMENT, base, mine, read=lambda raw: read_plan(raw, data))


def save_choices(**choices: Any) -> dict[str, Any]:
    """Set some choices (``why=...``, ``practice={...}``) in the ``publishing`` document,
    whatever another window saved for them (for scripts and tests; the widgets use
    :func:`save_plan`)."""
    from tiktok_lab.work.store import get_store

    _check_choices(choices)
    # Read through the model: missing keys get the defaults, so lesson 07 always finds
    # the whole shape, and odd values are repaired.
    return get_store().update(STORE_DOCUMENT,
                              lambda old: {**old, **read_plan({**old, **choices})})
