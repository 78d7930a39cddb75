"""Lesson 03: the feed simulator (model, ranking, audience pools) and its charts."""
