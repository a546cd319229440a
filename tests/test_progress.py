"""ProgressBar: tqdm on a terminal, nothing anywhere else."""

from __future__ import annotations

import io

import pytest

from profitopt.progress import ProgressBar


class _Terminal(io.StringIO):
    """A stream that says it is a TTY and keeps what was drawn."""

    def isatty(self) -> bool:
        return True


def _drive(bar: ProgressBar, stages: list[tuple[int, int, str]]) -> None:
    for done, total, label in stages:
        bar(done, total, label)


STAGES = [(0, 3, "checking demand_link"), (1, 3, "checking theorem1"),
          (2, 3, "rendering"), (3, 3, "done")]


class TestSilentOffTerminal:
    """When the stream is not a TTY the bar writes nothing at all."""

    @pytest.mark.parametrize("stream", [
        pytest.param(io.StringIO(), id="file-like"),
        pytest.param(type("NoIsatty", (), {"write": lambda self, s: None,
                                            "flush": lambda self: None})(), id="no-isatty"),
    ])
    def test_nothing_written(self, stream):
        written = []
        stream.write = written.append
        bar = ProgressBar(stream)
        _drive(bar, STAGES)
        assert not bar.enabled
        assert written == []


class TestDrawsOnTerminal:
    """On a TTY the bar is tqdm's: it shows the label, done/total and closes at the end."""

    def test_draws_final_state(self):
        stream = _Terminal()
        bar = ProgressBar(stream)
        _drive(bar, STAGES)
        text = stream.getvalue()
        assert bar.enabled
        assert "3/3" in text and "100%|" in text  # tqdm's meter
        assert "done" in text
        assert text.endswith("\n")  # the finished bar leaves its line

    def test_new_total_starts_a_new_bar(self):
        stream = _Terminal()
        bar = ProgressBar(stream)
        _drive(bar, [(0, 1, "building kernels"), (5, 10, "solving"), (10, 10, "solving")])
        text = stream.getvalue()
        assert "10/10" in text and "solving" in text
        assert text.count("\n") == 2  # the first bar closed on the change of total

    def test_count_may_restart(self):
        stream = _Terminal()
        bar = ProgressBar(stream)
        _drive(bar, [(4, 5, "figures"), (2, 5, "again"), (5, 5, "done")])
        assert "5/5" in stream.getvalue()
