"""Course machinery shared by every lesson: the syllabus (lesson metadata), exercises and
their verdicts, quizzes, progress, the set-up check, the pristine notebooks."""
