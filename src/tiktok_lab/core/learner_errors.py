"""Errors a learner can meet in a lesson cell, whose message is the whole story.

A learner who types ``tl.upload_video(hook=2)`` or ``tl.figure("mau-2020")`` gets
a refusal in plain words that says what to change. A notebook would print it
under a Python traceback ending in ``FeedInputError: …``, which reads as a crash.
Every error of ours meant for a learner carries this mixin, and the lesson's
set-up cell asks IPython to show only its message (:mod:`tiktok_lab.ui.cell_errors`).
"""

from __future__ import annotations


class LearnerError(Exception):
    """Mixin: ``str(error)`` is a plain sentence for the learner, with the fix."""


class LearnerValueError(LearnerError, ValueError):
    """A value a learner typed that a calculator or chart cannot use."""
