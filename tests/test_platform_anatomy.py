"""Lesson 01: building blocks, the illustrative retention model, its charts and widget."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from tiktok_lab.core.datafiles import DataFileError, UnknownIdError, data_dir
from tiktok_lab.lessons.platform import (
    BLOCK_KINDS,
    CHOICE_KINDS,
    Choices,
    length_history,
    load_platform,
    make_length_history_chart,
    make_retention_chart,
    read_choices,
    simulate_retention,
)
from tiktok_lab.ui.anatomy import AnatomyApp, build_anatomy_widget, building_blocks
from tiktok_lab.core.charts import caption_text

pytestmark = pytest.mark.usefixtures("fresh_learner")

DATA = load_platform()
PLATFORM_YAML = (data_dir() / "platform.yaml").read_text(encoding="utf-8")
FIELD = {"lengths": "length", "hooks": "hook", "sounds": "sound", "effects": "effect",
         "genres": "genre"}


def every_choice():
    ids = [[b.id for b in DATA.blocks(kind)] for kind in CHOICE_KINDS]
    for combo in itertools.product(*ids):
        yield Choices(**{FIELD[k]: v for k, v in zip(CHOICE_KINDS, combo)})


# ------------------------------------------------------------------ the model


def test_every_curve_starts_full_never_rises_and_stays_between_0_and_1() -> None:
    for choices in every_choice():
        curve = simulate_retention(choices, data=DATA)
        assert curve.share[0] == 1.0
        assert all(0.0 <= s <= 1.0 for s in curve.share)
        assert all(b <= a + 1e-12 for a, b in zip(curve.share, curve.share[1:])), choices
        assert list(curve.seconds) == sorted(curve.seconds)
        assert curve.seconds[-1] == curve.length_seconds
        assert curve.at_end == curve.share[-1] <= curve.after_hook <= 1.0


def test_longer_videos_keep_fewer_viewers_to_the_end() -> None:
    lengths = sorted(DATA.lengths, key=lambda b: b.seconds)
    ends = [simulate_retention(data=DATA, length=b.id).at_end for b in lengths]
    assert ends == sorted(ends, reverse=True) and len(set(ends)) == len(ends)


def test_weaker_hooks_keep_fewer_viewers() -> None:
    weak = simulate_retention(data=DATA, hook="logo-intro")
    strong = simulate_retention(data=DATA, hook="surprise")
    assert weak.after_hook < strong.after_hook
    assert weak.at_end < strong.at_end


def test_a_tv_spot_keeps_fewer_viewers_than_a_sketch() -> None:
    assert (simulate_retention(data=DATA, genre="tv-spot").at_end
            < simulate_retention(data=DATA, genre="sketch").at_end)


def test_the_model_is_deterministic() -> None:
    picks = dict(length="m3", hook="question", sound="trending-sound", effect="filter",
                 genre="dance")
    assert simulate_retention(data=DATA, **picks) == simulate_retention(data=DATA, **picks)


def test_an_unknown_choice_suggests_the_right_id() -> None:
    with pytest.raises(UnknownIdError, match="surprise"):
        simulate_retention(data=DATA, hook="surprize")


def test_the_reading_gives_the_numbers_and_says_it_is_illustrative() -> None:
    curve = simulate_retention(data=DATA, length="s15", hook="surprise")
    lines = read_choices(curve, data=DATA, language="en")
    assert f"{round(curve.at_end * 100)}%" in lines[0]
    assert any("Movement or surprise" in line for line in lines)
    assert "not TikTok data" in lines[-1]
    assert "pas des données TikTok" in read_choices(curve, data=DATA, language="fr")[-1]


# ------------------------------------------------------------------ the data


def test_each_length_is_a_sourced_figure() -> None:
    history = length_history().set_index("id")
    for length in DATA.lengths:
        assert history.loc[length.figure_id, "value"] == length.seconds


def test_every_kind_has_blocks_in_both_languages() -> None:
    for kind in BLOCK_KINDS:
        for block in DATA.blocks(kind):
            assert block.label["en"] and block.label["fr"]
            assert block.description["en"] and block.description["fr"]
    assert {b.id for b in DATA.genres if b.in_article} == {"dance", "sketch", "humour"}
    assert DATA.model.nature == "model"


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    assert old in PLATFORM_YAML
    path = tmp_path / "platform.yaml"
    path.write_text(PLATFORM_YAML.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, field", [
    ("early_drop: 0.55", "early_drop: 1.5", "hooks"),
    ("rate_factor: 1.15", "rate_factor: -1", "sounds"),
    ("    nature: model\n", "", "model"),
    ("      silent: {rate_factor: 1.15}\n", "", "silent"),
    ("      tv-spot: {rate_factor: 1.35}", "      tv-spot: {rate_factor: 1.35}\n      mime: {rate_factor: 1}", "mime"),
    ("figure_id: video-length-2016", "figure_id: video-length-1999", "lengths"),
    ("  reactions:", "  reaktions:", "reactions"),
])
def test_a_broken_file_names_the_file_and_the_field(tmp_path: Path, old: str, new: str,
                                                    field: str) -> None:
    with pytest.raises(DataFileError) as error:
        load_platform(_broken(tmp_path, old, new))
    assert error.value.file == "platform.yaml"
    assert "platform.yaml" in str(error.value) and field in str(error.value)


def test_an_unknown_kind_of_block_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="hooks"):
        DATA.blocks("hoks")


# ------------------------------------------------------------------ charts


def _round_trip(chart) -> dict:
    spec = chart.to_dict()
    assert json.loads(json.dumps(spec)) == spec
    assert json.loads(chart.to_json())["title"] == spec["title"]
    return spec


def test_length_history_chart_is_titled_sourced_dated_and_described() -> None:
    spec = _round_trip(make_length_history_chart())
    caption = caption_text(spec)
    assert spec["title"]["text"] and spec["description"]
    assert "TikTok" in caption
    outlets = length_history()["via"].dropna()
    assert len(outlets) and all(outlet in caption for outlet in outlets)
    assert "2016" in caption and "2024" in caption
    assert "10 min" in spec["description"] and "60 min" in spec["description"]
    # Tooltips give each date as precisely as its source: "2016", never "Jan 2016".
    rows = next(iter(spec["datasets"].values()))
    assert [row["when"] for row in rows][:2] == ["2016", "2019"]
    assert "Douyin" in spec["title"]["text"]  # 2016 is Douyin's launch, TikTok's came in 2017


def test_retention_chart_says_it_is_illustrative() -> None:
    curve = simulate_retention(data=DATA, length="m10")
    spec = _round_trip(make_retention_chart(curve, data=DATA))
    assert "not TikTok data" in spec["title"]["text"]
    assert "2026" in caption_text(spec)  # the caption dates the model
    assert "10 min" in spec["description"] and "Not TikTok data" in spec["description"]


# ------------------------------------------------------------------ widgets


def test_building_blocks_tables_escape_and_list_every_block() -> None:
    for kind in BLOCK_KINDS:
        markup = building_blocks(kind).data
        assert all(b.label["en"].replace("'", "&#x27;") in markup for b in DATA.blocks(kind))
    assert "Named in the 2020 article" in building_blocks("genres").data
    with pytest.raises(ValueError):
        building_blocks("colours")


def test_changing_a_choice_redraws_the_chart_and_the_reading() -> None:
    app = AnatomyApp()
    assert app.redraws == 1 and app.chart is not None
    before_reading, before_chart = app.reading.value, app.chart.to_dict()
    app.controls["lengths"].value = "m10"
    assert app.redraws == 2
    assert app.reading.value != before_reading and "10 min" in app.reading.value
    assert app.chart.to_dict()["description"] != before_chart["description"]
    app.controls["hooks"].value = "logo-intro"
    assert app.redraws == 3 and "Logo or slow intro" in app.reading.value


def test_every_combination_draws_without_error() -> None:
    app = AnatomyApp()
    for choices in itertools.islice(every_choice(), 0, None, 61):
        for kind in CHOICE_KINDS:
            app.controls[kind].value = getattr(choices, FIELD[kind])
        assert "✗" not in app.reading.value
        assert app.chart.to_dict()["title"]


def test_a_failure_is_shown_in_the_widget_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    app = AnatomyApp()

    def broken(*_args, **_kwargs):
        raise ValueError("platform.yaml, field \"hooks\": broken")

    monkeypatch.setattr("tiktok_lab.ui.anatomy.simulate_retention", broken)
    app.controls["sounds"].value = "silent"
    assert "broken" in app.reading.value


def test_the_notebook_entry_point_starts_from_given_choices() -> None:
    box = build_anatomy_widget(length="m3")
    assert "tiktok-lab-anatomy" in box._dom_classes
    assert "3 min" in box.children[-1].value


def test_the_widget_speaks_french(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIKTOK_LAB_LANG", "fr")
    app = AnatomyApp()
    assert app.controls["hooks"].description == "Accroche"
    assert "pas des données TikTok" in app.reading.value
