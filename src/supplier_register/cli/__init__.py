"""The ``supplier-register`` command line (entry point: ``supplier_register.cli:main``).

:mod:`~supplier_register.cli.root` holds the group and the options every command shares; each
other module is one family of commands, a thin layer over the application layer
(:mod:`supplier_register.services`).  They are registered on the group here, so no command
module imports another.
"""

from supplier_register.cli import (
    board,
    deadlines,
    exports,
    ics,
    impact,
    imports,
    linked,
    profile,
    records,
    reliability,
    review,
    scoring,
    serve,
    suppliers,
)
from supplier_register.cli.root import main, one_line

for command in (
    records.init,
    imports.import_,
    imports.import_ocds,
    exports.export,
    records.suppliers,
    suppliers.supplier,
    records.contracts,
    records.generate,
    records.schema,
    records.people,
    linked.services,
    linked.dependencies,
    reliability.audit,
    reliability.backup,
    reliability.restore,
    review.review,
    scoring.score,
    scoring.questions,
    board.board,
    impact.impact,
    impact.concentration,
    profile.profile,
    deadlines.due,
    ics.ics,
    serve.serve,
):
    main.add_command(command)

__all__ = ["main", "one_line"]
