"""Charts of lesson 02 (TikTok in figures), built from the sourced figures only.

Each builder picks its rows from ``data/figures.yaml`` (and, for the 2020
article's numbers, ``data/article_claims.yaml``), so a chart can never show a
number without its source: the caption lists every source the chart uses with
the dates of its figures, written no more precisely than the source gives them.
The article's own numbers are drawn as dashed lines or hatched bars labelled
with their verification status, never as facts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tiktok_lab.core.charts import GREY, PALETTE, finish_chart
from tiktok_lab.lessons.figures.sourced import (as_of, format_value, load_article_claims,
                                               load_chart_figures, short_source)
from tiktok_lab.core.i18n import semicolon, t

if TYPE_CHECKING:
    import altair as alt
    import pandas as pd

# Claims are quoted as the article's; each chart shows the ones it can be read against.
_USERS_CLAIM = "claim-monthly-users-800m"
_DOWNLOADS_CLAIM = "claim-downloads-2bn"
_TIME_CLAIM = "claim-time-50-min-per-day"
_WOMEN_CLAIM = "claim-women-67-percent"

# Rows are picked by id, never by their words: the metric and scope are read in the learner's
# language. TikTok's monthly users (``users-mau-2020-07``), DataReportal's ad reach in people
# (``ad-reach-2022-01``, not the share ``ad-reach-share-…``), worldwide downloads since launch
# (``downloads-2020-04``, not a quarter, nor India's or China's), Statista's 2025 split of the
# ad audience (``audience-2025-02-women-18-24``).
_MONTHLY_USERS = r"^users-mau-"
_AD_REACH = r"^ad-reach-\d{4}-"
_DOWNLOADS = r"^downloads-\d{4}-\d{2}$"
_AGE_SEX = r"^audience-2025-02-(?P<sex>women|men)-(?P<age>\d+-\d+)$"
# eMarketer's forecasts (made in March 2023): their own series, never joined to measurements.
_FORECASTS = frozenset({"time-emarketer-us-2023", "time-emarketer-us-2024"})


def _status(status: str) -> str:
    return t(f"figures.status.{status.replace('-', '_')}")


def _claim(claim_id: str) -> "pd.Series":
    claims = load_article_claims().set_index("id")
    return claims.loc[claim_id]


def claim_label(claim_id: str) -> str:
    """``Article's claim (2020): 800M (partly verified)``."""
    claim = _claim(claim_id)
    return t("figures.chart.claim_label", value=format_value(claim["value"], claim["unit"],
                                                             bound=claim.get("bound")),
             status=_status(claim["status"]))


def sources_caption(rows: "pd.DataFrame", *, claim: bool | str = False) -> str:
    """``Sources: TikTok, via Bol News (January 2018 – July 2020); DataReportal (October 2021)…``

    One entry per publisher and the page it was seen through, with the dates of its figures
    in this chart (the tooltips and the tables link each page). ``claim`` adds the line
    that says which mark is the article's claim (``True``: the dashed line; or the key of
    another such line under ``figures.chart``).
    """
    parts = []
    for name, group in rows.assign(publisher=_publishers(rows)).groupby(
            "publisher", sort=False):
        first, last = group.sort_values("date").iloc[[0, -1]].itertuples()
        start = as_of(first.date, first.date_precision)
        end = as_of(last.date, last.date_precision)
        parts.append(t("figures.chart.source_dates", source=name,
                       dates=start if start == end else f"{start} – {end}"))
    caption = t("figures.chart.sources", sources=semicolon().join(parts))
    if claim:
        caption += " " + t(f"figures.chart.{'claim_source' if claim is True else claim}")
    return caption


def _publishers(rows: "pd.DataFrame") -> list[str]:
    """``TikTok, via Bol News`` per row: the producer, then who published the page."""
    vias = rows["via"] if "via" in rows else [None] * len(rows)
    return [short_source(source) if not isinstance(via, str) or not via
            else t("figures.cite.via", source=short_source(source), via=via)
            for source, via in zip(rows["source"], vias)]


def users_over_time() -> "pd.DataFrame":
    """Monthly active users (TikTok's counts) and ad reach (adults, DataReportal), dated.

    Figures of the same series on the same day (a monthly and a quarterly copy
    of one number) are kept once.
    """
    figures = load_chart_figures()
    monthly = figures[(figures["topic"] == "users") & figures["id"].str.match(_MONTHLY_USERS)]
    reach = figures[(figures["topic"] == "ad_reach") & figures["id"].str.match(_AD_REACH)]
    monthly = monthly.assign(series=t("figures.series.monthly_users"))
    reach = reach.assign(series=t("figures.series.ad_reach"))
    import pandas as pd

    rows = pd.concat([monthly, reach]).drop_duplicates(subset=["series", "date"], keep="last")
    return _with_labels(rows.sort_values("date").reset_index(drop=True))


def downloads_over_time() -> "pd.DataFrame":
    """Worldwide downloads since launch (TikTok and Douyin), dated."""
    figures = load_chart_figures()
    rows = figures[(figures["topic"] == "downloads") & figures["id"].str.match(_DOWNLOADS)]
    return _with_labels(rows.sort_values("date").reset_index(drop=True))


def time_spent_over_time() -> "pd.DataFrame":
    """Minutes per day: eMarketer's US series and the worldwide Android figure."""
    figures = load_chart_figures()
    rows = figures[(figures["topic"] == "time_spent") & (figures["unit"] == "minutes per day")
                   & (figures["confidence"] >= "Medium")]
    # A forecast is its own series: drawn on the same line it would read as a measurement.
    forecast = rows["id"].isin(_FORECASTS)
    rows = rows.assign(series=rows["scope"] + " (" + rows["source"].map(short_source)
                       + forecast.map({True: ", " + t("figures.series.forecast"), False: ""}) + ")")
    return _with_labels(rows.sort_values("date").reset_index(drop=True))


def women_share() -> "pd.DataFrame":
    """Share of women: the article's 2020 claim next to the sourced figures.

    The 2025 worldwide share is derived in front of the learner's eyes: the women
    aged 18-34 divided by everyone aged 18-34 in Statista's four age-and-sex rows.
    """
    import pandas as pd

    figures = load_chart_figures()
    # The shares of women among all users; the 2025 age-and-sex rows are summed below.
    direct = figures[figures["id"].isin(_claim(_WOMEN_CLAIM)["related_figure_ids"])
                     & ~figures["id"].str.match(_AGE_SEX)]
    rows = [{"label": f"{r.scope} ({short_source(r.source)}, {as_of(r.date, r.date_precision)})",
             "id": r.id, "value": r.value, "kind": t("figures.kind.sourced"), "date": r.date,
             "source": r.source, "via": r.via, "date_precision": r.date_precision}
            for r in direct.itertuples()]
    cells = age_sex_2025()
    women = cells.loc[cells["sex"] == t("figures.sex.women"), "value"].sum()
    latest = cells.iloc[-1]
    rows.append({"label": t("figures.chart.women_2025", when=as_of(latest.date, latest.date_precision)),
                 "id": None, "value": round(100 * women / cells["value"].sum(), 1),
                 "kind": t("figures.kind.derived"), "date": latest.date,
                 "source": latest.source, "via": latest.via,
                 "date_precision": latest.date_precision})
    claim = _claim(_WOMEN_CLAIM)
    rows.insert(0, {"label": t("figures.chart.article_claim", status=_status(claim["status"])),
                    "id": None, "value": claim["value"], "kind": t("figures.kind.claim"), "date": pd.NaT,
                    "source": None, "via": None, "date_precision": None})
    return pd.DataFrame(rows)


def age_sex_2025() -> "pd.DataFrame":
    """Statista's February 2025 worldwide ad audience by age band and sex (4 rows)."""
    figures = load_chart_figures()
    rows = figures[(figures["topic"] == "audience") & figures["id"].str.match(_AGE_SEX)]
    parts = rows["id"].str.extract(_AGE_SEX)
    rows = rows.assign(age=parts["age"], sex=[t(f"figures.sex.{sex}") for sex in parts["sex"]])
    return _with_labels(rows.reset_index(drop=True))


def _with_labels(rows: "pd.DataFrame") -> "pd.DataFrame":
    """Add the text a tooltip shows: the value with its unit, and its date as published."""
    return rows.assign(
        shown=[format_value(v, u, bound=b)
               for v, u, b in zip(rows["value"], rows["unit"], rows["bound"])],
        when=[as_of(d, p) for d, p in zip(rows["date"], rows["date_precision"])],
        publisher=_publishers(rows),
    )


def _is_floor(rows: "pd.DataFrame") -> "pd.Series":
    return rows["bound"].eq("lower") if "bound" in rows else rows["value"].isna()


def _line_with_floors(alt: "object", data: "pd.DataFrame", **encoding) -> "alt.LayerChart":
    """Exact figures joined by a line; lower bounds ("more than") as upward triangles, off the
    line, so a floor never reads as a level (a flat "1 billion" from 2021 to 2025 would)."""
    floors = _is_floor(data)
    x = alt.X("date:T", title=None, axis=_years(alt), scale=alt.Scale(nice="year"))
    line = alt.Chart(data[~floors]).mark_line(point=True).encode(x=x, **encoding)
    if not floors.any():
        return line
    marks = alt.Chart(data[floors]).mark_point(shape="triangle-up", filled=True, size=110,
                                               opacity=1).encode(x=x, **encoding)
    # An empty layer draws an empty, unnamed mark group (axe: svg-img-alt): leave it out.
    return marks if floors.all() else line + marks


def _floors_note(data: "pd.DataFrame", caption: str) -> str:
    return f"{caption} {t('figures.chart.floors')}" if _is_floor(data).any() else caption


def _tooltip(alt: "object") -> list:
    return [alt.Tooltip("shown:N", title=t("figures.col.value")),
            alt.Tooltip("when:N", title=t("figures.col.date")),
            alt.Tooltip("publisher:N", title=t("figures.col.source"))]


def _finish(chart: "alt.TopLevelMixin", *, title: str, caption: str, description: str,
            takeaway: str = ""):
    """``finish_chart``, then the caption wrapped in lines: one long subtitle line
    would make Vega shrink the whole chart to fit it. A ``takeaway``, the one line to
    remember, comes first, on its own line, before the sources."""
    import textwrap

    import altair as alt

    chart = finish_chart(chart, title=title, caption=caption, description=description)
    lines = textwrap.wrap(takeaway.strip(), 100) + textwrap.wrap(caption.strip(), 100)
    chart.title = alt.TitleParams(text=title.strip(), subtitle=lines)
    return chart


def _years(alt: "object") -> "object":
    """A time axis labelled by year only ("2019", "2020"): month ticks read "2019July"."""
    return alt.Axis(format="%Y", tickCount="year", labelAngle=0)


def _big_numbers(alt: "object", title: str) -> "object":
    """An axis of people or downloads: 1.5B rather than Vega's 1.5G."""
    suffix = t("figures.chart.billion_suffix")
    return alt.Axis(title=title, labelExpr=f"replace(format(datum.value, '~s'), 'G', '{suffix}')")


def _claim_rule(alt: "object", claim_id: str) -> "alt.LayerChart":
    claim = _claim(claim_id)
    import pandas as pd

    data = pd.DataFrame({"value": [claim["value"]], "label": [claim_label(claim_id)]})
    base = alt.Chart(data)
    # Channel objects (alt.Y, alt.XValue), not "value:Q" strings or alt.value(): Altair 6.3
    # parses each of those through from_dict (docs/performance.md).
    rule = base.mark_rule(strokeDash=[6, 4], color="#555555", strokeWidth=2).encode(
        y=alt.Y("value:Q"))
    text = base.mark_text(align="left", dx=4, dy=-8, color="#333333").encode(
        y=alt.Y("value:Q"), x=alt.XValue(4), text=alt.Text("label:N"))
    return rule + text


def make_users_chart() -> "alt.LayerChart":
    """Monthly users and ad reach as two labelled lines, with the article's 800 M claim."""
    import altair as alt

    data = users_over_time()
    lines = _line_with_floors(alt, data, y=alt.Y(
        "value:Q", axis=_big_numbers(alt, t("figures.chart.people"))), color=alt.Color(
        "series:N", title=None, legend=alt.Legend(orient="bottom", labelLimit=500)), tooltip=[
        alt.Tooltip("series:N", title=t("figures.col.series")), *_tooltip(alt)])
    latest = data.iloc[-1]
    return _finish(
        lines + _claim_rule(alt, _USERS_CLAIM),
        title=t("figures.chart.users_title"),
        takeaway=t("figures.chart.users_takeaway"),
        caption=_floors_note(data, sources_caption(data, claim=True)),
        description=t("figures.chart.users_description", count=len(data),
                      first=data.iloc[0]["shown"], first_when=data.iloc[0]["when"],
                      last=latest["shown"], last_when=latest["when"], claim=claim_label(_USERS_CLAIM)),
    )


def make_downloads_chart() -> "alt.LayerChart":
    """Downloads since launch over time, with the article's "more than 2 billion"."""
    import altair as alt

    data = downloads_over_time()
    line = _line_with_floors(alt, data, y=alt.Y(
        "value:Q", axis=_big_numbers(alt, t("figures.chart.downloads"))), tooltip=_tooltip(alt))
    return _finish(
        line + _claim_rule(alt, _DOWNLOADS_CLAIM),
        title=t("figures.chart.downloads_title"),
        caption=_floors_note(data, sources_caption(data, claim=True)),
        description=t("figures.chart.downloads_description", count=len(data),
                      first=data.iloc[0]["shown"], first_when=data.iloc[0]["when"],
                      last=data.iloc[-1]["shown"], last_when=data.iloc[-1]["when"]),
    )


def make_time_spent_chart() -> "alt.LayerChart":
    """Minutes a day over time, per series, with the article's 50 minutes."""
    import altair as alt

    data = time_spent_over_time()
    lines = alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("date:T", title=None, axis=_years(alt)),
        y=alt.Y("value:Q", title=t("figures.chart.minutes_per_day")),
        color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom", columns=1, labelLimit=500)),
        tooltip=[alt.Tooltip("series:N", title=t("figures.col.series")), *_tooltip(alt)],
    )
    top = data.loc[data["value"].idxmax()]
    return _finish(
        lines + _claim_rule(alt, _TIME_CLAIM),
        title=t("figures.chart.time_title"),
        caption=sources_caption(data, claim=True),
        description=t("figures.chart.time_description", count=len(data), top=top["shown"],
                      top_when=top["when"], top_scope=top["scope"], claim=claim_label(_TIME_CLAIM)),
    )


def make_audience_chart() -> "alt.Chart":
    """Share of women: the article's untraceable 67 % next to sourced, dated figures."""
    import altair as alt

    data = women_share()
    sourced = data.dropna(subset=["source"])
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("value:Q", title=t("figures.chart.women_percent"), scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=420)),
        color=alt.Color("kind:N", title=None, legend=alt.Legend(orient="bottom", labelLimit=500), scale=alt.Scale(
            domain=[t("figures.kind.claim"), t("figures.kind.sourced"), t("figures.kind.derived")],
            range=[GREY, PALETTE[0], PALETTE[1]])),
        tooltip=[alt.Tooltip("label:N", title=t("figures.col.scope")),
                 alt.Tooltip("value:Q", title=t("figures.col.value"), format=".1f")],
    )
    half = alt.Chart(data.head(1)).mark_rule(strokeDash=[4, 4], color="#555555").encode(
        x=alt.XDatum(50))
    return _finish(
        bars + half,
        title=t("figures.chart.audience_title"),
        caption=sources_caption(sourced, claim="claim_source_bars"),
        description=t("figures.chart.audience_description", claim=claim_label(_WOMEN_CLAIM),
                      latest=format_value(data.iloc[-1]["value"], "percent"),
                      latest_label=data.iloc[-1]["label"]),
    )


def make_age_sex_chart() -> "alt.Chart":
    """The 2025 worldwide ad audience aged 18-34 by age band and sex (grouped bars)."""
    import altair as alt

    data = age_sex_2025()
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("value:Q", title=t("figures.chart.audience_percent")),
        y=alt.Y("age:N", title=t("figures.chart.age")),
        yOffset=alt.YOffset("sex:N"),
        color=alt.Color("sex:N", title=None, legend=alt.Legend(orient="bottom", labelLimit=500)),
        tooltip=[alt.Tooltip("age:N", title=t("figures.chart.age")),
                 alt.Tooltip("sex:N", title=t("figures.chart.sex")), *_tooltip(alt)],
    )
    biggest = data.loc[data["value"].idxmax()]
    return _finish(
        bars,
        title=t("figures.chart.age_sex_title"),
        caption=sources_caption(data),
        description=t("figures.chart.age_sex_description", total=format_value(
            data["value"].sum(), "percent"), biggest=f"{biggest['sex']} {biggest['age']}",
            biggest_value=biggest["shown"], when=biggest["when"]),
    )
