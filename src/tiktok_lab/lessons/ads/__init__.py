"""Lesson 06: ad formats, budgets and reach, and the learner's saved ads answers."""
