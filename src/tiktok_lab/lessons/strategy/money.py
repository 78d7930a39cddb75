"""Lesson 07: the budget in the learner's currency, with TikTok's minimums converted at a dated rate.

TikTok states its minimum budgets in US dollars (figures.yaml, Help Centre); a plan for a French
brand is written in euros. :func:`daily_minimums` converts the daily minimums that apply (lesson
06's rule, :func:`tiktok_lab.lessons.ads.budget.daily_minimums`: the ad group's always, the
campaign's only when a campaign budget is set) into the plan's currency with the European Central
Bank's euro reference rates of one stated day (figures.yaml, topic ``exchange_rates``), and says
which day: a rate is never shown without its date and source.
Amounts are formatted by Babel (``40,00 €`` in French, ``€40.00`` in English).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tiktok_lab.lessons.figures.sourced import Figure

#: The currencies a plan can be written in (EUR first: the course's example brand is French).
CURRENCIES = ("EUR", "USD", "GBP", "CHF", "CAD")
DEFAULT_CURRENCY = "EUR"
#: The figures.yaml rows that hold 1 euro in each other currency (one stated day).
RATE_FIGURES = {"USD": "ecb-eur-usd-2026-05-08", "GBP": "ecb-eur-gbp-2026-05-08",
                "CHF": "ecb-eur-chf-2026-05-08", "CAD": "ecb-eur-cad-2026-05-08"}


def format_money(value: float, currency: str, *, language: str | None = None) -> str:
    """``40 €`` / ``€40``: an amount in ``currency`` as a reader of ``language`` writes it."""
    from babel import numbers

    from tiktok_lab.core.i18n import get_language

    currency = currency if currency in CURRENCIES else DEFAULT_CURRENCY
    whole = float(value).is_integer()
    text = numbers.format_currency(value, currency, locale=language or get_language(),
                                   currency_digits=not whole,
                                   format=_whole_pattern(language) if whole else None)
    # "CHF40" (a code glued to the number, as Babel writes it in English) reads "CHF 40".
    return re.sub(r"^([A-Z]{2,3})(?=[\d-])", "\\1\u00a0", text)


def _whole_pattern(language: str | None) -> str:
    from babel import Locale

    from tiktok_lab.core.i18n import get_language

    pattern = Locale.parse(language or get_language()).currency_formats["standard"].pattern
    return pattern.split(";")[0].replace("#,##0.00", "#,##0")


def rate_figure(currency: str) -> "Figure | None":
    """The dated, sourced rate of 1 euro in ``currency`` (None for the euro itself)."""
    from tiktok_lab.lessons.figures.sourced import figure

    figure_id = RATE_FIGURES.get(currency)
    return figure(figure_id) if figure_id else None


def convert(amount: float, source: str, target: str) -> float:
    """``amount`` in ``source`` currency, in ``target`` currency, through the euro rates."""
    def per_euro(currency: str) -> float:
        rate = rate_figure(currency)
        return float(rate.value) if rate is not None else 1.0

    return float(amount) / per_euro(source) * per_euro(target)


def plan_budget(usd_daily: float, currency: str | None = None) -> int:
    """A lesson 06 daily budget (US dollars) in the plan's currency, rounded up to a whole
    unit: a budget above TikTok's minimum in dollars stays above it once converted."""
    return math.ceil(round(convert(usd_daily, "USD", currency or DEFAULT_CURRENCY), 6))


@dataclass(frozen=True)
class Minimum:
    """One of TikTok's daily minimums, in the plan's currency, and where each number is from."""

    level: str  # "adgroup_daily" or "campaign_daily" (lessons.ads.budget.DAILY_LEVELS)
    usd: float
    value: float  # converted, rounded up to the cent: a budget above it is above TikTok's
    currency: str
    citation: str  # TikTok's Help Centre, with its date
    rate_citation: str  # the ECB rates used, with their date ("" for a plan in US dollars)

    def text(self, language: str | None = None) -> str:
        """``50,77 € (more than 50 US$: TikTok Help Centre, as of …; ECB rates, as of …)``."""
        from tiktok_lab.lessons.strategy.content import load_strategy_data

        data = load_strategy_data()
        usd = format_money(self.usd, "USD", language=language)
        if not self.rate_citation:
            return data.text("money", "minimum_usd", language, amount=usd, source=self.citation)
        return data.text("money", "minimum_converted", language,
                         amount=format_money(self.value, self.currency, language=language),
                         usd=usd, source=self.citation, rate_source=self.rate_citation)


def _converted(level: str, figure: "Figure", currency: str, language: str | None) -> Minimum:
    from tiktok_lab.lessons.figures.sourced import cite

    usd = float(figure.value)
    value = math.ceil(round(convert(usd, "USD", currency) * 100, 6)) / 100
    rate = rate_figure("USD")
    rate_citation = "" if currency == "USD" or rate is None else cite(rate, language=language)
    return Minimum(level, usd, value, currency, cite(figure, language=language), rate_citation)


def daily_minimums(currency: str, *, campaign_budget: bool = False,
                   language: str | None = None) -> tuple[Minimum, ...]:
    """The daily minimums a budget must exceed, in ``currency``: the ad group's, and the
    campaign's too with ``campaign_budget`` (lesson 06's rule, read from its one place)."""
    from tiktok_lab.lessons.ads.budget import daily_minimums as rule

    currency = currency if currency in CURRENCIES else DEFAULT_CURRENCY
    return tuple(_converted(level, figure, currency, language)
                 for level, figure in rule(campaign_budget=campaign_budget))


def minimum_daily(currency: str, *, level: str = "adgroup_daily",
                  language: str | None = None) -> Minimum:
    """One daily minimum in ``currency`` (it must be exceeded): the ad group's by default,
    the one that always applies; ``level="campaign_daily"`` for a campaign budget's."""
    return next(m for m in daily_minimums(currency, campaign_budget=True, language=language)
                if m.level == level)


__all__ = ["CURRENCIES", "DEFAULT_CURRENCY", "Minimum", "convert", "daily_minimums",
           "format_money", "minimum_daily", "rate_figure"]
