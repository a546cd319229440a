"""A progress bar (tqdm) on stderr when it is a terminal; silent otherwise."""

from __future__ import annotations

import sys
from typing import TextIO

from tqdm import tqdm


class ProgressBar:
    """Call with (done, total, label): draws with tqdm only when ``stream`` is a TTY.

    A new bar starts whenever ``total`` changes (a run's stages may count different
    units); a bar closes, leaving its last line, once ``done >= total``.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self._bar: tqdm | None = None

    def __call__(self, done: int, total: int, label: str) -> None:
        if not self.enabled:
            return
        if self._bar is None or self._bar.total != total:
            self.close()
            self._bar = tqdm(total=total, file=self.stream, dynamic_ncols=True, leave=True)
        bar = self._bar
        bar.set_description_str(label, refresh=False)
        if done >= bar.n:
            bar.update(done - bar.n)
        else:  # a stage restarted its count: show it as it is
            bar.n = done
            bar.refresh()
        if done >= total:
            self.close()

    def close(self) -> None:
        """Finish the current bar, if any (its last state stays on the terminal)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
