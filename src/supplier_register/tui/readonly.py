"""Which of the TUI's actions write the register: refused, and hidden, when it is open read-only.

Every binding id of the TUI (see :mod:`supplier_register.tui.keymap`) is in exactly one of
:data:`WRITE_ACTIONS` and :data:`READ_ACTIONS` (a test keeps it so, so a new binding cannot be
forgotten).  With ``--read-only`` the app hides the write bindings from the footer and the
command palette and refuses them if reached anyway (:func:`write_binding`); the screens that
write (forms, imports, the questionnaire, the merge) are never opened (:func:`writes_register`);
and beneath both the register's connection cannot write at all (``storage.db``).
"""

from __future__ import annotations

from textual.dom import DOMNode

from supplier_register.tui.commands import bindings_of

READ_ONLY_NOTICE = "The register is open read-only; nothing was changed."
"""The one line a refused write shows (the storage layer's own wording)."""

WRITE_ACTIONS: frozenset[str] = frozenset(
    {
        # the app: forms and imports
        "app.profile",
        "app.import_data",
        # the register
        "register.add_supplier",
        "register.edit_supplier",
        "register.delete_supplier",
        "register.answer",
        "register.import_file",
        "register.load_sample",
        # one supplier
        "supplier.edit_supplier",
        "supplier.add_contract",
        "supplier.delete_contract",
        "supplier.answer",
        "supplier.delete_supplier",
        "supplier.merge",
        "supplier.add_dependency",
        "contract.select",
        "dependency.select",
        "dependency.delete_dependency",
        # the questionnaire
        "answer.select",
        "questionnaire.evidence",
        "questionnaire.save_evidence",
        "questionnaire.answer_yes",
        "questionnaire.answer_partly",
        "questionnaire.answer_no",
        "questionnaire.answer_unknown",
        "questionnaire.answer_not_applicable",
        # people and services
        "people.select",
        "people.add_person",
        "people.delete_person",
        "services.select",
        "services.add_service",
        "services.delete_service",
        # the review and the board pack's actions
        "review.add_action",
        "review.action_done",
        "review.close_review",
        "review.start_review",
        "board.to_review",
        "board.all_to_review",
        # saving a form or an import (their screens never open read-only)
        "form.save",
        "action_form.save",
        "import.save",
        "data_import.save",
    }
)
"""Binding ids whose action writes the register (or opens a screen that does)."""

READ_ACTIONS: frozenset[str] = frozenset(
    {
        "app.help",
        "app.board",
        "app.people",
        "app.review",
        "app.services",
        "app.concentration",
        "app.trust_findings",
        "app.export",  # a file, never the register
        "app.deadlines",
        "app.ics",  # reads partner trusts' files and the register, writes neither
        "app.reload",
        "app.quit",
        "audit.back",
        "audit.reload",
        "board.back",
        "board.filter",
        "board.key_question",
        "board.criticality",
        "board.tab_decisions",
        "board.tab_questions",
        "board.tab_actions",
        "board.tab_all",
        "board_table.select",
        "confirm.answer_True",
        "confirm.answer_False",
        "confirm.app_focus_next",
        "calendar.cancel",
        "calendar.export",  # a calendar file, never the register
        "deadline_table.select",
        "deadlines.back",
        "deadlines.filter",
        "deadlines.calendar",
        "deadlines.window_30",
        "deadlines.window_90",
        "deadlines.window_365",
        "deadlines.window_all",
        "ics.back",
        "ics.filter",
        "ics.toggle_all",
        "ics.files",
        "ics_supplier.back",
        "ics_table.cursor_up",
        "ics_table.cursor_down",
        "ics_table.page_up",
        "ics_table.page_down",
        "ics_table.first",
        "ics_table.last",
        "ics_table.select",
        "export.export",
        "export.cancel",
        "form.cancel",
        "help.close",
        "concentration.back",
        "concentration_table.select",
        "impact_list.select",
        "impact.back",
        "data_import.cancel",
        "import.cancel",
        "merge.cancel",
        "people.back",
        "questionnaire.back",
        "questionnaire.move_next",
        "questionnaire.move_previous",
        "questionnaire.next_unanswered",
        "register.filter",
        "register.history",
        "register.impact",
        "action_form.cancel",
        "review.earlier",
        "review.later",
        "review.back",
        "services.back",
        "supplier.back",
        "supplier.history",
        "supplier.impact",
        "supplier.tab_overview",
        "supplier.tab_contracts",
        "supplier.tab_score",
        "supplier.tab_answers",
        "supplier.tab_questions",
        "supplier.tab_dependencies",
        "trust.back",
        "register_table.cursor_up",
        "register_table.cursor_down",
        "register_table.page_up",
        "register_table.page_down",
        "register_table.first",
        "register_table.last",
        "register_table.select",
        "register_table.next_sort",
        "register_table.reverse_sort",
        "register_table.sort_priority",
        "register_table.sort_name",
        "register_table.sort_criticality",
        "register_table.sort_owner",
        "register_table.sort_score",
        "register_table.sort_band",
        "register_table.sort_impact",
        "register_table.sort_confidence",
        "register_table.sort_finding",
        "register_table.sort_decide_by",
    }
)
"""Binding ids whose action only reads the register (or writes a file the user names)."""

WRITE_SCREENS = frozenset(
    {
        "FormScreen",
        "ActionForm",
        "ImportScreen",
        "DataImportScreen",
        "MergeChooser",
        "QuestionnaireScreen",
    }
)
"""Screens (by class name, subclasses included) whose purpose is to write the register."""


def write_binding(node: DOMNode, action: str) -> str | None:
    """The id of the write binding of ``node`` (its class or a base) running ``action``, if any."""
    for cls in type(node).__mro__:
        for binding in bindings_of(vars(cls).get("BINDINGS", ())):
            if binding.action == action and binding.id in WRITE_ACTIONS:
                return binding.id
    return None


def writes_register(screen: object) -> bool:
    """Whether ``screen`` is one of the screens that write the register."""
    return any(cls.__name__ in WRITE_SCREENS for cls in type(screen).__mro__)
