"""Widgets of the register TUI."""
