"""Core: what every part stands on. Paths, the translation function, HTML escaping,
text and number cleaning, the chart theme and offline renderer, and reading the course's data
files with their rules. Imports nothing else from the package."""
