"""TUI tests: Pilot flows, snapshots and the TUI data layer."""
