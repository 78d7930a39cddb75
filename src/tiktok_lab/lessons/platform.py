"""What a TikTok is made of (lesson 01): building blocks, length history, a toy retention model.

The building blocks (lengths, hooks, sounds, effects, genres, reactions) and
the parameters of the retention model live in ``data/platform.yaml``. The
model is **illustrative**: a curve of plausible shape for teaching, not TikTok
data, and every chart and sentence built from it says so.

The model, for a video of ``L`` seconds, a hook window of ``w`` seconds and
``t`` seconds into the video::

    share(t) = 1 - drop * t / w                         for t <= w
    share(t) = (1 - drop) * exp(-rate * (t - w))        for t > w
    rate     = base_rate * (reference / L) ** exponent * hook * sound * effect * genre

so it starts at 1, never rises, stays in [0, 1], and a longer video or a
weaker hook keeps fewer viewers by its end. Pure Python, no widgets: a call
takes well under a millisecond.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, Field, model_validator

from tiktok_lab.core.learner_errors import LearnerValueError
from tiktok_lab.core.content_types import ContentModel, TranslatedText
from tiktok_lab.core.nature import Flagged, nature_label
from tiktok_lab.core.datafiles import Source, data_dir, file_error, read_record, unknown_id
from tiktok_lab.core.i18n import get_language, localized, t
from tiktok_lab.core.schemas import KebabId
from tiktok_lab.core.sources import check_file_cites

if TYPE_CHECKING:
    import altair as alt
    import pandas as pd

#: The kinds of building block, in the order the lesson shows them.
BLOCK_KINDS = ("lengths", "hooks", "sounds", "effects", "genres", "reactions")
#: The kinds the learner picks in the anatomy widget (one of each).
CHOICE_KINDS = ("lengths", "hooks", "sounds", "effects", "genres")
#: The kinds the retention model has a number for (``model:`` of the data file).
FACTOR_KINDS = ("hooks", "sounds", "effects", "genres")
#: Points drawn per curve: smooth on screen, still fast.
CURVE_POINTS = 121
#: Longest length accepted in seconds (the 60-minute upload test of 2024).
MAX_SECONDS = 3600


# --------------------------------------------------------------------------
# The data file's models.




Share = Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False)]
Factor = Annotated[float, Field(gt=0, le=5, allow_inf_nan=False)]


class Block(ContentModel):
    """One building block: an id, a short label and a one-line description."""

    id: KebabId
    label: TranslatedText
    description: TranslatedText
    seen_in: tuple[KebabId, ...] = ()

    def text(self, language: str | None = None) -> tuple[str, str]:
        return localized(self.label, language=language), localized(self.description,
                                                                    language=language)


class LengthBlock(Block):
    seconds: Annotated[int, Field(ge=1, le=MAX_SECONDS)]
    figure_id: KebabId


class GenreBlock(Block):
    in_article: bool


class BlockFactor(ContentModel):
    """The model's number for one sound, effect or genre."""

    rate_factor: Factor


class HookFactor(BlockFactor):
    early_drop: Share


class ModelParameters(Flagged):
    """The retention model (``nature: model``): its shape and its number for each block."""

    note: TranslatedText
    base_rate_per_second: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]
    reference_seconds: Annotated[float, Field(gt=0, le=MAX_SECONDS, allow_inf_nan=False)]
    length_exponent: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
    hook_window_seconds: Annotated[float, Field(gt=0, le=60, allow_inf_nan=False)]
    hooks: dict[KebabId, HookFactor]
    sounds: dict[KebabId, BlockFactor]
    effects: dict[KebabId, BlockFactor]
    genres: dict[KebabId, BlockFactor]


def _non_empty(kind: str):
    def check(value: tuple) -> tuple:
        if not value:
            raise ValueError(f"needs at least one {kind[:-1]}")
        ids = [block.id for block in value]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f'uses the id "{repeated[0]}" twice; ids must be unique')
        return value
    return check


class PlatformData(ContentModel):
    """Everything in ``data/platform.yaml``."""

    model: ModelParameters
    lengths: Annotated[tuple[LengthBlock, ...], AfterValidator(_non_empty("lengths"))]
    hooks: Annotated[tuple[Block, ...], AfterValidator(_non_empty("hooks"))]
    sounds: Annotated[tuple[Block, ...], AfterValidator(_non_empty("sounds"))]
    effects: Annotated[tuple[Block, ...], AfterValidator(_non_empty("effects"))]
    genres: Annotated[tuple[GenreBlock, ...], AfterValidator(_non_empty("genres"))]
    reactions: Annotated[tuple[Block, ...], AfterValidator(_non_empty("reactions"))]

    @model_validator(mode="after")
    def _one_factor_per_block(self) -> "PlatformData":
        """The model has a number for every hook, sound, effect and genre, and for no other."""
        for kind in FACTOR_KINDS:
            ids = [block.id for block in getattr(self, kind)]
            numbers = getattr(self.model, kind)
            missing = [i for i in ids if i not in numbers]
            if missing:
                raise ValueError(f'model: {kind} has no number for "{missing[0]}"')
            unknown = [i for i in numbers if i not in ids]
            if unknown:
                raise ValueError(f'model: {kind} has a number for "{unknown[0]}", which is not '
                                 f"one of the {kind}")
        return self

    def factor(self, kind: str, block_id: str) -> "BlockFactor":
        """The model's number for one hook, sound, effect or genre (its id must exist)."""
        self.block(kind, block_id)
        return getattr(self.model, kind if kind in FACTOR_KINDS else f"{kind}s")[block_id]

    def blocks(self, kind: str) -> tuple[Block, ...]:
        """The blocks of one kind ("hooks", or "hook"); an unknown kind is a clear error."""
        name = kind if kind in BLOCK_KINDS else f"{kind}s"
        if name not in BLOCK_KINDS:
            raise LearnerValueError(t("platform.unknown_kind", kind=kind, kinds=", ".join(BLOCK_KINDS)))
        return getattr(self, name)

    def block(self, kind: str, block_id: str) -> Block:
        blocks = self.blocks(kind)
        for block in blocks:
            if block.id == block_id:
                return block
        raise unknown_id(kind if kind in BLOCK_KINDS else f"{kind}s", block_id,
                         [b.id for b in blocks])


def load_platform(path: Source | None = None) -> PlatformData:
    """The building blocks and model parameters, checked; errors name file and field."""
    source = path if path is not None else data_dir() / "platform.yaml"
    data = read_record(source, "platform", PlatformData)
    check_file_cites(source)
    _check_figure_ids(data, path)
    return data


def _check_figure_ids(data: PlatformData, path: Source | None) -> None:
    """Each length must point at a sourced row of figures.yaml: no unsourced number."""
    from tiktok_lab.core.schemas import read_figure_rows

    known = {row.id for row in read_figure_rows()}
    for index, length in enumerate(data.lengths):
        if length.figure_id not in known:
            name = getattr(path, "name", None) or str(path or "platform.yaml").rsplit("/", 1)[-1]
            raise file_error(name, f'names "{length.figure_id}", which is not a row of '
                             "figures.yaml", field="lengths", item=f" (item {index + 1})")


# --------------------------------------------------------------------------
# The illustrative retention model.


@dataclass(frozen=True)
class Choices:
    """One of each kind, by id (the widget's current picks)."""

    length: str = "s60"
    hook: str = "question"
    sound: str = "voice-over"
    effect: str = "none"
    genre: str = "humour"


@dataclass(frozen=True)
class RetentionCurve:
    """Share of viewers still watching (0-1) at each second drawn. Illustrative."""

    choices: Choices
    length_seconds: float
    seconds: tuple[float, ...]
    share: tuple[float, ...]
    after_hook: float
    at_end: float
    rate_per_second: float

    @property
    def half_gone_at(self) -> float | None:
        """The second at which half the viewers have left, or None if they never do."""
        for second, share in zip(self.seconds, self.share):
            if share <= 0.5:
                return second
        return None

    def to_frame(self) -> "pd.DataFrame":
        import pandas as pd

        return pd.DataFrame({"second": self.seconds, "share": self.share})


def retention_at(second: float, *, length_seconds: float, early_drop: float, rate: float,
                 window: float) -> float:
    """The model's share at one second (see the module docstring)."""
    window = min(window, length_seconds)
    second = min(max(second, 0.0), length_seconds)
    if second <= window:
        return 1.0 - early_drop * second / window
    return (1.0 - early_drop) * math.exp(-rate * (second - window))


def simulate_retention(choices: Choices | None = None, *, data: PlatformData | None = None,
                       **picks: str) -> RetentionCurve:
    """The illustrative retention curve of a video made of ``choices``.

    Pass a :class:`Choices` or keywords (``length="m3", hook="surprise"``); an
    unknown id raises an error that suggests the closest ones.
    """
    data = data or load_platform()
    choices = choices or Choices()
    if picks:
        kinds = list(Choices.__dataclass_fields__)
        for kind in picks:
            if kind not in kinds:  # "lenght=": say which names exist, not "unexpected keyword"
                raise unknown_id("building block kind", kind, kinds)
        choices = Choices(**{**choices.__dict__, **picks})
    length = data.block("lengths", choices.length)
    hook = data.factor("hooks", choices.hook)
    factor = 1.0
    for kind, block_id in (("sounds", choices.sound), ("effects", choices.effect),
                           ("genres", choices.genre)):
        factor *= data.factor(kind, block_id).rate_factor
    params = data.model
    seconds_total = float(length.seconds)
    rate = (params.base_rate_per_second
            * (params.reference_seconds / seconds_total) ** params.length_exponent
            * hook.rate_factor * factor)
    window = min(params.hook_window_seconds, seconds_total)
    step = seconds_total / (CURVE_POINTS - 1)
    seconds = sorted({round(i * step, 6) for i in range(CURVE_POINTS)} | {window})
    share = [retention_at(s, length_seconds=seconds_total, early_drop=hook.early_drop,
                          rate=rate, window=window) for s in seconds]
    return RetentionCurve(
        choices=choices,
        length_seconds=seconds_total,
        seconds=tuple(seconds),
        share=tuple(share),
        after_hook=share[seconds.index(window)],
        at_end=share[-1],
        rate_per_second=rate,
    )


def _space(language: str | None) -> str:
    """The space inside "3 s" or "70 %": a no-break one in French (it never splits a line)."""
    return "\u00a0" if (language or get_language()) == "fr" else " "


def _percent(share: float, language: str | None = None) -> str:
    sign = "%" if (language or get_language()) != "fr" else "\u00a0%"
    return f"{round(share * 100):d}{sign}"


def _duration(seconds: float, language: str | None = None) -> str:
    whole, space = int(round(seconds)), _space(language)
    if whole < 60:
        return f"{whole}{space}s"
    return f"{whole // 60}{space}min" + (f"{space}{whole % 60:02d}{space}s" if whole % 60 else "")


def _month(when: Any) -> str:
    """A month as a reader says it: "February 2022" / "février 2022", never "2022-02"."""
    from babel.dates import format_date

    return format_date(when, "LLLL y", locale=get_language())


def read_choices(curve: RetentionCurve, *, data: PlatformData | None = None,
                 language: str | None = None) -> list[str]:
    """A few plain sentences about a curve: the numbers first, then each choice."""
    data = data or load_platform()
    c = curve.choices
    lines = [t("platform.reading.numbers", language=language,
               window=_duration(data.model.hook_window_seconds, language),
               after_hook=_percent(curve.after_hook, language),
               at_end=_percent(curve.at_end, language),
               length=_duration(curve.length_seconds, language))]
    half = curve.half_gone_at
    lines.append(t("platform.reading.half", language=language, when=_duration(half, language))
                 if half is not None else t("platform.reading.never_half", language=language))
    for kind, block_id in (("hooks", c.hook), ("sounds", c.sound), ("effects", c.effect),
                           ("genres", c.genre), ("lengths", c.length)):
        label, description = data.block(kind, block_id).text(language)
        lines.append(t("platform.reading.block", language=language, label=label,
                       description=description))
    lines.append(nature_label(data.model, language) + ".")
    return lines


# --------------------------------------------------------------------------
# Charts.


def length_history(path: Source | None = None) -> "pd.DataFrame":
    """The figures.yaml rows on maximum video length, with minutes and a 'kind' column."""
    from tiktok_lab.lessons.figures.sourced import load_chart_figures

    frame = load_chart_figures(path)
    rows = frame[frame["topic"] == "video_length"].copy()
    rows["minutes"] = rows["value"] / 60
    rows["is_test"] = rows["id"].str.endswith("-test")  # by id: the scope is in the learner's words
    rows["kind"] = [t("platform.history.test") if test else t("platform.history.limit")
                    for test in rows["is_test"]]
    rows["label"] = [_duration(v) for v in rows["value"]]
    return rows.reset_index(drop=True)


def make_length_history_chart(path: Source | None = None) -> "alt.LayerChart":
    """Maximum length of a TikTok video, 2016-2024 (log scale), dated and sourced."""
    import altair as alt

    from tiktok_lab.core.charts import finish_chart

    from tiktok_lab.lessons.figures.sourced import as_of, confidence_label

    rows = length_history(path)
    data = rows[["date", "minutes", "label", "kind", "source", "via", "confidence"]].copy()
    # The tooltip's date is only as precise as its source ("2016", not "Jan 2016").
    data["when"] = [as_of(d, p) for d, p in zip(rows["date"], rows["date_precision"])]
    data["date"] = data["date"].dt.strftime("%Y-%m-%d")
    data["via"] = data["via"].fillna("")
    data["confidence"] = [confidence_label(c) for c in data["confidence"]]
    kinds = [t("platform.history.limit"), t("platform.history.test")]
    base = alt.Chart(data).encode(
        x=alt.X("date:T", title=t("platform.history.x"), axis=alt.Axis(format="%Y")),
        y=alt.Y("minutes:Q", title=t("platform.history.y"),
                scale=alt.Scale(type="log", domain=[0.2, 100])),
    )
    line = base.transform_filter(alt.datum.kind == kinds[0]).mark_line(
        interpolate="step-after", strokeWidth=3)
    points = base.mark_point(size=110, filled=True).encode(
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=kinds),
                        legend=alt.Legend(orient="bottom")),
        shape=alt.Shape("kind:N", scale=alt.Scale(domain=kinds), legend=None),
        tooltip=[alt.Tooltip("when:N", title=t("platform.history.x")),
                 alt.Tooltip("label:N", title=t("platform.history.y")),
                 alt.Tooltip("source:N", title=t("platform.history.source")),
                 alt.Tooltip("via:N", title=t("platform.history.via")),
                 alt.Tooltip("confidence:N", title=t("platform.history.confidence"))],
    )
    labels = base.mark_text(align="left", dx=8, dy=-10, fontSize=13).encode(text=alt.Text("label:N"))
    first, last = rows.iloc[0], rows.iloc[-1]
    # Who published the page each row was seen in (sources.yaml), in date order.
    sources = list(dict.fromkeys(str(v) for v in rows["via"].dropna()))
    limits = rows[~rows["is_test"]]
    return finish_chart(
        alt.layer(line, points, labels),
        title=t("platform.history.title"),
        caption=t("platform.history.caption", via=", ".join(sources),
                  first=first["date"].year, last=_month(last["date"])),
        description=t("platform.history.description", start=_duration(first["value"]),
                      start_year=first["date"].year, limit=_duration(limits.iloc[-1]["value"]),
                      limit_date=_month(limits.iloc[-1]["date"]),
                      test=_duration(last["value"]), test_date=_month(last["date"])),
    )


def make_retention_chart(curve: RetentionCurve, *,
                         data: PlatformData | None = None) -> "alt.LayerChart":
    """The video as a timeline: hook window shaded, illustrative share still watching."""
    import altair as alt
    import pandas as pd

    from tiktok_lab.core.charts import PALETTE, finish_chart

    data = data or load_platform()
    frame = curve.to_frame()
    frame["percent"] = frame["share"] * 100
    window = min(data.model.hook_window_seconds, curve.length_seconds)
    x_title = t("platform.retention.x")
    # Channel objects (alt.X, alt.YValue), not "start:Q" strings or alt.value(): Altair 6.3
    # parses each of those through from_dict, milliseconds per redraw (docs/performance.md).
    band = alt.Chart(pd.DataFrame({"start": [0.0], "end": [window],
                                   "what": [t("platform.retention.hook_band")]})).mark_rect(
        # A pale fill reads as a background; its full-strength edge (4.2:1) marks the window.
        fill=PALETTE[4], fillOpacity=0.15, stroke=PALETTE[4], strokeWidth=2,
    ).encode(x=alt.X("start:Q"), x2=alt.X2("end:Q"))
    band_label = alt.Chart(pd.DataFrame({"start": [0.0], "what": [
        t("platform.retention.hook_band")]})).mark_text(
        align="left", baseline="top", dx=4, dy=4, fontSize=12, color="#7a4d00").encode(
        x=alt.X("start:Q"), y=alt.YValue(0), text=alt.Text("what:N"))
    line = alt.Chart(frame).mark_area(line={"strokeWidth": 3}, opacity=0.25).encode(
        x=alt.X("second:Q", title=x_title, scale=alt.Scale(domain=[0, curve.length_seconds])),
        y=alt.Y("percent:Q", title=t("platform.retention.y"), scale=alt.Scale(domain=[0, 100])),
        tooltip=[alt.Tooltip("second:Q", title=x_title, format=".0f"),
                 alt.Tooltip("percent:Q", title=t("platform.retention.y"), format=".0f")],
    )
    length = data.block("lengths", curve.choices.length)
    return finish_chart(
        alt.layer(band, line, band_label).properties(height=260),
        title=t("platform.retention.title", model=nature_label(data.model)),
        caption=localized(data.model.note),
        description=t("platform.retention.description", length=localized(length.label),
                      after_hook=_percent(curve.after_hook), at_end=_percent(curve.at_end),
                      window=_duration(window)),
    )
