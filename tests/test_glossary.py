"""Every French text of the course uses the glossary's word (``data/glossary.yaml``).

Reads every ``fr:`` value of the data files and every string of ``data/strings/fr.yaml``;
a refused variant fails with the file, the text and the word to use. Quoted sources keep their
own words: the article's section names (``article_section``) and documents' titles are not
texts of the course.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tiktok_lab.core.datafiles import DataFileError
from tiktok_lab.core.glossary import load_glossary

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "tiktok_lab" / "data"
# Translated lessons, trainer guides and README: every French Markdown file the course keeps.
FRENCH_PAGES = ("source/fr/*.md", "*.fr.md", "docs/*.fr.md", "workshop/*.fr.md",
                "workshop/hub/*.fr.md")
QUOTED = {"article_section", "title"}  # a source's own words
# Words a learner may type in an open answer (a rubric's look_for and not_if lists, e.g.
# « challenge* » beside « défi* »): matched, never shown, so not texts of the course.
LEARNER_WORDS = {"look_for", "not_if"}


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str):
        yield node


def _french(node: Any) -> Iterator[str]:
    """The French values of a data file: under an ``fr`` key, outside quoted sources."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in QUOTED or key in LEARNER_WORDS:
                continue
            if key == "fr":
                yield from _strings(value)
            else:
                yield from _french(value)
    elif isinstance(node, list):
        for value in node:
            yield from _french(value)


def french_texts() -> Iterator[tuple[str, str]]:
    for path in sorted(DATA.rglob("*.yaml")):
        if "vendor" in path.parts or path.name == "glossary.yaml":
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts = _strings(data) if path.name == "fr.yaml" else _french(data)
        for text in texts:
            yield str(path.relative_to(DATA)), text
    for pattern in FRENCH_PAGES:
        for path in sorted(ROOT.glob(pattern)):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if line.strip():
                    yield f"{path.relative_to(ROOT)}:{number}", line


def test_every_french_text_uses_the_glossary_s_words() -> None:
    glossary = load_glossary()
    found = [f"{where}: «{variant}» in “{text[:90]}” — write «{term.fr}»"
             for where, text in french_texts() for term in glossary.terms
             for variant in term.refused_in(text)]
    assert not found, "\n".join(found)


# Code, links, placeholders and tags keep their own spacing.
_NOT_PROSE = re.compile(r"`[^`]*`|https?://\S+|\{[^{}]*\}|<[^>]+>")
# An ordinary space before : ; ! ? or inside « »: French wants a no-break space there
# (U+00A0), or a line may break between a word and its colon on a participant's screen.
_ORDINARY_SPACE = re.compile(r"(?<=\S) [:;!?](?=\s|$|\"|»)|« | »")


def typography_faults(text: str) -> list[str]:
    # A placeholder stands for a word: "{folder} :" is a fault like "dossier :".
    prose = _NOT_PROSE.sub(lambda m: "x" if m.group().startswith("{") else "", text)
    return [prose[max(0, m.start() - 30):m.end() + 10] for m in _ORDINARY_SPACE.finditer(prose)]


def test_every_french_text_puts_a_no_break_space_before_high_punctuation() -> None:
    found = [f"{where}: “…{fault}…”" for where, text in french_texts()
             for fault in typography_faults(text)]
    assert not found, "write U+00A0 (no-break space) here:\n" + "\n".join(found[:40])


def test_the_typography_check_can_fail() -> None:
    assert len(typography_faults("Objectif : vendre ; « oui » !")) == 5
    assert not typography_faults("Objectif\u00a0: voir `a : b`, {n}\u00a0; et https://x.y/?q ok")
    assert typography_faults("dans {folder} : ok") == ["dans x : ok"]


def test_the_check_reads_the_french_texts() -> None:
    """The walk reaches the texts a learner sees (cards, quizzes, widgets), so the test above
    can fail."""
    texts = [text for _, text in french_texts()]
    assert len(texts) > 2000
    assert any("Vérifier" in text for text in texts)
    term = next(t for t in load_glossary().terms if t.fr == "budget journalier")
    assert term.refused_in("Un budget quotidien de 40 €") == ["budget quotidien"]


def test_the_challenge_term_keeps_the_product_name_and_the_one_gloss() -> None:
    term = next(t for t in load_glossary().terms if t.fr == "défi")
    assert term.refused_in("Participer à un challenge, puis aux Challenges") == [
        "challenge", "Challenges"]
    assert not term.refused_in("le défi hashtag de marque (Branded Hashtag Challenge)")
    assert not term.refused_in("relever les défis (\u00ab\u00a0challenges\u00a0\u00bb)")
    assert not term.refused_in("`tl.build_challenge_planner()`")


# « la carte de exercice 3 »: {exercise}`id` renders « exercice N » without its article, so a
# preposition or an article before it must elide: « de l'{exercise}`id` », « dans l'… ».
_NO_ELISION = re.compile(
    r"(?i)(?<![\w'’])(de|du|des|dans|à|au|aux|le|la|les|pour|sur|avec|par|en)\s+\{exercise\}`")


def elision_faults(text: str) -> list[str]:
    return [text[max(0, m.start() - 30):m.end() + 20] for m in _NO_ELISION.finditer(text)]


def test_every_french_text_elides_before_an_exercise_reference() -> None:
    found = [f"{where}: “…{fault}…”" for where, text in french_texts()
             for fault in elision_faults(text)]
    assert not found, ("write « de l'{exercise}`id` », « dans l'… », « à l'… », « l'… »:\n"
                       + "\n".join(found[:40]))


def test_the_elision_check_can_fail() -> None:
    faults = [elision_faults(f"{word} {{exercise}}`my-goal`")
              for word in ("la carte de", "Dans", "à", "le", "pour", "sur", "avec", "par")]
    assert all(len(fault) == 1 for fault in faults)
    assert not elision_faults("La carte de l'{exercise}`my-goal`, puis dans l’{exercise}`x`")
    assert not elision_faults("## {exercise}`my-goal` : votre objectif (Dans l'{exercise}`a`)")


def test_a_broken_pattern_is_refused_with_its_file(tmp_path) -> None:
    bad = tmp_path / "glossary.yaml"
    bad.write_text((DATA / "glossary.yaml").read_text(encoding="utf-8").replace(
        r"'(?i)\bflux\b'", "'(flux'"), encoding="utf-8")
    with pytest.raises(DataFileError, match="glossary.yaml.*regular expression"):
        load_glossary(bad)
