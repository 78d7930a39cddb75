"""Run one lesson once, the way a participant would, for the slides and handouts.

A fresh kernel runs every cell in ``notebooks/`` (so relative paths resolve as in
class), with the learner store in a throw-away folder: a trainer's own answers
never leak into the printed handouts, and building never touches them. A
failing cell stops the run with its position and first line, so the
maintainer knows where to look without reading a traceback.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: Seconds a single cell may take before the build gives up (the slowest cell,
#: the feed simulator, takes ~3 s on a 2-core laptop).
CELL_TIMEOUT = 180


@dataclass
class LessonFailed(Exception):
    """A cell of a lesson failed; carries what a maintainer needs to find it."""

    lesson: str
    cell_number: int  # 1-based, in the order JupyterLab shows the cells
    first_line: str
    error: str

    def __str__(self) -> str:
        return f"{self.lesson}: cell {self.cell_number} ({self.first_line}): {self.error}"


def first_line(source: str) -> str:
    """The first non-blank line of a cell, shortened for one line of terminal."""
    line = next((text.strip() for text in source.splitlines() if text.strip()), "")
    return line if len(line) <= 70 else line[:69] + "…"


def execute_lesson(notebook: dict, lesson: str, cwd: Path) -> dict:
    """Execute ``notebook`` in place in a fresh kernel started in ``cwd``; returns it.

    The widget state is saved in the notebook's metadata, so exported pages show
    each widget as it looked at the end of the run.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    client = NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}})
    with tempfile.TemporaryDirectory(prefix="tiktok-lab-kit-") as tmp:
        # Named like the participants' folder: the set-up line that pages show
        # reads "saved in the my_work folder", as in class.
        env = {**os.environ, "TIKTOK_LAB_HOME": str(Path(tmp) / "my_work")}
        client.reset_execution_trackers()
        # stderr: the kernel's start-up warnings would break the status lines.
        with client.setup_kernel(env=env, cwd=str(cwd), stderr=subprocess.DEVNULL):
            for index, cell in enumerate(notebook["cells"]):
                try:
                    client.execute_cell(cell, index,
                                        execution_count=client.code_cells_executed + 1)
                except CellExecutionError as error:
                    raise LessonFailed(lesson, index + 1, first_line(cell["source"]),
                                       f"{error.ename}: {error.evalue}") from None
                except CellTimeoutError:
                    raise LessonFailed(lesson, index + 1, first_line(cell["source"]),
                                       f"still running after {CELL_TIMEOUT} s") from None
                except DeadKernelError:
                    raise LessonFailed(lesson, index + 1, first_line(cell["source"]),
                                       "the Python kernel stopped") from None
            client.set_widgets_metadata()
    return notebook
