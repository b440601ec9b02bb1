"""The ``supplier-register`` command line (entry point: ``supplier_register.cli:main``)."""

from supplier_register.cli.root import main, one_line

__all__ = ["main", "one_line"]
