"""Lesson 02: the sourced figures every lesson cites, their charts, the audience calculator."""
