"""Rules that read risk from the records themselves, not from questionnaire answers.

Each rule has a stable code (``rule.<name>``), feeds one dimension and one of
the three key questions, cites the principle-6 passage behind it, and yields
:class:`Raised` items: a severity factor (share of the rule's configured
weight), a plain-English explanation and either a concrete board question or,
when the problem is something unknown, the phrase naming what is unknown.

The rules live in one module per dimension (``buying``, ``expertise``,
``turnkey``, ``options``, ``exit``, ``relationship``) and register themselves in :data:`RULES` (``registry``) when
imported; the order imported here is the order scoring applies them.  Rules about a yes/no/unknown contract term come
from one factory (``clauses``).  A rule that compares ``today`` with a date in
the records declares that date where it is registered, and the score cache's
validity (``scoring.validity``) is built from those declarations.
"""

from supplier_register.scoring.rules.registry import (
    RULES,
    Check,
    ContractDate,
    DateBoundary,
    Facts,
    Raised,
    Rule,
    SupplierDate,
    rule,
    rule_codes,
)

# The dimension modules register their rules when imported: this order is the registry's order.
# isort: off
from supplier_register.scoring.rules import buying  # noqa: F401
from supplier_register.scoring.rules import expertise  # noqa: F401
from supplier_register.scoring.rules import turnkey  # noqa: F401
from supplier_register.scoring.rules import options  # noqa: F401
from supplier_register.scoring.rules import exit as exit_rules  # noqa: F401
from supplier_register.scoring.rules import relationship  # noqa: F401

# isort: on
from supplier_register.scoring.rules.passages import REFERENCES
from supplier_register.scoring.rules.relationship import required_owner_role

__all__ = [
    "REFERENCES",
    "RULES",
    "Check",
    "ContractDate",
    "DateBoundary",
    "Facts",
    "Raised",
    "Rule",
    "SupplierDate",
    "required_owner_role",
    "rule",
    "rule_codes",
]
