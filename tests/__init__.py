"""The supplier-register test suite, arranged by kind (see the package docstrings)."""
