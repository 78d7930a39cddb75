"""Lesson 07: the mini strategy assembled from lessons 04-06, checked, saved and exported."""
