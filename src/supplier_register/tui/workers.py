"""One place that handles a worker that raised, for every screen that runs workers."""

from __future__ import annotations

from textual.dom import DOMNode
from textual.worker import Worker, WorkerState


class ReportsWorkerErrors(DOMNode):
    """Hands this node's worker failures to the app's one worker-error handler.

    Textual posts a worker's state to the node that runs it and does not bubble
    it, so without this a screen whose worker raised would stay on its loading
    line with no message.
    """

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is not WorkerState.ERROR:
            return
        handler = getattr(self.app, "on_worker_state_changed", None)
        if handler is not None:
            handler(event)
        else:  # an app without the register's handler (a screen run on its own)
            error = event.worker.error
            self.app.notify(f"{error.__class__.__name__}: {error}", severity="error", markup=False)
