"""gc_paused restores the collector as it found it, also when the block fails."""

from __future__ import annotations

import gc

import pytest

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
