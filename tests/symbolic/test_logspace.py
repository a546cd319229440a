"""The reduced first-order condition in log space (x = log n), as the numeric kernels use it."""

from __future__ import annotations

import pytest
import sympy as sp

from profitopt.symbolic.algebra import (
    from_log_coordinates,
    split_signed_terms,
    to_log_coordinates,
)
from profitopt.symbolic.logspace import derive_log_condition, log_difference
from profitopt.symbolic.optimality import derive_reduced_problem
from profitopt.symbolic.profit import ProfitModel
from profitopt.symbolic.symbols import (
    LOG_COORDINATES,
    E,
    a,
    alpha,
    b,
    beta,
    delta,
    gamma,
    log_a,
    log_b,
    log_delta,
    log_E,
    log_omega,
    n,
    omega,
    x,
)

MODEL = ProfitModel()
#: Working precision (decimal digits) of the spot checks.
DPS = 50
#: Relative tolerance of the spot checks (50-digit evaluation, benign cancellation).
SPOT_RTOL = sp.Float("1e-35", DPS)

#: One exact parameter point; x_peak ~ 47.9 and the margin is positive from x ~ -7.7.
PARAMETERS = {alpha: sp.Rational(3, 10), beta: sp.Rational(1, 4), gamma: sp.Rational(-1, 2),
              a: 10, b: 20, omega: 1, delta: sp.Rational(1, 10**10), E: sp.Integer(10) ** 18}
LOG_PARAMETERS = {alpha: PARAMETERS[alpha], beta: PARAMETERS[beta], gamma: PARAMETERS[gamma],
                  log_a: sp.log(10), log_b: sp.log(20), log_omega: sp.S.Zero,
                  log_delta: sp.log(sp.Rational(1, 10**10)), log_E: sp.log(sp.Integer(10) ** 18)}
#: Points with t* > 0 and x < x_peak, where the balance is defined.
INTERIOR_X = [pytest.param(sp.Integer(v), id=f"x={v}") for v in (0, 20, 40, 47)]


@pytest.fixture(scope="module")
def condition():
    return derive_log_condition(MODEL)


@pytest.fixture(scope="module")
def reduced():
    return derive_reduced_problem(MODEL)


def _log_value(expr: sp.Expr, at_x: sp.Expr) -> sp.Float:
    return sp.N(expr.subs(LOG_PARAMETERS).subs(x, at_x).rewrite(sp.exp), DPS)


def _natural_value(expr: sp.Expr, at_x: sp.Expr) -> sp.Float:
    return sp.N(expr.subs(PARAMETERS).subs(n, sp.exp(at_x)).rewrite(sp.exp), DPS)


def _close(value: sp.Float, reference: sp.Float) -> bool:
    return abs(value - reference) <= SPOT_RTOL * max(abs(reference), 1)


class TestLogCoordinates:
    """log of a positive monomial becomes a sum of log-coordinates with no exponentials."""

    def test_round_trip(self, reduced):
        training = 6 * n * reduced.tokens / E
        in_log = to_log_coordinates(training)
        expected = sp.expand_log(sp.log(training), force=True)
        assert sp.simplify(from_log_coordinates(in_log) - expected) == 0

    def test_no_exponentials(self, reduced):
        in_log = to_log_coordinates(6 * n * reduced.tokens / E)
        assert not in_log.has(sp.exp)
        assert not in_log.free_symbols & set(LOG_COORDINATES)

    def test_split_signed_terms(self):
        gain, loss = split_signed_terms(3 * n - 2 / E + omega)
        assert (gain, loss) == (3 * n + omega, 2 / E)

    @pytest.mark.parametrize("at_x", INTERIOR_X)
    def test_log_difference(self, at_x):
        gain, loss = 5 * n**2 * omega, 3 * n / E
        value = sp.N(log_difference(gain, loss).subs(LOG_PARAMETERS).subs(x, at_x), DPS)
        reference = _natural_value(sp.log(gain - loss), at_x)
        assert _close(value, reference)


class TestLogCondition:
    """S(x) = log[m n m'/(2 delta)] - log[n (6 n d(n)/E)'] and its companions equal their definitions."""

    def test_margin_floor_is_unit_quality(self, condition):
        assert sp.simplify(condition.margin_floor + log_a / alpha) == 0

    def test_peak_is_log_of_margin_peak(self, condition, reduced):
        expected = to_log_coordinates(reduced.peak)
        assert sp.simplify(condition.peak - expected) == 0

    def test_balance_derivatives(self, condition):
        assert sp.simplify(sp.diff(condition.balance, x) - condition.balance_slope) == 0
        assert sp.simplify(sp.diff(condition.balance_slope, x) - condition.balance_curvature) == 0

    @pytest.mark.parametrize("at_x", INTERIOR_X)
    def test_balance_at_points(self, condition, reduced, at_x):
        margin = reduced.margin
        natural = (sp.log(margin * n * reduced.margin_slope / (2 * delta))
                   - sp.log(n * reduced.training_slope))
        assert _close(_log_value(condition.balance, at_x), _natural_value(natural, at_x))

    @pytest.mark.parametrize("at_x", INTERIOR_X)
    @pytest.mark.parametrize("field, natural", [
        pytest.param("log_margin", "log(m)", id="log-margin"),
        pytest.param("log_margin_slope", "log(n m')", id="log-margin-slope"),
        pytest.param("log_training_slope", "log(n T')", id="log-training-slope"),
        pytest.param("log_tokens", "log(d)", id="log-tokens"),
        pytest.param("log_quality", "log(q)", id="log-quality"),
        pytest.param("profit_sign", "log(m^2/(4 delta)) - log(6 n d/E)", id="profit-sign"),
    ])
    def test_pieces_at_points(self, condition, reduced, at_x, field, natural):
        definitions = {
            "log(m)": sp.log(reduced.margin),
            "log(n m')": sp.log(n * reduced.margin_slope),
            "log(n T')": sp.log(n * reduced.training_slope),
            "log(d)": sp.log(reduced.tokens),
            "log(q)": sp.log(reduced.quality),
            "log(m^2/(4 delta)) - log(6 n d/E)": (sp.log(reduced.margin**2 / (4 * delta))
                                                   - sp.log(6 * n * reduced.tokens / E)),
        }
        value = _log_value(getattr(condition, field), at_x)
        assert _close(value, _natural_value(definitions[natural], at_x))

    @pytest.mark.parametrize("room", [sp.Rational(1, 10**12), sp.Rational(1, 10**20)],
                             ids=["u=1e-12", "u=1e-20"])
    def test_peak_log_room_is_the_leading_log_term(self, condition, room):
        """S(x_peak - u) = log(u / u_0) + O(u): the remainder shrinks in proportion to u."""
        peak = condition.peak.subs(LOG_PARAMETERS)
        remainder = (_log_value(condition.balance, peak - room) - sp.log(room)
                     + _log_value(condition.peak_log_room, peak))
        assert abs(remainder) <= 10 * room

    @pytest.mark.parametrize("field, at_x, sign", [
        pytest.param("margin_sign", -10 * sp.log(10) / 3 + sp.Rational(1, 10**30), -1,
                     id="margin-negative-just-above-floor"),
        pytest.param("margin_sign", sp.Integer(10), 1, id="margin-positive"),
        pytest.param("margin_sign", sp.Integer(60), -1, id="margin-negative-far-right"),
        pytest.param("slope_sign", sp.Integer(47), 1, id="slope-positive-below-peak"),
        pytest.param("slope_sign", sp.Integer(48), -1, id="slope-negative-above-peak"),
    ])
    def test_sign_indicators(self, condition, reduced, field, at_x, sign):
        """Above the floor q = 1: margin_sign > 0 iff m > 0 (t* > 0); slope_sign > 0 iff x < x_peak."""
        natural = {"margin_sign": reduced.margin, "slope_sign": reduced.margin_slope}[field]
        assert sp.sign(_log_value(getattr(condition, field), at_x)) == sign
        assert sp.sign(_natural_value(natural, at_x)) == sign
