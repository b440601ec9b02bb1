"""The command palette's own provider: every action of the screen shown and of the app."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode


def bindings_of(bindings: Iterable[BindingType]) -> list[Binding]:
    """The ``Binding`` objects among a ``BINDINGS`` list (every binding here is one, with an id)."""
    return [binding for binding in bindings if isinstance(binding, Binding)]


@dataclass(frozen=True)
class Command:
    """One action offered in the palette: its name, its key, and what runs it."""

    title: str
    help: str
    run: Callable[[], Any]


class RegisterCommands(Provider):
    """The actions of the screen the palette was opened on, then the app's, by description.

    The screen says which of its (and its widgets') bindings to offer through
    ``DataScreen.command_bindings``; each is offered once, by its tooltip (or
    description), with its key.
    """

    def commands(self) -> list[Command]:
        from supplier_register.tui.app import DataScreen, SupplierRegisterApp

        app = self.app
        keymap = app.keymap if isinstance(app, SupplierRegisterApp) else {}
        own: list[tuple[DOMNode, Binding]] = []
        if isinstance(self.screen, DataScreen):
            own.extend(self.screen.command_bindings())
        own.extend((app, binding) for binding in bindings_of(app.BINDINGS))
        seen: set[str] = set()
        out: list[Command] = []
        for node, binding in own:
            if not binding.description or binding.action in seen or binding.action == "quit":
                continue
            if isinstance(app, SupplierRegisterApp) and app.refuses(node, binding.action):
                continue  # a write, with the register open read-only
            seen.add(binding.action)
            out.append(
                Command(
                    binding.tooltip or binding.description,
                    f"Key: {app.get_key_display(_in_force(binding, keymap))}",
                    _runner(node, binding.action),
                )
            )
        return out

    async def discover(self) -> Hits:
        for command in self.commands():
            yield DiscoveryHit(command.title, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.run, help=command.help)


def _in_force(binding: Binding, keymap: dict[str, str]) -> Binding:
    """``binding`` on the first key the user's keymap gives it, if it rebinds it."""
    keys = keymap.get(binding.id) if binding.id is not None else None
    return binding.with_key(keys.split(",")[0], key_display=None) if keys else binding


def _runner(node: DOMNode, action: str) -> Callable[[], Any]:
    async def run() -> None:
        await node.app.run_action(action, node)

    return run
