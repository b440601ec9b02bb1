"""The trust's own register lined up with its partners' shared files (the ICS screen).

A CIO opening the ICS view from the register expects their own suppliers beside the partner
trusts'.  :func:`register_ics_view` builds the trust's own shared file in memory, exactly as
``export --format share`` would write it (:func:`services.exports.share_content`; the
redaction does not matter here, it never leaves the machine), names that trust
":data:`THIS_TRUST`" so every line of the view says which is the trust's own, and lines it up
with the files read (:func:`services.ics.ics_view` without the register).  The register is
only read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from supplier_register.ics.analysis import IcsView, line_up
from supplier_register.ics.model import SharedFile
from supplier_register.interchange.share_read import parse_shared, read_shared_file
from supplier_register.scoring.config import ScoringConfig
from supplier_register.scoring.results import SupplierOverview
from supplier_register.services.exports import share_content
from supplier_register.services.ics import shared_file_paths
from supplier_register.storage.db import open_database

THIS_TRUST = "this trust"
"""How the view marks the trust's own register: 'Riverside NHS Trust (this trust)'."""

OWN_LABEL = "the register open here"
"""How messages name the trust's own register (partner files are named by their path)."""


def own_trust_name(trust: str | None) -> str:
    """The name the view gives the trust's own register: its name marked as this trust's."""
    return f"{trust} ({THIS_TRUST})" if trust else THIS_TRUST.capitalize()


@dataclasses.dataclass(frozen=True, slots=True)
class OwnFile:
    """The register open here as a shared file for the view (see :func:`own_shared_file`)."""

    file: SharedFile
    """Its trust named as the view names it ('Riverside NHS Trust (this trust)')."""
    trust: str | None
    """The register's own trust name (``None``: it has none)."""


def own_shared_file(
    db_path: Path,
    today: dt.date,
    config: ScoringConfig | None = None,
    overviews: Iterable[SupplierOverview] | None = None,
) -> OwnFile:
    """The register at ``db_path`` as a shared file for the view, and the trust's own name
    (``overviews``: its current scores, when the caller holds them; else worked out).  The
    TUI builds it as the ICS screen opens, while the files are being chosen."""
    db = open_database(db_path, create=False)
    try:
        content = share_content(db, today, config, overviews=overviews, answers=False)
    finally:
        db.close()
    shared = parse_shared(content, OWN_LABEL)
    return OwnFile(dataclasses.replace(shared, trust=own_trust_name(shared.trust)), shared.trust)


def _same_trust(one: str, other: str) -> bool:
    return " ".join(one.casefold().split()) == " ".join(other.casefold().split())


@dataclasses.dataclass(frozen=True, slots=True)
class RegisterIcsView:
    """The ICS view with the trust's own register in it, and the name it has there."""

    view: IcsView
    this_trust: str
    """The own register's trust as the view names it ('Riverside NHS Trust (this trust)')."""


def register_ics_view(
    db_path: Path,
    paths: Sequence[Path],
    today: dt.date,
    config: ScoringConfig | None = None,
    overviews: Iterable[SupplierOverview] | None = None,
) -> RegisterIcsView:
    """The ICS view of the shared files at ``paths`` (files, or folders of ``*.json``) with the
    register at ``db_path`` as one of the trusts, marked as this trust's (see :func:`with_own`);
    ``overviews``: the register's current scores, when the caller holds them."""
    files = [read_shared_file(path) for path in shared_file_paths(paths)]
    return with_own(own_shared_file(db_path, today, config, overviews), files, today)


def read_with_own(
    own: Callable[[], OwnFile], paths: Sequence[Path], today: dt.date
) -> RegisterIcsView:
    """The ICS view of the shared files at ``paths`` with the register ``own()`` gives, asked
    for once the files are read (the TUI builds it beforehand, as its screen opens)."""
    files = [read_shared_file(path) for path in shared_file_paths(paths)]
    return with_own(own(), files, today)


def with_own(own: OwnFile, files: Sequence[SharedFile], today: dt.date) -> RegisterIcsView:
    """The ICS view of partner trusts' ``files`` with the register ``own`` as one of them.

    A shared file of the same trust (the trust's own export, in the folder with its partners')
    is left out with a warning: the register itself is newer; so is a file claiming the name
    the view gives the register.  ``BadFile`` in one line naming the first file that cannot
    be read; a register that cannot be read raises as its reads do.
    """
    mine = own.file
    warnings: list[str] = []
    partners: list[SharedFile] = []
    for file in files:
        trust = file.trust
        if trust is not None and (
            _same_trust(trust, mine.trust_name)
            or (own.trust is not None and _same_trust(trust, own.trust))
        ):
            warnings.append(
                f"{file.label}: a shared file of {trust}, this trust; "
                "the register open here is shown instead"
            )
            continue
        partners.append(file)
    view = line_up([mine, *partners], today)
    view = dataclasses.replace(view, warnings=(*warnings, *view.warnings))
    return RegisterIcsView(view, mine.trust_name)
