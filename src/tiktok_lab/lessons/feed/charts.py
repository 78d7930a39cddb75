"""Lesson 03's content tables and charts: cold start, ranking, pool funnel, similar videos, switches.

Every chart says it shows the **illustrative feed simulator** (``tiktok_lab.lessons.feed.model``), built from
public descriptions, never TikTok's code or data; pools are labelled as an industry
description, not an official one. The builders take the DataFrames the simulator returns, so
they are pure: same table, same chart. The lesson's sourced tables (signal families, known vs
folklore vs unknown) are data: ``data/feed_lesson.yaml``.

``encode()`` gets channel objects (``alt.Tooltip("rank")``), never bare strings: Altair 6.3
parses each string through ``from_dict``, milliseconds per redraw (``docs/performance.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from tiktok_lab.core.charts import finish_chart
from tiktok_lab.core.content_types import ContentModel, TranslatedText
from tiktok_lab.core.datafiles import Source, data_dir, read_record
from tiktok_lab.core.i18n import format_date, format_number, get_language, localized, t
from tiktok_lab.core.nature import nature_label
from tiktok_lab.core.schemas import KebabId
from tiktok_lab.core.sources import check_file_cites

if TYPE_CHECKING:
    import altair as alt
    import pandas as pd

#: Order of the statuses in the "known vs folklore vs unknown" table.
STATUSES = ("known", "unknown", "folklore")






class SignalFamily(ContentModel):
    id: KebabId
    family: TranslatedText
    covers: TranslatedText
    strong: TranslatedText
    weak: TranslatedText
    weight: TranslatedText


class Claim(ContentModel):
    id: KebabId
    status: Literal["known", "folklore", "unknown"]
    claim: TranslatedText
    source: TranslatedText
    seen_in: tuple[KebabId, ...] = ()
    #: ISO date (shown in the learner's language), or "—" when the source has none.
    date: str = Field(min_length=1)
    confidence: Literal["High", "Medium", "Low", "Unverified"]


class FeedLesson(ContentModel):
    signals_source: TranslatedText
    signals_seen_in: tuple[KebabId, ...] = ()
    signals: tuple[SignalFamily, ...] = Field(min_length=3, max_length=3)
    claims: tuple[Claim, ...] = Field(min_length=1)


def load_feed_lesson(path: Source | None = None) -> FeedLesson:
    """The lesson's sourced content (``data/feed_lesson.yaml``), checked."""
    source = path if path is not None else data_dir() / "feed_lesson.yaml"
    lesson = read_record(source, "feed_lesson", FeedLesson)
    check_file_cites(source)
    return lesson


def signal_families(language: str | None = None) -> "pd.DataFrame":
    """The three signal families TikTok names (newsroom, 18 June 2020), strong vs weak examples."""
    import pandas as pd

    lesson = load_feed_lesson()
    rows = [{
        t("feed_lesson.signals.family", language=language): localized(s.family, language=language),
        t("feed_lesson.signals.covers", language=language): localized(s.covers, language=language),
        t("feed_lesson.signals.strong", language=language): localized(s.strong, language=language),
        t("feed_lesson.signals.weak", language=language): localized(s.weak, language=language),
        t("feed_lesson.signals.weight", language=language): localized(s.weight, language=language),
    } for s in lesson.signals]
    frame = pd.DataFrame(rows)
    frame.attrs["source"] = localized(lesson.signals_source, language=language)
    return frame


def feed_claims(language: str | None = None) -> "pd.DataFrame":
    """What is known, folklore or unknown about the feed, with source, date and confidence."""
    import pandas as pd

    from tiktok_lab.lessons.figures.sourced import confidence_label

    claims = sorted(load_feed_lesson().claims, key=lambda c: STATUSES.index(c.status))
    return pd.DataFrame([{
        "status": c.status,
        t("feed_lesson.claims.status", language=language):
            t(f"feed_lesson.claims.{c.status}", language=language),
        t("feed_lesson.claims.claim", language=language): localized(c.claim, language=language),
        t("feed_lesson.claims.source", language=language): localized(c.source, language=language),
        t("feed_lesson.claims.date", language=language): _claim_date(c.date, language),
        t("feed_lesson.claims.confidence", language=language):
            confidence_label(c.confidence, language=language),
    } for c in claims])


def _claim_date(value: str, language: str | None) -> str:
    """An ISO date in the learner's language ("18 juin 2020"); "—" stays as it is."""
    try:
        return format_date(value, language=language)
    except ValueError:
        return value


# --------------------------------------------------------------------------- charts


def _model_caption(extra: str = "", language: str | None = None, *,
                   pools: bool = False) -> str:
    """The simulator's label and note (and the traffic-pool model's label when the chart
    shows pools), then ``extra``."""
    from tiktok_lab.lessons.feed.model import load_feed_data

    data = load_feed_data()
    labels = [nature_label(data.model, language)]
    if pools and data.pools.nature != data.model.nature:
        labels.append(nature_label(data.pools, language))
    caption = (f"{'. '.join(labels)}. "
               f"{localized(data.model.note, language=language)}.")
    return f"{caption} {extra}".strip()


def make_cold_start_chart(feed: "pd.DataFrame", language: str | None = None) -> "alt.Chart":
    """The feed at first open (``cold_start_feed``): one bar per video, coloured by why."""
    import altair as alt

    language = language or get_language()
    frame = feed.copy()
    frame["label"] = [f"{p:>2}. {topic} · {int(s)} s" for p, topic, s
                      in zip(frame["position"], frame["topic_label"], frame["length_seconds"])]
    frame["why_text"] = [t(f"feed_lesson.why.{w.replace(' ', '_')}", language=language)
                         for w in frame["why"]]
    mine = int((frame["why"] == "your interest").sum())
    chart = alt.Chart(frame).mark_bar().encode(
        y=alt.Y("label:N", sort=list(frame["label"]), title=t("feed_lesson.cold.y", language=language)),
        x=alt.X("likes:Q", title=t("feed_lesson.cold.x", language=language)),
        color=alt.Color("why_text:N", title=t("feed_lesson.cold.colour", language=language)),
        tooltip=[alt.Tooltip("position"), alt.Tooltip("topic_label"),
                 alt.Tooltip("length_seconds"), alt.Tooltip("likes"), alt.Tooltip("why_text")],
    ).properties(width=460, height=max(160, 24 * len(frame)))
    return finish_chart(
        chart,
        title=t("feed_lesson.cold.title", language=language),
        caption=_model_caption(t("feed_lesson.cold.caption", language=language), language),
        description=t("feed_lesson.cold.description", language=language, count=len(frame),
                      mine=mine, popular=len(frame) - mine),
    )


def make_feed_ranking_chart(ranked: "pd.DataFrame", language: str | None = None) -> "alt.Chart":
    """One person's candidates (``rank_feed``) by score: shown, not shown, diversity slot."""
    import altair as alt

    language = language or get_language()
    frame = ranked[ranked["slot"] == "ranked"].sort_values("rank").copy()
    frame["label"] = [f"#{int(r):>2} · {t('feed_lesson.rank.place', language=language, place=int(place))}"
                      f" · {topic} · {int(s)} s" for r, place, topic, s
                      in zip(frame["rank"], frame["place"], frame["topic_label"],
                             frame["length_seconds"])]
    frame["status"] = [t("feed_lesson.rank.shown" if s else "feed_lesson.rank.not_shown",
                         language=language) for s in frame["shown"]]
    top = frame.iloc[0]
    chart = alt.Chart(frame).mark_bar().encode(
        y=alt.Y("label:N", sort=list(frame["label"]), title=t("feed_lesson.rank.y", language=language)),
        x=alt.X("score:Q", title=t("feed_lesson.rank.x", language=language)),
        color=alt.Color("status:N", title=t("feed_lesson.rank.colour", language=language)),
        tooltip=[alt.Tooltip("rank"), alt.Tooltip("place"), alt.Tooltip("topic_label"),
                 alt.Tooltip("length_seconds"),
                 alt.Tooltip("p_play:Q", format=".2f"), alt.Tooltip("p_like:Q", format=".3f"),
                 alt.Tooltip("p_comment:Q", format=".3f"),
                 alt.Tooltip("e_playtime:Q", format=".2f"), alt.Tooltip("score:Q", format=".2f")],
    ).properties(width=460, height=max(160, 18 * len(frame)))
    return finish_chart(
        chart,
        title=t("feed_lesson.rank.title", language=language),
        caption=_model_caption(t("feed_lesson.rank.caption", language=language), language),
        description=t("feed_lesson.rank.description", language=language, count=len(frame),
                      shown=int(frame["shown"].sum()), places=int(frame["place"].nunique()),
                      topic=top["topic_label"],
                      seconds=int(top["length_seconds"])),
    )


def make_pool_funnel_chart(uploads: "pd.DataFrame | Mapping[str, pd.DataFrame]",
                           language: str | None = None) -> "alt.Chart":
    """Impressions per round of one or more uploaded videos (``upload_video``), by pool."""
    import altair as alt
    import pandas as pd

    language = language or get_language()
    if not isinstance(uploads, Mapping):
        uploads = {t("feed_lesson.funnel.your_video", language=language): uploads}
    frame = pd.concat([u.assign(video_name=name) for name, u in uploads.items()],
                      ignore_index=True)
    frame["pool_text"] = [t("feed_lesson.funnel.pool", language=language, pool=int(p))
                          for p in frame["pool"]]
    frame["decision_text"] = [t(f"feed_lesson.decision.{d.replace(' ', '_')}", language=language)
                              for d in frame["decision"]]
    several = len(uploads) > 1
    encoding: dict[str, Any] = dict(
        x=alt.X("round:O", title=t("feed_lesson.funnel.x", language=language)),
        y=alt.Y("impressions:Q", title=t("feed_lesson.funnel.y", language=language)),
        color=(alt.Color("video_name:N", title=t("feed_lesson.funnel.video", language=language))
               if several else alt.Color("pool_text:N",
                                         title=t("feed_lesson.funnel.pool_title", language=language))),
        tooltip=[alt.Tooltip("video_name"), alt.Tooltip("round"), alt.Tooltip("pool_text"),
                 alt.Tooltip("impressions"), alt.Tooltip("views"), alt.Tooltip("decision_text"),
                 alt.Tooltip("percentile:Q", format=".0f"), alt.Tooltip("reach")],
    )
    if several:
        encoding["xOffset"] = alt.XOffset("video_name:N")
    chart = alt.Chart(frame).mark_bar().encode(**encoding).properties(width=420, height=260)
    finals = t("feed_lesson.funnel.separator", language=language).join(
        t("feed_lesson.funnel.final", language=language, name=name,
          reach=format_number(int(u["reach"].iloc[-1]), language=language),
          pool=int(u["pool"].max()))
        for name, u in uploads.items())
    return finish_chart(
        chart,
        title=t("feed_lesson.funnel.title", language=language),
        caption=_model_caption(t("feed_lesson.funnel.caption", language=language), language,
                               pools=True),
        description=t("feed_lesson.funnel.description", language=language,
                      rounds=int(frame["round"].max()), finals=finals),
    )


def make_similar_videos_chart(percentiles: "pd.DataFrame", topic: str = "food",
                              length_bucket: str = "short",
                              language: str | None = None) -> "alt.Chart":
    """Completion rate against its percentile among similar videos (same topic and length)."""
    import altair as alt

    language = language or get_language()
    group = percentiles[(percentiles["topic"] == topic)
                        & (percentiles["length_bucket"] == length_bucket)].copy()
    if group.empty:
        from tiktok_lab.lessons.feed.model import FeedInputError

        raise FeedInputError(t("feed_lesson.errors.no_similar", language=language,
                               topic=repr(topic), length=repr(length_bucket)))
    group["completion_percent"] = group["completion_rate"] * 100
    group["decision"] = [t(f"feed_lesson.decision.{d.replace(' ', '_')}", language=language)
                         for d in group["decision"]]
    chart = alt.Chart(group).mark_circle(size=120).encode(
        x=alt.X("completion_percent:Q", title=t("feed_lesson.similar.x", language=language)),
        y=alt.Y("percentile_completion:Q", scale=alt.Scale(domain=[0, 100]),
                title=t("feed_lesson.similar.y", language=language)),
        color=alt.Color("decision:N", title=t("feed_lesson.similar.colour", language=language)),
        tooltip=[alt.Tooltip("video"), alt.Tooltip("length_seconds"), alt.Tooltip("impressions"),
                 alt.Tooltip("completion_percent:Q", format=".1f"),
                 alt.Tooltip("percentile_completion:Q", format=".0f"), alt.Tooltip("decision")],
    ).properties(width=420, height=260)
    return finish_chart(
        chart,
        title=t("feed_lesson.similar.title", language=language,
                topic=group["topic_label"].iloc[0]),
        caption=_model_caption(t("feed_lesson.similar.caption", language=language), language),
        description=t("feed_lesson.similar.description", language=language, count=len(group),
                      topic=group["topic_label"].iloc[0],
                      best=format_number(group["completion_percent"].max(), language=language)),
    )


def similar_videos_chart(topic: str = "food", length_bucket: str = "short",
                         language: str | None = None) -> "alt.Chart":
    """Step 3 in one call: the default simulated world's videos of one topic and length,
    their completion against its percentile among them."""
    from tiktok_lab.lessons.feed.pools import similar_video_percentiles, simulate_feed

    return make_similar_videos_chart(similar_video_percentiles(simulate_feed()), topic,
                                     length_bucket, language)


def make_feed_switches_chart(summaries: Mapping[str, "pd.DataFrame"],
                             language: str | None = None) -> "alt.Chart":
    """Watch hours per round for each scenario (``FeedResult.summary()``), side by side."""
    import altair as alt
    import pandas as pd

    language = language or get_language()
    frame = pd.concat([s.assign(scenario=name) for name, s in summaries.items()],
                      ignore_index=True)
    frame["outside_percent"] = frame["out_of_profile_share"] * 100
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("round:O", title=t("feed_lesson.switch.x", language=language)),
        xOffset=alt.XOffset("scenario:N"),
        y=alt.Y("watch_hours:Q", title=t("feed_lesson.switch.y", language=language)),
        color=alt.Color("scenario:N", title=t("feed_lesson.switch.colour", language=language)),
        tooltip=[alt.Tooltip("scenario"), alt.Tooltip("round"),
                 alt.Tooltip("watch_hours:Q", format=".0f"), alt.Tooltip("impressions"),
                 alt.Tooltip("outside_percent:Q", format=".0f")],
    ).properties(width=420, height=240)
    totals = t("feed_lesson.funnel.separator", language=language).join(
        t("feed_lesson.switch.total", language=language, name=name,
          hours=format_number(round(float(s["watch_hours"].sum())), language=language))
        for name, s in summaries.items())
    return finish_chart(
        chart,
        title=t("feed_lesson.switch.title", language=language),
        caption=_model_caption(t("feed_lesson.switch.caption", language=language), language),
        description=t("feed_lesson.switch.description", language=language, totals=totals),
    )
