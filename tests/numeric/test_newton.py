"""The compiled Newton update: exact on the singular log term, bracketed, honest on failure."""

from __future__ import annotations

import math

import numpy as np
import pytest

from profitopt.numeric import newton

PEAK = 40.0


def _state(x, peak=PEAK):
    """Arrays of one running point at x (lo unknown, hi = x_peak)."""
    size = np.size(x)
    return dict(x=np.array(x, dtype=float).reshape(size), lo=np.full(size, np.nan),
                hi=np.full(size, peak), positive=np.full(size, np.nan),
                peak=np.full(size, peak),
                jumped=np.zeros(size, bool), converged=np.zeros(size, bool),
                failed=np.zeros(size, bool), overflowed=np.zeros(size, bool))


def _pass(state, s, ds):
    points = np.flatnonzero(~(state["converged"] | state["failed"] | state["overflowed"]))
    return newton.newton_pass(points, np.atleast_1d(s).astype(float),
                              np.atleast_1d(ds).astype(float), state["x"], state["lo"],
                              state["hi"], state["positive"], state["peak"],
                              state["jumped"], state["converged"], state["failed"],
                              state["overflowed"])


class TestStep:
    """Near x_peak, S ~ c + log(x_peak - x): the step in log(x_peak - x) solves that exactly."""

    @pytest.mark.parametrize("room", [1e-6, 1e-3, 0.5, 3.0], ids=lambda r: f"u={r:g}")
    @pytest.mark.parametrize("root_room", [1e-5, 2e-3, 0.7])
    def test_exact_on_the_singular_part(self, room, root_room):
        c = -math.log(root_room)
        # |S'| u = 1 for the pure log term: the log step is chosen from either side
        new, change, log_step = newton.step(c + math.log(room), -1.0 / room, PEAK - room,
                                            room, math.nan, PEAK)
        assert log_step
        assert PEAK - new == pytest.approx(root_room, rel=1e-12)
        assert change == pytest.approx(abs(room - root_room), rel=1e-9)

    def test_plain_step_away_from_the_peak(self):
        """|S'| u large and a small step: the x-step x - S/S'."""
        new, change, log_step = newton.step(-0.5, -2.0, 10.0, 30.0, math.nan, PEAK)
        assert not log_step and new == 9.75 and change == 0.25

    @pytest.mark.parametrize("lo, hi, expected", [(9.9, PEAK, 9.95), (math.nan, 10.5, 10.25)])
    def test_proposals_outside_the_bracket_become_midpoints(self, lo, hi, expected):
        # from x = 10: S/S' = 0.5 would step to 9.5 (below lo); S/S' = -1 to 11 (above hi)
        s = 1.0 if math.isnan(lo) else -1.0
        new, change, _ = newton.step(s, -2.0 if s < 0 else -1.0, 10.0, 30.0, lo, hi)
        assert new == expected and change == math.inf


class TestNewtonPass:
    """Per point: brackets move, small updates converge, a failed x-step from the right fails."""

    def test_converges_on_a_concave_function(self):
        # S(x) = log(PEAK - x) - 0.1 x, concave and decreasing, one root
        def values(x):
            return np.log(PEAK - x) - 0.1 * x, -1.0 / (PEAK - x) - 0.1

        state = _state([0.0, 30.0, 39.9])
        for _ in range(50):
            points = np.flatnonzero(~state["converged"])
            if not points.size:
                break
            _pass(state, *values(state["x"][points]))
        assert state["converged"].all() and not state["failed"].any()
        s, _ = values(state["x"])
        assert np.all(np.abs(s) < 1e-13)

    def test_hi_and_lo_record_the_signs_seen(self):
        state = _state([10.0, 20.0])
        _pass(state, [-1.0, 1.0], [-2.0, -2.0])
        assert state["hi"][0] == 10.0 and np.isnan(state["lo"][0])
        assert state["lo"][1] == state["positive"][1] == 20.0 and state["hi"][1] == PEAK
        assert np.isnan(state["positive"][0])

    def test_returns_only_the_running_points(self):
        state = _state([10.0, 20.0, 30.0])
        # the first update is below the tolerance, the second is not, the third fails
        running = _pass(state, [-1e-12, -1.0, math.nan], [-1.0, -2.0, -1.0])
        assert list(running) == [1]
        assert list(state["converged"]) == [True, False, False]
        assert list(state["failed"]) == [False, False, True]

    @pytest.mark.parametrize("after", ["log step", "positive value"])
    def test_an_undefined_value_retreats_when_a_root_is_known_to_exist(self, after):
        state = _state([30.0])
        if after == "log step":
            state["jumped"][:] = True
        else:
            state["lo"][:] = state["positive"][:] = 29.0
        state["hi"][:] = 35.0
        running = _pass(state, math.nan, math.nan)
        assert list(running) == [0] and not state["failed"][0]
        assert state["lo"][0] == 30.0 and state["x"][0] == 32.5
        # an undefined S is no sign: the certified left end stays where S > 0 was seen
        expected = 29.0 if after == "positive value" else np.nan
        np.testing.assert_equal(state["positive"][0], expected)


class TestOverflowedSlope:
    """S defined but S' not (a term of S' overflowed): bisection by the sign of S inside
    the bracket, or, without a bracket, a refusal -- never a shutdown."""

    def test_bisects_to_adjacent_doubles(self):
        root = 30.123456789
        state = _state([31.0])
        state["lo"][:] = state["positive"][:] = 29.0
        for _ in range(100):
            if not _pass(state, root - state["x"], math.nan).size:
                break
        assert state["converged"][0] and not state["failed"][0]
        assert abs(state["x"][0] - root) <= 2 * np.spacing(root)
        assert state["positive"][0] < root <= state["hi"][0]

    def test_without_a_bracket_the_point_is_refused(self):
        state = _state([31.0])
        running = _pass(state, -1.0, math.inf)
        assert running.size == 0
        assert state["overflowed"][0] and not state["failed"][0]
        assert not state["converged"][0]

    def test_a_retreat_that_cannot_move_is_refused(self):
        state = _state([np.nextafter(PEAK, 0.0)])
        state["jumped"][:] = True
        running = _pass(state, math.nan, math.nan)
        assert running.size == 0 and state["overflowed"][0] and not state["failed"][0]


class TestFirstStep:
    """A guess with S' < 0 starts the iteration from either side of the root; a guess with
    S > 0 and S' >= 0 only bounds it; an undefined one is left to the caller."""

    def test_sorts_the_guesses(self):
        start = np.array([10.0, 20.0, 30.0, 35.0])
        state = _state(np.full(4, np.nan))
        first_value = np.full(4, np.nan)
        started = np.zeros(4, bool)
        newton.first_step(np.arange(4), np.array([-0.5, 0.5, 0.5, math.nan]),
                          np.array([-2.0, -2.0, 1.0, -2.0]), start, state["x"], state["lo"],
                          state["hi"], state["positive"], state["peak"], first_value,
                          state["jumped"], state["converged"], started)
        assert list(started) == [True, True, False, False]
        assert state["x"][0] == 9.75 and state["hi"][0] == 10.0 and first_value[0] == -0.5
        assert state["x"][1] == 20.25 and state["lo"][1] == state["positive"][1] == 20.0
        assert state["lo"][2] == state["positive"][2] == 30.0 and np.isnan(state["x"][2])
        assert np.isnan(state["lo"][3]) and np.isnan(first_value[3])
