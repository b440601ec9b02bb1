"""gc_paused restores the collector as it found it, also when the block fails."""

from __future__ import annotations

import gc

import click
import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.runtime.gcpause import gc_paused


@pytest.mark.parametrize("enabled", [True, False])
def test_restores_the_collector(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with gc_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(KeyError), gc_paused():
            raise KeyError("x")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_a_cli_command_runs_with_the_collector_paused_then_restores_it() -> None:
    """The one GC policy of the CLI is applied by ``main``: paused for the command, then restored."""
    seen: list[bool] = []

    @click.command("gc-probe")
    def probe() -> None:
        seen.append(gc.isenabled())

    was = gc.isenabled()
    gc.enable()
    main.add_command(probe)
    try:
        result = CliRunner().invoke(main, ["gc-probe"])
        assert result.exit_code == 0, result.output
        assert seen == [False]
        assert gc.isenabled()
    finally:
        main.commands.pop("gc-probe")
        (gc.enable if was else gc.disable)()
