"""CLI tests: commands and scripts run end to end (exit codes, one-line errors, outputs)."""
