"""Lesson 07: the strategy's checklist in plain words: blocking problems and advice.

:func:`validate_strategy` never raises; :func:`checklist_html` shows its result as
coloured boxes (every text escaped once, :mod:`tiktok_lab.core.html`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from tiktok_lab.core.html import box, esc
from tiktok_lab.lessons.strategy.money import daily_minimums, format_money
from tiktok_lab.core.nature import nature_html
from tiktok_lab.lessons.strategy.plan import Strategy, StrategyData, load_strategy_data, parse_date


@dataclass(frozen=True)
class Finding:
    """One line of the checklist."""

    field: str
    code: str
    message: str


@dataclass(frozen=True)
class StrategyCheck:
    blocking: tuple[Finding, ...]
    advice: tuple[Finding, ...]
    nature: str = "rule_of_thumb"  # the advice's nature (checklist: of data/strategy.yaml)

    @property
    def ok(self) -> bool:
        """True when nothing blocks the plan (advice may remain)."""
        return not self.blocking

    def codes(self) -> list[str]:
        return [f.code for f in (*self.blocking, *self.advice)]

    def _repr_html_(self) -> str:
        return checklist_html(self)


def _words(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " " + " ".join(re.findall(r"[^\W_]+(?:-[^\W_]+)*", plain)) + " "


#: Words that name under-18s in an age line (lower case, no accents; see :func:`_words`).
_MINOR_WORDS = (" teen ", " teens ", " teenagers ", " minors ", " under 18 ", " ado ", " ados ",
                " adolescents ", " mineurs ", " moins de 18 ")


def includes_minors(ages: Any) -> bool:
    """True when an age line reaches below 18: ``13-17``, ``15–24``, ``16``, ``teens``, ``ados``.

    An age band starts at its first number, so ``18-24`` and ``55+`` are adults; ages under 13
    (a typo, or a child audience TikTok does not allow) count as minors too.
    """
    for line in ages or ():
        text = str(line)
        numbers = [int(n) for n in re.findall(r"\d+", text)]
        if (numbers and numbers[0] < 18) or any(w in _words(text) for w in _MINOR_WORDS):
            return True
    return False


def validate_strategy(strategy: Any, *, data: StrategyData | None = None,
                      language: str | None = None) -> StrategyCheck:
    """Blocking problems and advice for a strategy (or anything ``from_dict`` accepts)."""
    from tiktok_lab.lessons.publishing import is_vague_target

    data = data or load_strategy_data()
    s = strategy if isinstance(strategy, Strategy) else Strategy.from_dict(strategy, data)

    def msg(key: str, **values: Any) -> str:
        return data.text("messages", key, language, **values)

    blocking: list[Finding] = []
    advice: list[Finding] = []
    if not re.search(r"[^\W_]", s.objective):
        blocking.append(Finding("objective", "no_objective", msg("no_objective")))
    if s.daily_budget < 0:
        blocking.append(Finding("daily_budget", "budget_negative", msg("budget_negative")))
    elif s.daily_budget > 0:
        # lesson 06's rule: each ad group's minimum blocks; the campaign's applies only if a
        # campaign budget is set, which the plan leaves to the learner: advice, then
        daily = format_money(s.daily_budget, s.currency, language=language)
        required = daily_minimums(s.currency, language=language)
        low = [m for m in required if s.daily_budget <= m.value]  # each must be exceeded
        if low:
            blocking.append(Finding("daily_budget", "budget_too_low", msg(
                "budget_too_low", daily=daily, minimum=low[0].text(language))))
        else:
            levels = {m.level for m in required}
            advice += [Finding("daily_budget", "campaign_budget_low", msg(
                "campaign_budget_low", daily=daily, minimum=m.text(language)))
                for m in daily_minimums(s.currency, campaign_budget=True, language=language)
                if m.level not in levels and s.daily_budget <= m.value]
    start, end = parse_date(s.start), parse_date(s.end)
    for name, text, parsed in (("start", s.start, start), ("end", s.end, end)):
        if text and parsed is None:
            blocking.append(Finding(name, "bad_date", msg("bad_date",
                                                          field=data.label(name, language).lower())))
    if start and end and end < start:
        blocking.append(Finding("end", "end_before_start", msg(
            "end_before_start", start=s.start, end=s.end)))

    goal = next((g for g in data.goals if g.id == s.goal), None)
    if not s.landing_page and set(s.measures) & set(PURCHASE_MEASURES):
        # nothing counts a sale without a shop page carrying the pixel (lesson 06)
        blocking.append(Finding("landing_page", "purchases_no_page", msg("purchases_no_page")))
    elif goal is not None and goal.needs_landing_page and not s.landing_page:
        advice.append(Finding("landing_page", "no_landing_page", msg("no_landing_page")))
    if s.daily_budget > 0 and includes_minors(s.ages):
        advice.append(Finding("ages", "minors_ads", msg("minors_ads")))
    if is_vague_target(s.interests):
        advice.append(Finding("interests", "vague_target", msg("vague_target")))
    if not s.pillars:
        advice.append(Finding("pillars", "no_pillar", msg("no_pillar")))
    elif len(s.pillars) > data.max_pillars:
        advice.append(Finding("pillars", "too_many_pillars",
                              msg("too_many_pillars", count=len(s.pillars))))
    advice += _fit_findings(s, data, language)
    themes = s.pillars[:data.max_pillars]
    # four weeks of videos shared between the themes: the ideas a theme needs for the month
    needed = max(1, math.ceil(s.posts_per_week * 4 / len(themes))) if themes else 0
    for number, pillar in enumerate(themes[:3], start=1):
        count = len(s.ideas(number))
        if count < min(3, needed):
            advice.append(Finding(f"ideas_{number}", "few_ideas", msg(
                "few_ideas", pillar=pillar, count=count, weekly=s.posts_per_week,
                needed=needed, now=min(3, needed))))
    advice += _plan_findings(s, msg)
    for number in (1, 2):
        parts = [getattr(s, f"test_{number}_{p}") for p in ("hypothesis", "variable",
                                                             "measure", "rule")]
        if not all(re.search(r"[^\W_]", p) for p in parts):
            advice.append(Finding(f"test_{number}_hypothesis", "test_incomplete", msg(
                "test_incomplete", weeks=data.text("brief", f"weeks_{number}", language))))
    if not re.search(r"[^\W_]", s.approver):
        advice.append(Finding("approver", "no_approver", msg("no_approver")))
    if not re.search(r"[^\W_]", s.comment_owner):
        advice.append(Finding("comment_owner", "no_comment_owner", msg("no_comment_owner")))
    content = _words(" ".join((*s.formats, *s.pillars, *s.key_messages, *s.challenges)))
    if s.reposts_elsewhere or any(f" {w} " in content for w in data.copy_words):
        advice.append(Finding("reposts_elsewhere", "copied_content", msg("copied_content")))
    if s.has_ads and s.daily_budget > 0 and not (s.start and s.end):
        advice.append(Finding("start", "no_dates", msg("no_dates")))
    return StrategyCheck(tuple(blocking), tuple(advice), data.checklist.nature)


#: Measures that count sales: only a shop page carrying the TikTok Pixel gives them.
PURCHASE_MEASURES = ("purchases", "cost_per_purchase", "roas")
#: A number of hours in the comment rules ("within 24 hours", « sous 48 h »); "within a day"
#: / « dans la journée » is 24 (lower case, no accents; see :func:`_words`).
_HOURS = re.compile(r" (\d{1,4}) ?(?:h|hr|hrs|hour|hours|heure|heures) ")
_A_DAY = (" within a day ", " within the day ", " same day ", " dans la journee ",
          " sous un jour ", " en un jour ", " dans les 24 heures ")
#: Words of a challenge that call on creators, and of a challenge of the brand's own.
_CREATOR_WORDS = (" creator ", " creators ", " influencer ", " influencers ", " createur ",
                  " createurs ", " creatrice ", " creatrices ", " influenceur ", " influenceurs ")
_OWN_WORDS = (" our own ", " notre propre ", " our hashtag ", " notre hashtag ", " branded ",
              " de marque ")


def _plan_findings(s: Strategy, msg: Any) -> list[Finding]:
    """Advice where two parts of the plan disagree: the rhythm of lesson 05, a challenge with
    creators but none named, a challenge of the brand's own, two answering times."""
    found: list[Finding] = []
    planned = re.match(r"\s*(\d+)", s.earlier_text("rhythm"))
    if planned and int(planned.group(1)) != s.posts_per_week:
        found.append(Finding("posts_per_week", "rhythm_differs", msg(
            "rhythm_differs", planned=int(planned.group(1)), count=s.posts_per_week)))
    challenge = _words(" ".join((*s.challenges, s.earlier_text("challenge"))))
    if s.challenges and not s.creators and any(w in challenge for w in _CREATOR_WORDS):
        found.append(Finding("creators", "challenge_no_creators", msg("challenge_no_creators")))
    if any(w in _words(" ".join(s.challenges)) for w in _OWN_WORDS):
        found.append(Finding("challenges", "own_challenge", msg("own_challenge")))
    rules = _words(s.comment_rules)
    said = [int(n) for n in _HOURS.findall(rules)] or ([24] if any(
        w in rules for w in _A_DAY) else [])
    if said and s.comment_hours and s.comment_hours not in said:
        found.append(Finding("comment_hours", "hours_differ", msg(
            "hours_differ", said=said[0], hours=s.comment_hours)))
    return found


def measures_fit(s: Strategy, data: StrategyData) -> bool | None:
    """Whether a chosen measure fits the kind of objective (None: no measure chosen)."""
    if not s.measures:
        return None
    return any(m in data.fitting(s.goal) for m in s.measures)


def _fit_findings(s: Strategy, data: StrategyData, language: str | None) -> list[Finding]:
    """Advice when the measures do not show the kind of objective (the course's rule of thumb):
    a sales objective measured only by views, an awareness objective by clicks only."""
    fits = measures_fit(s, data)
    kind = data.kind_label(s.goal, language)
    fitting = data.measure_list(data.fitting(s.goal), language)
    if fits is None:
        return [Finding("measures", "no_measures", data.text(
            "messages", "no_measures", language, kind=kind, fitting=fitting))]
    if not fits:
        return [Finding("measures", "measures_misfit", data.text(
            "messages", "measures_misfit", language, kind=kind,
            goal=data.goal_label(s.goal, language),
            chosen=data.measure_list(s.measures, language), fitting=fitting))]
    return []


def checklist_html(check: StrategyCheck, *, language: str | None = None) -> str:
    """The checklist as coloured boxes: blocking problems, then advice under the label of
    its nature (the advice rests on the course's rules of thumb)."""
    data = load_strategy_data()
    parts = [f"<h3>{esc(data.text('messages', 'blocking_title', language))}</h3>"]
    parts += [box(esc(f.message), "problem") for f in check.blocking] or [
        box(esc(data.text("messages", "all_good", language)), "ok")]
    parts.append(f"<h3>{esc(data.text('messages', 'advice_title', language))}</h3>")
    parts.append(nature_html(check.nature, language))
    parts += [box(esc(f.message), "warning") for f in check.advice] or [
        box(esc(data.text("messages", "no_advice", language)), "ok")]
    # tex2jax_ignore: JupyterLab's MathJax would typeset the text between two "$" signs.
    return '<div class="tiktok-lab-checklist tex2jax_ignore mathjax_ignore">' + "".join(parts) + "</div>"


__all__ = ["Finding", "StrategyCheck", "checklist_html", "validate_strategy"]
