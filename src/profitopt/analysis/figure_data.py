"""What each figure of the appendix plots, computed from the solver and the symbolic laws.

Each function returns a frozen dataclass of labelled arrays and numbers (units in
the field comments); :mod:`profitopt.figures` draws them and writes the captions.
The points are the records' calibration points (:mod:`profitopt.derivations.calibration`)
and the laws are the records' growth analyses, so a figure shows what the records verify.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..derivations.calibration import point
from ..derivations.verification import Report
from ..growth_store import compute_bound_growth
from ..numeric.local_exponents import local_exponents
from ..numeric.parameters import Parameters
from ..numeric.vectorized import solve_many
from ..symbolic.asymptotics import PowerLaw
from ..symbolic.growth import ComputeBoundGrowth
from ..symbolic.symbols import D, E, alpha, gamma

#: Hardware efficiencies the E-figures span (FLOPs per dollar, log-spaced) ...
E_RANGE = (1e6, 1e40)
#: ... with this many solver optima for the growth figure ...
GROWTH_POINTS = 200
#: ... and this many 50-digit local exponents per value of gamma for the exponent figure.
EXPONENT_POINTS = 35
#: The sign cases of gamma whose local exponents the exponent figure compares.
EXPONENT_SHAPES = ("negative", "zero")
#: Data caps of the data-bound figure (tokens, log-spaced) and the number of caps.
CAP_RANGE, CAP_POINTS = (1e5, 1e12), 60
#: Hardware efficiencies of the data-bound figure's curves (FLOPs per dollar).
DATA_BOUND_EFFICIENCIES = (1e16, 1e20, 1e24)
#: The slope guide runs parallel to the spend this factor above its first data-bound
#: point (30: about a decade and a half), so that it never covers the data.
GUIDE_ABOVE = 30
#: Claim statuses in the order the claims figure stacks them.
STATUS_ORDER = ("verified", "bound only", "refuted", "not reproduced")


def growth(shape: str) -> ComputeBoundGrowth:
    """The records' growth analysis at the calibration point of ``shape``, from the cache."""
    return compute_bound_growth(dict(point(shape)), sp.S.Zero if shape == "zero" else gamma)


def _floats(at: tuple[tuple[sp.Symbol, sp.Rational], ...]) -> dict[str, float]:
    """A calibration point as the solver's keyword arguments."""
    return {s.name: float(v) for s, v in at}


def _law_curve(law: PowerLaw, variable_values: np.ndarray, reference: dict) -> np.ndarray:
    """n = C E^k (log E)^m of ``law`` at each E, the other parameters at ``reference``."""
    expr = law.expr(E).subs(reference)
    return np.array([float(expr.subs(E, v)) for v in variable_values])


def _step(reports: tuple[Report, ...], record: str, step: str) -> sp.Expr:
    """The right-hand side of a proof step of a verified record."""
    derivation = next(r.derivation for r in reports if r.derivation.id == record)
    return next(s.expr for s in derivation.steps if s.id == step).rhs


# -- growth ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LawCurve:
    """One growth law n* ~ C E^k (log E)^m of a regime, evaluated along E."""

    name: str          # the regime: "inference-dominated" or "training-dominated"
    exponent: float    # k (dimensionless)
    n: np.ndarray      # the law's n at each E of the figure (parameters)


@dataclass(frozen=True)
class GrowthData:
    """n* and training spend against E at the calibration point of gamma < 0, with the
    inference- and training-dominated laws of n* and their crossover E_c."""

    alpha: float            # alpha (= beta) of the calibration point
    E: np.ndarray           # hardware efficiency (FLOPs per dollar), log-spaced
    n: np.ndarray           # optimal parameters n* at each E (solver)
    train_cost: np.ndarray  # training spend 6 n* d*/E at each E (dollars)
    inference: LawCurve     # the inference-dominated law (the bound of Theorem 1)
    training: LawCurve      # the training-dominated law
    crossover: float        # E_c, where the two laws meet (FLOPs per dollar)


def compute_growth_data() -> GrowthData:
    """Solve the optimum along E at gamma = -1; evaluate both laws of n* and E_c there."""
    g, at = growth("negative"), point("negative")
    reference = dict(at)
    energy = np.geomspace(*E_RANGE, GROWTH_POINTS)
    solutions = solve_many(**_floats(at), E=energy)
    laws = [LawCurve(regime.name, float(regime.law.exponent.subs(reference)),
                     _law_curve(regime.law, energy, reference))
            for regime in (g.inference, g.training)]
    return GrowthData(alpha=float(reference[alpha]), E=energy, n=solutions.n,
                      train_cost=solutions.train_cost, inference=laws[0], training=laws[1],
                      crossover=float(sp.N(g.crossover.subs(reference))))


# -- local exponents ---------------------------------------------------------------------------

@dataclass(frozen=True)
class LocalExponentSeries:
    """d log n*/d log E from 50-digit optima along E at one value of gamma, with the
    exponents of the inference- and training-dominated laws and their crossover."""

    gamma: float            # the demand curvature of the calibration point
    E: np.ndarray           # hardware efficiency (FLOPs per dollar), log-spaced
    exponent: np.ndarray    # local exponent at each E (dimensionless; nan where undefined)
    inference: float        # k of the inference-dominated law
    training: float         # k of the training-dominated law
    training_log: bool      # the training-dominated law carries a (log E)^m factor
    crossover: float        # E_c (real part; FLOPs per dollar)


@dataclass(frozen=True)
class ExponentData:
    """The local exponent of n* in E for each sign case of gamma in EXPONENT_SHAPES."""

    series: tuple[LocalExponentSeries, ...]


def compute_exponent_data() -> ExponentData:
    """Local exponents d log n*/d log E at 50 digits and the laws' exponents, per gamma."""
    series = []
    for shape in EXPONENT_SHAPES:
        g, at = growth(shape), point(shape)
        reference = dict(at)
        values = list(np.geomspace(*E_RANGE, EXPONENT_POINTS))
        rows = local_exponents(Parameters(**_floats(at), E=values[0]), "n", "E", values)
        series.append(LocalExponentSeries(
            gamma=float(reference[gamma]), E=np.array(values),
            exponent=np.array([np.nan if r.exponent is None else r.exponent for r in rows]),
            inference=float(g.inference.law.exponent.subs(reference)),
            training=float(g.training.law.exponent.subs(reference)),
            training_log=g.training.law.log_power != 0,
            crossover=float(sp.re(sp.N(g.crossover.subs(reference))))))
    return ExponentData(tuple(series))


# -- data-bound spend --------------------------------------------------------------------------

@dataclass(frozen=True)
class SpendCurve:
    """Training spend against the data cap D at one E, on the caps where the cap binds."""

    E: float                # hardware efficiency (FLOPs per dollar)
    D: np.ndarray           # data caps where the optimum is data-bound (tokens)
    train_cost: np.ndarray  # training spend 6 n* D/E there (dollars)


@dataclass(frozen=True)
class DataBoundData:
    """Data-bound spend against D for several E, with a guide of the records' slope in D
    (``guide`` is None when no curve is data-bound anywhere)."""

    alpha: float                  # alpha (= beta) of the calibration point
    D: np.ndarray                 # every data cap of the figure (tokens), log-spaced
    curves: tuple[SpendCurve, ...]  # one per E in DATA_BOUND_EFFICIENCIES
    slope: float                  # elasticity of the spend in D: 1 + beta/alpha
    elasticity_E: float           # elasticity of the spend in E
    guide: np.ndarray | None      # a spend of slope ``slope`` at each D (dollars)


def compute_data_bound_data(reports: tuple[Report, ...]) -> DataBoundData:
    """Solve along D for each E; take the data-cap record's elasticities in D and E.

    The guide is GUIDE_ABOVE spend_0 (D / D_0)^slope: the line of that slope through the
    first data-bound point (D_0, spend_0) of the first curve that has one, raised by the
    factor GUIDE_ABOVE.
    """
    reference = dict(point("negative"))
    floats = _floats(point("negative"))
    slope = float(_step(reports, "data_bound", f"elasticity-{D}").subs(reference))
    caps = np.geomspace(*CAP_RANGE, CAP_POINTS)
    curves = []
    for energy in DATA_BOUND_EFFICIENCIES:
        s = solve_many(**floats, E=energy, D=caps)
        bound = s.regime == "data-bound"
        curves.append(SpendCurve(energy, caps[bound], s.train_cost[bound]))
    guide = None
    first = next((c for c in curves if c.D.size), None)
    if first is not None:
        start, spend = first.D[0], first.train_cost[0]
        guide = GUIDE_ABOVE * spend * (caps / start) ** slope
    return DataBoundData(
        alpha=float(reference[alpha]), D=caps, curves=tuple(curves), slope=slope,
        elasticity_E=float(_step(reports, "data_bound", f"elasticity-{E}").subs(reference)),
        guide=guide)


# -- claims ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClaimCounts:
    """How many claims of each record have each status."""

    records: tuple[str, ...]   # record ids, in appendix order
    statuses: tuple[str, ...]  # STATUS_ORDER
    counts: np.ndarray         # counts[i, j]: claims of records[j] with statuses[i]

    @property
    def totals(self) -> dict[str, int]:
        """Claims with each status, over all records."""
        return {s: int(row.sum()) for s, row in zip(self.statuses, self.counts)}


def count_claims(reports: tuple[Report, ...]) -> ClaimCounts:
    """Count each record's claims by status."""
    counts = np.array([[sum(c.status.value == s for c in r.claims) for r in reports]
                       for s in STATUS_ORDER], dtype=int).reshape(len(STATUS_ORDER), -1)
    return ClaimCounts(tuple(r.derivation.id for r in reports), STATUS_ORDER, counts)


#: The fitted law of the over-training figure, its values of gamma and its E range
#: (FLOPs per dollar, log-spaced, this many points per curve).
OVERTRAINING_PRESET = "hoffmann2022"
OVERTRAINING_SHAPES = (-1.0, 0.0)
OVERTRAINING_E, OVERTRAINING_POINTS = (1e10, 1e40), 31


@dataclass(frozen=True)
class TokensPerParameterCurve:
    """d*/n* against E at one gamma under the additive law, with the comparisons at n*."""

    gamma: float
    E: np.ndarray                    # FLOPs per dollar, producing optima only
    tokens_per_parameter: np.ndarray  # d*/n* of the additive law's optimum
    compute_optimal: np.ndarray      # rho_c(n*): the compute-optimal path's d/n at n*
    leontief: np.ndarray             # the Leontief kink's d/n at n* (a = 1/A, b = 1/B)


@dataclass(frozen=True)
class OvertrainingData:
    """Tokens per parameter of the profit optimum under the additive law (a preset's fit),
    beside the compute-optimal path and the Leontief law at the same model size."""

    preset: str
    alpha: float
    beta: float
    curves: tuple[TokensPerParameterCurve, ...]


def compute_overtraining_data() -> OvertrainingData:
    """The 50-digit additive optimum along E for each gamma of OVERTRAINING_SHAPES
    (:func:`~.overtraining_curve.tokens_per_parameter_curve`, omega = 1, delta = 1e-12)."""
    from ..models.presets import preset
    from .overtraining_curve import tokens_per_parameter_curve

    law = preset(OVERTRAINING_PRESET)
    values = tuple(np.logspace(*np.log10(OVERTRAINING_E), OVERTRAINING_POINTS))
    curves = []
    for shape in OVERTRAINING_SHAPES:
        rows = [row for row in tokens_per_parameter_curve(OVERTRAINING_PRESET, shape, values)
                if row["regime"] == "producing"]
        curves.append(TokensPerParameterCurve(
            shape, *(np.array([row[key] for row in rows]) for key in
                     ("E", "tokens_per_parameter", "compute_optimal", "leontief_kink"))))
    return OvertrainingData(OVERTRAINING_PRESET, float(law.alpha), float(law.beta),
                            tuple(curves))


#: The scenario and the range of gamma of the trends figure, and its number of points.
TRENDS_SCENARIO, TRENDS_GAMMA, TRENDS_POINTS = "baseline", (-1.0, 0.5), 301


@dataclass(frozen=True)
class TrendsData:
    """Permitted yearly growth of training FLOPs against gamma for one scenario, the
    observed growth and the break-even shapes."""

    scenario: str
    gamma: np.ndarray           # demand-link shape
    bound: np.ndarray           # permitted growth a year on the derived bound (NaN: none)
    tight: np.ndarray           # ... on the tight (training-dominated) rate
    reported: np.ndarray        # ... on Theorem 1 as reported (gamma != 0)
    reported_at_zero: float     # ... on Theorem 2 as reported (gamma = 0)
    observed: float             # observed growth of training FLOPs a year
    break_even_bound: tuple[float, ...]
    break_even_tight: tuple[float, ...]
    hardware: float             # E's yearly factor
    parameter_efficiency: float  # a's yearly factor
    data_efficiency: float      # b's yearly factor
    alpha: float
    beta: float


def compute_trends_data() -> TrendsData:
    """The baseline scenario's permitted growth of training FLOPs on a grid of gamma
    (:func:`~.trends.permitted_curves`) and its break-even shapes."""
    from ..models.scenarios import select, shipped
    from .trends import break_evens, observed, permitted_curves

    (scenario,) = select(shipped(), TRENDS_SCENARIO)
    shapes = [float(g) for g in np.linspace(*TRENDS_GAMMA, TRENDS_POINTS)]
    curves = permitted_curves(scenario, shapes)
    crossings = {b.kind: b.roots for b in break_evens(scenario)}
    return TrendsData(
        scenario.name, np.array(shapes), *(np.array(curves[k], dtype=float)
                                           for k in ("bound", "tight", "reported")),
        curves["reported_at_zero"][0], observed(scenario)["train_flops"],
        crossings["bound"], crossings["tight"],
        *(float(scenario.rate(name).factor) for name in ("E", "a", "b")),
        float(scenario.alpha), float(scenario.beta))
