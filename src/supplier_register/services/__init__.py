"""The application layer: the only place where storage, scoring, reviews, imports and reports meet.

The CLI and the TUI call this package and nothing below it.
"""
