"""Storage tests: everything that reads or writes a register database."""
