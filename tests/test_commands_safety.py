"""Every ``tiktok-lab`` command that moves, deletes or replaces files, run against a home folder.

A trainer's setting can point a command at the wrong place (``TIKTOK_LAB_HOME=~``,
``--out ~``, a course unpacked in ``$HOME``). Each command must then refuse in one
plain sentence, or touch only what it wrote itself: nothing of the user's
(``.ssh``, ``.bashrc``, ``Documents``) may move or disappear. See
``tiktok_lab.cli.safe_folders`` for the rule.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from tests.strategies import assert_plain
from tiktok_lab.cli import main as cli
from tiktok_lab.core import i18n
from tiktok_lab.work.store import Store

ROOT = Path(__file__).resolve().parents[1]
START = "00_start_here.ipynb"


def snapshot(folder: Path) -> dict[str, bytes | str | None]:
    """Every entry under ``folder``: file bytes, link target, or None for a folder."""
    seen: dict[str, bytes | str | None] = {}
    for base, dirs, files in os.walk(folder, followlinks=False):
        for name in dirs + files:
            path = Path(base, name)
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                seen[key] = os.readlink(path)
            elif path.is_dir():
                seen[key] = None
            else:
                seen[key] = path.read_bytes()
    return seen


def make_home(home: Path) -> Path:
    """A home folder as a trainer's laptop has one (and a store document, as if
    ``TIKTOK_LAB_HOME=~`` had been set during the workshop)."""
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    (home / ".bashrc").write_text("export PATH=$HOME/bin:$PATH\n")
    (home / "Documents").mkdir()
    (home / "Documents" / "thesis.odt").write_bytes(b"PK\x03\x04 my thesis")
    (home / "budget.json").write_text('{"rent": 900}')
    Store(home).write("progress", {"visited": ["00_start_here"]})
    return home


@pytest.fixture
def fake_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = make_home(tmp_path / "alice")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("TIKTOK_LAB_LANG", "en")
    monkeypatch.setattr(i18n, "_session_language", None)
    return home


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A course folder elsewhere, the command run from inside it."""
    root = tmp_path / "course"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / START, root / "notebooks")
    monkeypatch.chdir(root)
    return root


def assert_one_plain_sentence(err: str, *words: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines, "a refusal says why"
    assert_plain(err)
    assert "Traceback" not in err and "Errno" not in err and "Error" not in err
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert lines[0].rstrip().endswith("."), "the refusal is one whole sentence"


def backed_up_files(course: Path) -> list[Path]:
    backups = course / "backups"
    return [path for path in backups.rglob("*") if path.is_file()] if backups.exists() else []


# --- reset --work -------------------------------------------------------------------

def test_reset_work_refuses_a_home_folder_and_moves_nothing(fake_home, course, monkeypatch,
                                                            capsys) -> None:
    monkeypatch.setenv("TIKTOK_LAB_HOME", str(fake_home))
    before = snapshot(fake_home)
    assert cli.main(["reset", "--work", "--yes"]) == 1
    assert snapshot(fake_home) == before
    assert backed_up_files(course) == []
    err = capsys.readouterr().err
    assert_one_plain_sentence(err, str(fake_home), "home folder")


def test_reset_says_so_in_french(fake_home, course, monkeypatch, capsys) -> None:
    monkeypatch.setenv("TIKTOK_LAB_HOME", str(fake_home))
    monkeypatch.setenv("TIKTOK_LAB_LANG", "fr")
    before = snapshot(fake_home)
    assert cli.main(["reset", "--work", "--yes"]) == 1
    assert snapshot(fake_home) == before
    err = capsys.readouterr().err
    assert_one_plain_sentence(err, "Rien n'a été modifié", "dossier personnel")


def _folder_with(tmp_path: Path, kind: str) -> Path:
    """A would-be work folder holding one thing the store did not write, next to its own files."""
    folder = tmp_path / "work"
    Store(folder).write("strategy", {"brand": "Café Lumière"})
    if kind == "text file":
        (folder / "notes.txt").write_text("my notes")
    elif kind == "json of someone else":
        (folder / "settings.json").write_text('{"theme": "dark"}')  # a store name, not our envelope
    elif kind == "sub-folder":
        (folder / "photos").mkdir()
        (folder / "photos" / "beach.jpg").write_bytes(b"jpg")
    elif kind == "link":
        (tmp_path / "secret.txt").write_text("secret")
        (folder / "progress.json").symlink_to(tmp_path / "secret.txt")
    return folder


@pytest.mark.parametrize("kind", ["text file", "json of someone else", "sub-folder", "link"])
def test_reset_work_refuses_a_folder_holding_anything_it_did_not_write(kind, tmp_path, course,
                                                                       monkeypatch, capsys) -> None:
    folder = _folder_with(tmp_path, kind)
    monkeypatch.setenv("TIKTOK_LAB_HOME", str(folder))
    before, outside = snapshot(folder), snapshot(tmp_path)
    assert cli.main(["reset", "--work", "--yes"]) == 1
    assert snapshot(folder) == before
    assert backed_up_files(course) == []
    assert_one_plain_sentence(capsys.readouterr().err, str(folder), "did not write")
    assert {k: v for k, v in snapshot(tmp_path).items() if not k.startswith("course/")} == {
        k: v for k, v in outside.items() if not k.startswith("course/")}


@pytest.mark.parametrize("where", ["the course root", "above the course", "the notebooks"])
def test_reset_work_refuses_a_folder_that_holds_the_course(where, tmp_path, course, monkeypatch,
                                                           capsys) -> None:
    folder = {"the course root": course, "above the course": tmp_path,
              "the notebooks": course / "notebooks"}[where]
    monkeypatch.setenv("TIKTOK_LAB_HOME", str(folder))
    before = snapshot(tmp_path)
    assert cli.main(["reset", "--work", "--yes"]) == 1
    assert snapshot(tmp_path) == before
    assert_one_plain_sentence(capsys.readouterr().err, str(folder))


def _every_file_the_store_writes(work: Path) -> None:
    store = Store(work)
    store.write("progress", {"visited": ["01_platform"]})
    store.write("strategy", {"brand": "Café Lumière"})
    (work / "settings.json").write_text("{damaged")
    store.read("settings")  # set aside as settings.corrupted-<date>.json
    newer = {"app": "tiktok-lab", "schema_version": 99, "document": "scorecard", "data": {}}
    (work / "scorecard.json").write_text(json.dumps(newer))
    store.read("scorecard")  # set aside as scorecard.newer-<date>.json
    store.restore(store.archive())  # strategy.before-restore-<date>.json, progress... too
    fd, _ = tempfile.mkstemp(dir=work, prefix=".strategy.", suffix=".tmp")  # a killed save
    os.close(fd)
    kinds = {p.name.split(".")[1].split("-")[0] for p in work.iterdir() if p.name[0] != "."}
    assert {"json", "corrupted", "newer", "before"} <= kinds, sorted(p.name for p in work.iterdir())
    assert any(p.name.endswith(".lock") for p in work.iterdir())


def test_reset_work_moves_every_file_the_store_writes(tmp_path, course, monkeypatch) -> None:
    work = tmp_path / "work"
    _every_file_the_store_writes(work)
    before = snapshot(work)
    monkeypatch.setenv("TIKTOK_LAB_HOME", str(work))
    assert cli.main(["reset", "--work", "--yes"]) == 0
    assert not work.exists() or not any(work.iterdir())
    [kept] = (course / "backups").glob("reset-*/my_work")
    assert snapshot(kept) == before


def _refuse_copies_of(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another disk that fills up while ``name`` is being copied to it."""
    real_copyfile = shutil.copyfile

    def copyfile(src, dst, *args, **kwargs):
        if Path(src).name == name:
            Path(dst).write_bytes(Path(src).read_bytes()[:5])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))
        return real_copyfile(src, dst, *args, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", copyfile)


def _backups_on_another_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    real_rename = os.rename

    def rename(src, dst, *args, **kwargs):
        if "backups" in Path(dst).parts:
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))
        return real_rename(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "rename", rename)


def test_reset_work_to_another_disk_copies_every_file_whole(tmp_path, course, monkeypatch) -> None:
    work = tmp_path / "work"
    _every_file_the_store_writes(work)
    before = snapshot(work)
    monkeypatch.setenv("TIKTOK_LAB_HOME", str(work))
    _backups_on_another_disk(monkeypatch)
    assert cli.main(["reset", "--work", "--yes"]) == 0
    [kept] = (course / "backups").glob("reset-*/my_work")
    assert snapshot(kept) == before
    assert not work.exists() or not any(work.iterdir())


def test_a_full_disk_during_reset_keeps_the_original_and_says_where(tmp_path, course, monkeypatch,
                                                                    capsys) -> None:
    work = tmp_path / "work"
    _every_file_the_store_writes(work)
    before = snapshot(work)
    monkeypatch.setenv("TIKTOK_LAB_HOME", str(work))
    _backups_on_another_disk(monkeypatch)
    _refuse_copies_of("strategy.json", monkeypatch)
    assert cli.main(["reset", "--work", "--yes"]) == 1
    assert (work / "strategy.json").read_bytes() == before["strategy.json"]
    [kept] = (course / "backups").glob("reset-*/my_work")
    assert not (kept / "strategy.json").exists(), "no half copy is left to be mistaken for it"
    moved = snapshot(kept)
    assert {name: before[name] for name in moved} == moved
    assert set(moved) | {"strategy.json"} == set(before)
    out = capsys.readouterr()
    assert "strategy.json" in out.out + out.err and str(work) in out.out + out.err
    assert_plain(out.out + out.err)
    assert "disk is full" in out.out + out.err


# Names a folder may hold: the store's (documents, locks, set-aside files) and anyone's.
_DOC_NAMES = st.sampled_from(["progress", "settings", "strategy", "scorecard", "quiz-01", "a_b"])
_FOREIGN_NAMES = st.sampled_from(["notes.txt", ".bashrc", "thesis.odt", "Progress.json",
                                  "strategy.json.bak", "settings.corrupted.json", "my_work",
                                  ".ssh", "progress.lock", "budget.json"])
_ENTRIES = st.lists(st.one_of(
    st.tuples(st.just("document"), _DOC_NAMES),
    st.tuples(st.just("lock"), _DOC_NAMES),
    st.tuples(st.just("set aside"), _DOC_NAMES),
    st.tuples(st.just("foreign file"), _FOREIGN_NAMES),
    st.tuples(st.just("foreign folder"), _FOREIGN_NAMES),
), max_size=6)


def _lay_out(work: Path, entries: list[tuple[str, str]]) -> bool:
    """Create the entries; True if any of them is not the store's."""
    work.mkdir()
    foreign = False
    for kind, name in entries:
        if kind == "document":
            Store(work).write(name, {"n": len(name)})
        elif kind == "lock":
            (work / f".{name}.lock").touch()
        elif kind == "set aside":
            (work / f"{name}.corrupted-20260301-101500.json").write_text("{broken")
        elif not (work / name).exists():
            foreign = True
            if kind == "foreign file":
                (work / name).write_text("the user's own")
            else:
                (work / name).mkdir()
                (work / name / "inside.txt").write_text("the user's own")
    return foreign


@settings(max_examples=60)
@given(entries=_ENTRIES)
def test_reset_moves_all_of_a_store_folder_or_nothing(entries) -> None:
    from tiktok_lab.cli.reset import apply_reset, plan_reset

    with tempfile.TemporaryDirectory() as tmp:
        root, work = Path(tmp) / "course", Path(tmp) / "work"
        (root / "notebooks").mkdir(parents=True)
        (root / "notebooks" / START).write_text("{}")
        foreign = _lay_out(work, entries)
        before = snapshot(work)
        original = os.environ.get("TIKTOK_LAB_HOME", "")
        os.environ["TIKTOK_LAB_HOME"] = str(work)
        try:
            try:
                plan = plan_reset(root, notebooks=False, work=True)
            except ValueError as refusal:
                event("refused")
                assert foreign, f"refused a folder of the store's own: {refusal}"
                assert_plain(str(refusal))
                assert snapshot(work) == before
                return
            event("moved")
            assert not foreign, f"accepted a folder holding the user's files: {sorted(before)}"
            done = apply_reset(plan, report=lambda line: None)
        finally:
            os.environ["TIKTOK_LAB_HOME"] = original
        kept = done.backup / "my_work"
        assert (snapshot(kept) if kept.exists() else {}) == before
        assert not work.exists()


# --- reset --notebooks: only the course's own checkpoints -----------------------------

def test_reset_notebooks_in_a_home_folder_moves_only_the_course_checkpoints(fake_home, monkeypatch,
                                                                           capsys) -> None:
    notebooks = fake_home / "notebooks"
    checkpoints = notebooks / ".ipynb_checkpoints"
    checkpoints.mkdir(parents=True)
    (notebooks / START).write_text('{"edited": "by a learner"}')
    (notebooks / "my_analysis.ipynb").write_text('{"mine": true}')
    (checkpoints / "00_start_here-checkpoint.ipynb").write_text('{"edited": "earlier"}')
    (checkpoints / "my_analysis-checkpoint.ipynb").write_text('{"mine": "earlier"}')
    pristine = (ROOT / "notebooks" / START).read_bytes()
    monkeypatch.setattr("tiktok_lab.cli.reset.pristine_notebooks", lambda root: {START: pristine})
    monkeypatch.chdir(notebooks)
    before = snapshot(fake_home)
    assert cli.main(["reset", "--notebooks", "--yes"]) == 0
    after = snapshot(fake_home)
    assert (notebooks / START).read_bytes() == pristine
    changed = {name for name in before if before[name] != after.get(name)}
    assert changed == {f"notebooks/{START}", "notebooks/.ipynb_checkpoints/00_start_here-checkpoint.ipynb"}
    [backup] = (fake_home / "backups").iterdir()
    assert (backup / "ipynb_checkpoints" / "00_start_here-checkpoint.ipynb").is_file()
    assert (backup / "notebooks" / START).read_text() == '{"edited": "by a learner"}'


# --- build usb / slides / handouts / site --out FOLDER ---------------------------------

def test_build_usb_refuses_a_home_folder_even_one_that_looks_like_a_kit(fake_home, monkeypatch,
                                                                       capsys) -> None:
    from tiktok_lab.kit import usb as usb_kit

    (fake_home / "wheels").mkdir()
    (fake_home / "wheels" / "my_package-1.0-py3-none-any.whl").write_bytes(b"mine")
    (fake_home / "README.txt").write_text("my own readme")
    (fake_home / "notebooks").mkdir()
    (fake_home / "notebooks" / START).write_text("my own notebook")

    def no_pip(*args, **kwargs):
        raise AssertionError("pip must not run for a refused folder")

    monkeypatch.setattr(usb_kit, "_run_step", no_pip)
    monkeypatch.chdir(ROOT)
    before = snapshot(fake_home)
    assert cli.main(["build", "usb", "--out", str(fake_home), "--platform", "this"]) == 1
    assert snapshot(fake_home) == before
    assert_one_plain_sentence(capsys.readouterr().err, str(fake_home), "home folder")


@pytest.mark.parametrize("stray", ["photos/beach.jpg", "notebooks/my_analysis.ipynb", "todo.txt"])
def test_build_usb_refuses_a_previous_kit_holding_the_users_files(stray, tmp_path, monkeypatch,
                                                                  capsys) -> None:
    from tiktok_lab.kit import usb as usb_kit

    kit = tmp_path / "stick"
    (kit / "wheels").mkdir(parents=True)
    (kit / "wheels" / "tiktok_lab-0.1.0-py3-none-any.whl").write_bytes(b"wheel")
    (kit / "README.txt").write_text(usb_kit.readme_text([], "0.1.0", __import__("datetime").date.today()))
    (kit / stray).parent.mkdir(parents=True, exist_ok=True)
    (kit / stray).write_text("the user's own")
    monkeypatch.setattr(usb_kit, "_run_step", lambda *a, **k: pytest.fail("pip ran"))
    monkeypatch.chdir(ROOT)
    before = snapshot(kit)
    assert cli.main(["build", "usb", "--out", str(kit), "--platform", "this"]) == 1
    assert snapshot(kit) == before
    assert_one_plain_sentence(capsys.readouterr().err, str(kit))


@pytest.mark.parametrize("target", ["slides", "handouts", "site"])
def test_build_kit_refuses_a_home_folder_and_deletes_nothing(target, fake_home, monkeypatch,
                                                            capsys) -> None:
    (fake_home / "assets").mkdir()
    (fake_home / "assets" / "logo.svg").write_text("<svg/>")
    (fake_home / "index.html").write_text("<h1>my page</h1>")

    def no_run(*args, **kwargs):
        raise AssertionError("no lesson may run for a refused folder")

    monkeypatch.setattr("tiktok_lab.kit.run.execute_lesson", no_run)
    monkeypatch.chdir(ROOT)
    before = snapshot(fake_home)
    assert cli.main(["build", target, "--out", str(fake_home)]) == 1
    assert snapshot(fake_home) == before
    assert_one_plain_sentence(capsys.readouterr().err, str(fake_home), "home folder")


@pytest.mark.parametrize("stray", ["assets/my_logo.svg", "notes.md", "slides/mine.pdf"])
def test_build_kit_refuses_an_output_folder_holding_other_files(stray, tmp_path, monkeypatch,
                                                                capsys) -> None:
    out = tmp_path / "kit"
    for page in ("index.html", "slides/00_start_here.html", "handouts/00_start_here.html",
                 "assets/reveal.js/dist/reveal.js", "assets/tiktok-lab/vega-0123.js"):
        (out / page).parent.mkdir(parents=True, exist_ok=True)
        (out / page).write_text("built by tiktok-lab")
    (out / stray).parent.mkdir(parents=True, exist_ok=True)
    (out / stray).write_text("the user's own")
    monkeypatch.setattr("tiktok_lab.kit.run.execute_lesson",
                        lambda *a, **k: pytest.fail("no lesson may run for a refused folder"))
    monkeypatch.chdir(ROOT)
    before = snapshot(out)
    assert cli.main(["build", "slides", "--out", str(out)]) == 1
    assert snapshot(out) == before
    assert_one_plain_sentence(capsys.readouterr().err, str(out))


def test_build_kit_updates_a_previous_kit(tmp_path, monkeypatch) -> None:
    """A folder holding only a previous build is the kit's own: the build goes ahead."""
    out = tmp_path / "kit"
    for page in ("index.html", "slides/00_start_here.html", "assets/requirejs/require.js"):
        (out / page).parent.mkdir(parents=True, exist_ok=True)
        (out / page).write_text("built by tiktok-lab")
    built = {}
    monkeypatch.setattr("tiktok_lab.kit.build.build_kit",
                        lambda root, folder, target: built.update(folder=folder) or folder / "x")
    monkeypatch.chdir(ROOT)
    assert cli.main(["build", "slides", "--out", str(out)]) == 0
    assert built["folder"] == out.resolve()


# --- build workshop: stale generated pages only ------------------------------------------

def test_build_workshop_removes_only_pages_it_generated(tmp_path) -> None:
    from tiktok_lab.kit.workshop.build import sync_pages

    notes = tmp_path / "workshop" / "notes"
    notes.mkdir(parents=True)
    (notes / "09_old_lesson.md").write_text(
        "# Trainer notes: 09\n\nGenerated by `tiktok-lab build workshop` from ...\n")
    (notes / "my_own_tips.md").write_text("# What I say at the break\n")
    changed = sync_pages(tmp_path, {"workshop/notes/00_start_here.md": "# 00\n"}, write=True)
    assert (notes / "my_own_tips.md").read_text() == "# What I say at the break\n"
    assert not (notes / "09_old_lesson.md").exists()
    assert "workshop/notes/my_own_tips.md" not in changed
    assert "workshop/notes/09_old_lesson.md" in changed


# --- doctor, lab, app: only their own files ------------------------------------------------

def test_doctor_leaves_a_home_folder_as_it_found_it(fake_home, monkeypatch) -> None:
    from tiktok_lab.course import doctor

    monkeypatch.setenv("TIKTOK_LAB_HOME", str(fake_home))
    before = snapshot(fake_home)
    assert doctor.check_store().ok
    assert snapshot(fake_home) == before


def test_doctor_leaves_no_folder_behind(tmp_path, monkeypatch) -> None:
    from tiktok_lab.course import doctor

    monkeypatch.setenv("TIKTOK_LAB_HOME", str(tmp_path / "new" / "my_work"))
    assert doctor.check_store().ok
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["lab", "app"])
def test_lab_and_app_in_a_home_folder_only_add_the_course(command, fake_home, monkeypatch) -> None:
    monkeypatch.chdir(fake_home)
    start = (ROOT / "notebooks" / START).read_bytes()
    monkeypatch.setattr("tiktok_lab.course.course_source.packaged_notebooks", lambda: {START: start})
    monkeypatch.setattr(cli, "_serve", lambda command, cwd: 0, raising=False)
    monkeypatch.setattr(cli.subprocess, "call", lambda command, cwd: 0)
    before = snapshot(fake_home)
    assert cli.main([command, "--no-browser", "--port", "8899"]) == 0
    after = snapshot(fake_home)
    assert {k: v for k, v in after.items() if not k.startswith("tiktok-lab-course")} == before


# --- the rule itself ------------------------------------------------------------------

@pytest.mark.parametrize("folder", ["/", "/root", "/home", "/home/alice", "/Users/bob", "~", "~/..",
                                    "/home/alice/../alice"])
def test_the_top_of_a_disk_and_home_folders_are_never_changed(folder, fake_home) -> None:
    from tiktok_lab.cli.safe_folders import UnsafeFolderError, check_folder

    with pytest.raises(UnsafeFolderError) as refused:
        check_folder(Path(folder).expanduser(), course_root=None, owned=lambda entry: True)
    assert refused.value.reason in {"disk_root", "home"}
    assert_plain(str(refused.value))


def test_a_new_or_own_folder_is_fine(tmp_path) -> None:
    from tiktok_lab.cli.safe_folders import check_folder

    check_folder(tmp_path / "new", course_root=tmp_path / "course", owned=lambda entry: False)
    (tmp_path / "own").mkdir()
    (tmp_path / "own" / "a").write_text("")
    check_folder(tmp_path / "own", course_root=None, owned=lambda entry: entry.name == "a")
    check_folder(tmp_path / "course" / "notebooks" / "my_work", course_root=tmp_path / "course",
                 owned=lambda entry: False)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_generated_workshop_page_says_it_is_generated(language, monkeypatch) -> None:
    """A stale page is removed only if it carries the mark: every page the build writes must."""
    from tiktok_lab.kit.workshop.build import GENERATED_FOLDERS, GENERATED_MARK, workshop_pages

    monkeypatch.setenv("TIKTOK_LAB_LANG", language)
    monkeypatch.setattr(i18n, "_session_language", None)
    pages = workshop_pages(ROOT)
    assert pages and all(name.startswith(GENERATED_FOLDERS) for name in pages)
    assert [name for name, text in pages.items() if GENERATED_MARK not in text[:2000]] == []


def test_a_full_disk_while_backing_up_notebooks_restores_nothing_and_says_so(course, monkeypatch,
                                                                           capsys) -> None:
    start = course / "notebooks" / START
    start.write_text('{"edited": "by a learner"}')
    monkeypatch.setattr("tiktok_lab.cli.reset.pristine_notebooks", lambda root: {START: b"{}"})

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(shutil, "copy2", full)
    assert cli.main(["reset", "--notebooks", "--yes"]) == 1
    assert start.read_text() == '{"edited": "by a learner"}'
    err = capsys.readouterr().err
    assert "disk is full" in err and "Traceback" not in err
    assert_plain(err)


def test_a_kit_the_build_wrote_is_one_it_may_update(tmp_path) -> None:
    """What ``build site`` writes passes the --out check, so a second build can replace it."""
    from tiktok_lab.kit.build import build_kit

    out = tmp_path / "kit"
    build_kit(ROOT, out, "site", report=lambda text, end="\n": None, only={"00_start_here"})
    assert {entry.name: cli.kit_owns(entry) for entry in out.iterdir()} == {
        "assets": True, "handouts": True, "slides": True, "index.html": True}


def test_a_usb_kit_the_build_wrote_is_one_it_may_update(tmp_path) -> None:
    import subprocess

    from tiktok_lab.kit import usb as usb_kit

    def pip(command):
        command = list(command)
        dest = Path(command[command.index("--wheel-dir" if command[3] == "wheel" else "--dest") + 1])
        (dest / f"{command[3]}-1.0-py3-none-any.whl").write_bytes(b"wheel")
        return subprocess.CompletedProcess(command, 0, "", "")

    out = tmp_path / "stick"
    usb_kit.build_usb_kit(ROOT, out, usb_kit.choose_targets(["windows"], ["3.12"]),
                          report=lambda line: None, runner=pip)
    owns = cli.usb_kit_owns(ROOT)
    assert {entry.name: owns(entry) for entry in out.iterdir()} == {
        name: True for name in ("README.txt", "install.bat", "install.sh", "notebooks", "wheels")}


@pytest.mark.parametrize("stranger", ["report.backup-20240101-120000.json",
                                      ".my.important.tmp", "progress.notes-20240101-120000.json",
                                      ".progress.abc.tmp"])
def test_a_file_named_like_ours_but_not_ours_stops_reset(stranger: str, tmp_path: Path) -> None:
    """Judged by name alone, a user's own files that merely looked like the store's were
    moved: only the store's exact patterns (and our envelope for documents) count."""
    from tiktok_lab.cli.reset import is_store_file
    from tiktok_lab.work.store import Store

    folder = tmp_path / "my_work"
    Store(folder).write("progress", {"lessons": {}})
    (folder / stranger).write_text("the user's own")
    assert is_store_file(folder / "progress.json")
    assert not is_store_file(folder / stranger)


def test_a_large_file_named_like_a_lock_is_not_ours(tmp_path: Path) -> None:
    from tiktok_lab.cli.reset import is_store_file

    (tmp_path / ".notes.lock").write_text("x" * 10_000)
    (tmp_path / ".progress.lock").write_text("")
    assert not is_store_file(tmp_path / ".notes.lock")
    assert is_store_file(tmp_path / ".progress.lock")
