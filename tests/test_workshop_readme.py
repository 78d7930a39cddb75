"""The trainer's entry point stays true: doctor messages quoted as printed, fixes as the
doctor gives them, and links that lead somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "workshop" / "README.md").read_text(encoding="utf-8")
# Written by other parts of the kit (USB plan, classroom hub); linked by name from the guide.
LINKED_ELSEWHERE = {"offline.md", "jupyterhub.md"}


def _doctor_strings() -> dict[str, str]:
    strings = yaml.safe_load((ROOT / "src/tiktok_lab/data/strings/en.yaml").read_text("utf-8"))

    def flat(node, prefix=""):
        for key, value in node.items():
            if isinstance(value, dict):
                yield from flat(value, f"{prefix}{key}.")
            else:
                yield f"{prefix}{key}", value

    return dict(flat(strings["doctor"]))


DOCTOR = _doctor_strings()
NAMES = {value for key, value in DOCTOR.items() if key.endswith(".name")}
ALL_TEXT = "\n".join(DOCTOR.values())


def _doctor_rows() -> list[tuple[str, str, str]]:
    rows = []
    for line in GUIDE.splitlines():
        match = re.match(r"\| `([✗!]) ([^:`]+): ([^`]+)`[^|]*\| (.*) \|$", line)
        if match:
            rows.append((match.group(2), match.group(3), match.group(4)))
    return rows


def test_every_doctor_check_has_a_row() -> None:
    assert {name for name, _, _ in _doctor_rows()} == NAMES


def test_quoted_doctor_messages_are_the_real_ones() -> None:
    for name, detail, _ in _doctor_rows():
        assert name in NAMES
        fragments = [part.strip() for part in detail.split("…")]
        for fragment in fragments:
            if fragment and not re.fullmatch(r"[\d.]+", fragment):
                templates = re.sub(r"\{\w+\}", "", ALL_TEXT)
                assert fragment.strip("(); ") in templates, (name, fragment)


def test_fix_commands_are_the_ones_the_doctor_prints() -> None:
    for name, _, fix in _doctor_rows():
        for command in re.findall(r"`([^`]+ [^`]+)`", fix):
            assert command in ALL_TEXT, (name, command)


def test_links_lead_to_files_of_the_kit() -> None:
    links = re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", GUIDE)
    assert links
    for link in links:
        if link in LINKED_ELSEWHERE:
            continue
        assert (ROOT / "workshop" / link).exists(), link
    for name in ("agendas/90-minutes.md", "agendas/half-day.md", "agendas/full-day.md",
                 "participants/setup.md", "participants/summary.md",
                 "participants/feedback.md", *sorted(LINKED_ELSEWHERE)):
        assert f"]({name})" in GUIDE, name
    for path in sorted((ROOT / "workshop" / "notes").glob("*.md")):
        assert f"](notes/{path.name})" in GUIDE, path.name


def test_the_guide_covers_preparation_running_reset_and_troubleshooting() -> None:
    for heading in ("## A week before", "## The day before", "## One hour before",
                    "## Running the session", "## After the session", "## When things break"):
        assert heading in GUIDE
    assert "tiktok-lab reset" in GUIDE and "tiktok-lab link --hub URL" in GUIDE
