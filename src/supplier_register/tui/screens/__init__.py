"""The screens of the register TUI."""
