"""Chart builders give ``encode()`` channel objects, never strings or ``alt.value()`` dicts.

Altair 6.3 parses each ``x="a:Q"`` string, ``alt.value()``, ``alt.datum()`` and
``alt.condition()`` dict through ``from_dict``, which rebuilds a table of ~570 schema
classes every time: milliseconds per widget redraw (``docs/performance.md``). Counting
``from_dict`` calls while every builder draws catches one coming back.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_chart_contrast import _builders

pytestmark = pytest.mark.usefixtures("fresh_learner")


@pytest.fixture
def from_dict_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The class names ``SchemaBase.from_dict`` is called on from now on."""
    from altair.utils.schemapi import SchemaBase

    calls: list[str] = []
    original = SchemaBase.from_dict.__func__

    def counting(cls, *args, **kwargs):
        calls.append(cls.__name__)
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(SchemaBase, "from_dict", classmethod(counting))
    yield calls


def test_the_counter_sees_a_string_shorthand(from_dict_calls: list[str]) -> None:
    import altair as alt
    import pandas as pd

    chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point()
    chart.encode(x=alt.X("a:Q"), y=alt.YValue(0)).to_dict()
    assert from_dict_calls == []
    chart.encode(x="a:Q", y=alt.value(0)).to_dict()
    assert from_dict_calls == ["X", "YValue"]


def test_no_chart_builder_goes_through_from_dict(from_dict_calls: list[str]) -> None:
    slow = {}
    for name, build in _builders().items():
        from_dict_calls.clear()
        build().to_dict()
        if from_dict_calls:
            slow[name] = sorted(set(from_dict_calls))
    assert not slow, f"channel objects instead of strings/alt.value() in: {slow}"
