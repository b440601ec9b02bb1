"""The trust profile's form: the trust's integrated care system and its in-house digital and
commercial staff and contractors, saved over the version it was opened with."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from supplier_register.domain import TrustProfile, TrustProfileRecord
from supplier_register.services.profile import read_profile, save_form
from supplier_register.tui.forms import PROFILE_FIELDS
from supplier_register.tui.screens.form import FormScreen
from supplier_register.tui.text import lit

if TYPE_CHECKING:
    from supplier_register.tui.app import SupplierRegisterApp


def profile_title(trust: str | None) -> Content:
    """'Trust profile: <the trust's name>' (the name as literal text)."""
    if not trust:
        return Content("Trust profile")
    return Content.assemble("Trust profile: ", lit(trust, "bold"))


def edit_profile(app: SupplierRegisterApp) -> None:
    """Read the profile in a worker, then open its form (empty when never recorded)."""
    db_path = app.db_path

    def opened(record: TrustProfileRecord | None) -> None:
        version = record.version if record is not None else 0
        today = app.today
        trust = app.snapshot.trust if app.snapshot is not None else None
        app.push_screen(
            FormScreen[TrustProfile, TrustProfileRecord](
                title=profile_title(trust),
                model_type=TrustProfile,
                fields=PROFILE_FIELDS,
                initial=record,
                save=lambda repo, model: save_form(repo, model, version, today),
                saved_message="Trust profile saved.",
                record_label="trust profile",
            )
        )

    app.fetch(lambda: read_profile(db_path), opened)
