"""The trust's profile and the trust-level findings, as the CLI, the TUI and the reports ask.

Reads take a repository (the CLI's) or a path (a TUI worker's own connection); the
one write, :func:`save_profile`, is a function of a repository that the TUI's write
worker runs (one transaction, saved over the version the form was opened with).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from supplier_register.domain import InvalidInput, TrustProfile, TrustProfileRecord
from supplier_register.domain.errors import describe_validation_error
from supplier_register.scoring.config import load_config
from supplier_register.scoring.trust import (
    TrustFinding,
    TrustThresholds,
    trust_figures,
    trust_findings,
)
from supplier_register.services.register_view import repository
from supplier_register.storage import Repository, write_transaction
from supplier_register.storage.db import read_snapshot
from supplier_register.storage.trust_facts import live_contracts

__all__ = [
    "PROFILE_FIGURES",
    "PROFILE_LABEL",
    "TrustFinding",
    "TrustPicture",
    "TrustThresholds",
    "changed_profile",
    "load_thresholds",
    "profile_fields",
    "read_picture",
    "read_profile",
    "save_form",
    "save_profile",
    "set_profile",
    "trust_picture",
]

PROFILE_LABEL = "trust profile"
"""How errors name the record."""

PROFILE_FIGURES = frozenset(
    {
        "integrated care system",
        "in-house digital staff",
        "in-house commercial staff for technology",
        "contractors and interims",
        "profile recorded on",
    }
)
"""The figures of :func:`~supplier_register.scoring.trust.trust_figures` that restate the
profile itself (a view showing the profile leaves them out)."""


@dataclass(frozen=True)
class TrustPicture:
    """The trust's name and profile, the figures its findings rest on, and the findings."""

    trust: str | None
    profile: TrustProfileRecord | None
    figures: dict[str, str]
    findings: list[TrustFinding]


def trust_picture(
    repo: Repository, today: dt.date, thresholds: TrustThresholds | None = None
) -> TrustPicture:
    """The profile and the register's trust-level findings on ``today``, read in one snapshot."""
    with read_snapshot(repo.db):
        trust = repo.trust_name()
        profile = repo.get_profile()
        _, suppliers, _, _ = repo.iter_register()
        supplier_list = list(suppliers)
        contract_list = live_contracts(repo.db, today)  # what the findings read of them
    return TrustPicture(
        trust=trust,
        profile=profile,
        figures=trust_figures(profile, supplier_list, contract_list, today),
        findings=trust_findings(profile, supplier_list, contract_list, today, thresholds),
    )


def read_profile(db_path: Path) -> TrustProfileRecord | None:
    """The profile as stored now, with its version (``None``: never recorded), on a connection
    of its own (for a TUI worker)."""
    with repository(db_path) as repo:
        return repo.get_profile()


def save_form(
    repo: Repository, profile: TrustProfile, expected_version: int, today: dt.date
) -> TrustProfileRecord:
    """Save the profile a form edited over the version it opened (0: none then), recorded on
    ``today`` (the form does not ask when: it is now)."""
    return save_profile(repo, profile.model_copy(update={"updated_on": today}), expected_version)


def load_thresholds(config_path: Path | str | None) -> TrustThresholds:
    """The ``[trust]`` table of a scoring config file (the defaults without one); a bad
    file is :class:`~supplier_register.domain.errors.BadFile` with one line."""
    return load_config(config_path).trust


def read_picture(
    db_path: Path, today: dt.date, thresholds: TrustThresholds | None = None
) -> TrustPicture:
    """:func:`trust_picture` on a connection of its own (for a TUI worker)."""
    with repository(db_path) as repo:
        return trust_picture(repo, today, thresholds)


def profile_fields() -> dict[str, str]:
    """The profile's fields by name, with the label errors name them by."""
    return {
        name: info.title or name.replace("_", " ")
        for name, info in TrustProfile.model_fields.items()
    }


_CLEAR = frozenset({"", "unknown", "not recorded", "none"})


def changed_profile(
    current: TrustProfile | None, changes: Mapping[str, Any], today: dt.date
) -> TrustProfile:
    """``current`` (or an empty profile) with ``changes`` made, recorded on ``today``.

    A value typed as empty, 'unknown', 'not recorded' or 'none' clears a field (not
    recorded).  A bad value is an :class:`InvalidInput` naming the field by its label.
    """
    data = current.model_dump() if current is not None else {}
    for name, value in changes.items():
        data[name] = (
            None if isinstance(value, str) and value.strip().casefold() in _CLEAR else value
        )
    if "updated_on" not in changes:
        data["updated_on"] = today
    try:
        return TrustProfile.model_validate(
            {k: v for k, v in data.items() if k in TrustProfile.model_fields}
        )
    except ValidationError as exc:
        raise InvalidInput(describe_validation_error(exc, PROFILE_LABEL, TrustProfile)) from None


def save_profile(
    repo: Repository,
    profile: TrustProfile,
    expected_version: int | None,
    trust: str | None = None,
) -> TrustProfileRecord:
    """Save the profile over ``expected_version`` (0: none was recorded when it was read),
    and the trust's name when given, in one transaction."""
    with write_transaction(repo.db):
        if trust is not None:
            set_trust_name(repo, trust)
        return repo.save_profile(profile, expected_version)


def set_trust_name(repo: Repository, trust: str) -> None:
    """Set the trust's name; a bad one is one line naming the trust name."""
    try:
        repo.set_trust_name(trust)
    except ValidationError as exc:
        lines = describe_validation_error(exc)
        raise InvalidInput([line.replace("trust: ", "trust name: ", 1) for line in lines]) from None


def set_profile(
    repo: Repository, changes: Mapping[str, Any], today: dt.date, trust: str | None = None
) -> TrustProfileRecord:
    """Change some fields of the stored profile (and the trust's name when given), recorded
    on ``today``, in one transaction: read, changed and saved over the version read."""
    with write_transaction(repo.db):
        current = repo.get_profile()
        profile = changed_profile(current, changes, today)
        return save_profile(repo, profile, current.version if current else 0, trust)
