"""What would happen if a supplier failed: the services that stop, directly and through the
suppliers that depend on it, against how long each can cope, and where the register's
services are concentrated.  Pure: records and today in, explained results out."""

from supplier_register.impact.analysis import concentration, impact_of
from supplier_register.impact.model import (
    ConcentrationRecords,
    ConcentrationRow,
    ContractExit,
    DependencyLink,
    DependentImpact,
    ImpactRecords,
    Reached,
    ServiceImpact,
    SupplierImpact,
)

__all__ = [
    "ConcentrationRecords",
    "ConcentrationRow",
    "ContractExit",
    "DependencyLink",
    "DependentImpact",
    "ImpactRecords",
    "Reached",
    "ServiceImpact",
    "SupplierImpact",
    "concentration",
    "impact_of",
]
