"""The process's garbage-collection policy, applied at the entry points only.

Reading, scoring and exporting a large register allocate millions of small
objects that hold no reference cycles (reference counting frees them); with the
cyclic collector running, its repeated passes over the growing heap find
nothing and cost about a third of the time.  So:

* a CLI command is a bounded batch job: ``cli.root.main`` runs every command
  with the collector paused (:func:`gc_paused`), and it is restored when the
  command ends (so an in-process caller such as a test gets it back);
* the TUI is long-lived: once a large register is first scored, the app
  hands its start-up heap to ``gc.freeze`` (``tui.app``), so later passes stay short.
  Its workers score with the collector running: at 10,000 suppliers a cold
  ``load_snapshot`` took the same time with and without pausing it (2.6 to 3.0 s
  CPU either way), because the records and overviews are few objects per supplier.

The domain, scoring, storage and application layers never touch the collector.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block, then restore it as it was.

    Reading, scoring and exporting a large register allocate millions of small
    objects that hold no cycles (reference counting frees them); with the
    collector running, its repeated passes over the growing heap find nothing
    and cost about a third of the time.  Cyclic garbage made inside the block
    is collected by the first pass after it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
