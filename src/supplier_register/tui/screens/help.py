"""Every key of every screen, generated from the bindings themselves so it cannot drift."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from supplier_register.tui.keymap import keys_in_force
from supplier_register.tui.widgets.register_table import NOTICE_HELP, PRIORITY_HELP

if TYPE_CHECKING:
    from supplier_register.tui.app import SupplierRegisterApp

EXTRA_KEYS: dict[str, list[tuple[str, str]]] = {
    "Register": [
        (
            "type",
            "in the filter box: keep suppliers whose name, owner, category, band or "
            "criticality contain every word",
        ),
        ("esc", "clear the filter"),
        ("click", "a column header sorts by it; click again to reverse"),
        (
            "columns",
            "Score: the risk out of 100, impact times exposure (how open our known weaknesses "
            "leave us), banded low, medium, high or severe · Impact: the harm if the "
            "relationship went wrong, out of 5, the score's first factor (w opens a different "
            "view: which services would stop if the supplier failed) · Conf.: confidence, "
            "the share of what matters that is recorded; below half, the supplier is "
            "Unassessed rather than banded",
        ),
        ("priority", PRIORITY_HELP),
        ("notice by", NOTICE_HELP),
        ("header", "point at a column's header for what it is"),
    ],
    "Board pack": [
        (
            "type",
            "in the filter box (/): keep the suppliers whose name contains every word, on every "
            "tab, as k and c do",
        ),
        ("numbers", "a filter hides rows, never renumbers them: the numbers are the board pack's"),
        ("esc", "cancel the owner line, else clear every filter, else go back"),
    ],
    "Deadlines": [
        (
            "type",
            "in the filter box (/): keep the suppliers whose name contains every word",
        ),
        (
            "window",
            "every overdue deadline is listed whatever the window; red rows are overdue, "
            "with the days since",
        ),
        ("esc", "clear the filter, else go back"),
    ],
    "Everywhere": [
        ("tab / shift+tab", "move between fields and panels"),
        ("ctrl+p", "command palette: every action by name"),
    ],
}


def _sections() -> list[tuple[str, Sequence[BindingType]]]:
    """Each block of the help with the bindings it lists."""
    return [
        (title, [binding for owner in owners for binding in owner.BINDINGS])
        for title, owners in _screens()
    ]


def _screens() -> list[tuple[str, Sequence[type[DOMNode]]]]:
    """Each block of the help with the classes (app, screens, widgets) whose keys it lists."""
    from supplier_register.tui.app import SupplierRegisterApp
    from supplier_register.tui.screens.audit import AuditScreen
    from supplier_register.tui.screens.board import BoardScreen, BoardTable
    from supplier_register.tui.screens.confirm import ConfirmScreen
    from supplier_register.tui.screens.deadlines import DeadlinesScreen, DeadlineTable
    from supplier_register.tui.screens.form import FormScreen
    from supplier_register.tui.screens.impact import (
        ConcentrationScreen,
        ConcentrationTable,
        ImpactList,
        ImpactScreen,
    )
    from supplier_register.tui.screens.people import PeopleList, PeopleScreen
    from supplier_register.tui.screens.questionnaire import AnswerList, QuestionnaireScreen
    from supplier_register.tui.screens.register import RegisterScreen
    from supplier_register.tui.screens.review import ReviewScreen
    from supplier_register.tui.screens.services import ServiceList, ServicesScreen
    from supplier_register.tui.screens.supplier import (
        ContractList,
        DependencyList,
        SupplierScreen,
    )
    from supplier_register.tui.widgets.register_table import RegisterTable

    return [
        ("Everywhere", [SupplierRegisterApp]),
        ("Register", [RegisterScreen, RegisterTable]),
        ("Supplier", [SupplierScreen, ContractList, DependencyList]),
        ("Questionnaire", [QuestionnaireScreen, AnswerList]),
        ("Board pack", [BoardScreen, BoardTable]),
        ("Deadlines", [DeadlinesScreen, DeadlineTable]),
        ("Owners", [PeopleScreen, PeopleList]),
        ("Services", [ServicesScreen, ServiceList]),
        ("Impact", [ImpactScreen, ImpactList]),
        ("Concentration", [ConcentrationScreen, ConcentrationTable]),
        ("Quarterly review", [ReviewScreen]),
        ("History", [AuditScreen]),
        ("Forms", [FormScreen]),
        ("Confirmation", [ConfirmScreen]),
    ]


def key_names(binding: Binding, keys: Sequence[str] | None = None) -> str:
    """'↑ / k' for a binding on several keys (``keys``: those in force, else its own)."""
    shown = []
    for key in keys if keys is not None else binding.key.split(","):
        display = Binding(key.strip(), binding.action).key
        shown.append(_KEY_NAMES.get(display, display))
    return " / ".join(dict.fromkeys(shown)) or "(no key)"


_KEY_NAMES = {
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "enter": "enter",
    "escape": "esc",
    "question_mark": "?",
    "slash": "/",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "pageup": "pgup",
    "pagedown": "pgdn",
}


def help_content(
    sections: Iterable[tuple[str, Sequence[BindingType]]] | None = None,
    keymap: Mapping[str, str] | None = None,
    hidden: Collection[str] = (),
) -> Content:
    """The help text: one block per screen, one line per key, with the keys in force under
    ``keymap`` (the user's ``[keys]``, as given to ``App.set_keymap``); the binding ids in
    ``hidden`` (the writes, with the register open read-only) are left out."""
    keymap = keymap or {}
    blocks = (
        [(title, keys_in_force(bindings, keymap)) for title, bindings in sections]
        if sections is not None
        else [
            (title, [pair for owner in owners for pair in keys_in_force(owner.BINDINGS, keymap)])
            for title, owners in _screens()
        ]
    )
    lines: list[Content] = [
        Content.styled("Keys", "bold"),
        Content.styled(
            "Everything can be done from the keyboard; ctrl+p finds any action by name.",
            "$text-muted",
        ),
        Content.styled(
            "Keys can be changed under [keys] in the configuration file (see docs/keys.md); "
            "the theme chosen with ctrl+p, Theme, is kept there for the next start.",
            "$text-muted",
        ),
    ]
    if hidden:
        lines.append(
            Content.styled(
                "The register is open read-only: the keys that would change it are not listed.",
                "$text-warning",
            )
        )
    for title, bindings in blocks:
        lines += [Content(""), Content.styled(title, "bold $text-accent")]
        seen: set[str] = set()
        for binding, keys in bindings:
            if not binding.description or binding.action in seen or binding.id in hidden:
                continue
            seen.add(binding.action)
            lines.append(
                Content.assemble(
                    (f"  {key_names(binding, keys):<16}", "bold"),
                    binding.tooltip or binding.description,
                )
            )
        for extra, description in EXTRA_KEYS.get(title, []):
            lines.append(Content.assemble((f"  {extra:<16}", "bold"), description))
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """The list of keys in force (after the user's keymap); any of escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "Close", id="help.close"),
    ]

    app: SupplierRegisterApp

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            with VerticalScroll(id="help-scroll"):
                yield Static(
                    help_content(keymap=self.app.keymap, hidden=self._hidden()), id="help-body"
                )
            yield Static(Content.styled("esc closes", "$text-muted"))

    def _hidden(self) -> frozenset[str]:
        from supplier_register.tui.readonly import WRITE_ACTIONS

        return WRITE_ACTIONS if self.app.read_only else frozenset()

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_close(self) -> None:
        self.dismiss()
