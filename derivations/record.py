"""Derivation records: immutable values that are both verified and rendered.

A :class:`Derivation` holds a result of the paper as data: its statement,
assumptions, ordered proof steps (SymPy expressions) and claims, each claim
with the checks that decide its status.  Checks are typed values; what they
mean is carried out by :func:`profitopt.derivations.verification.verify`.

Roles: an ``INTERNAL`` check tests the toolkit's own consistency (a closed
form against ``sp.diff``, float64 against 50 digits); a ``REPORTED`` check
compares a derived result with what the paper reports.  A claim is

- *verified* when every check passes,
- *refuted* when the internal checks pass but a reported comparison fails,
- *bound only* when a reported bound holds but a ``TIGHTNESS`` check fails
  (the bound is not the rate as E grows; the evidence names the window
  where it is),
- *not reproduced* when an internal check fails (the evidence is not sound), or when a
  ``REPRODUCTION`` check finds no stated set of assumptions that regenerates a
  reported number.

Every human-text field (titles, statements, justifications, notes, windows,
reported texts, check descriptions) is LaTeX text mode with its mathematics
in ``$...$``: the appendix typesets it as it is, and claims.json carries the
same string.  No ASCII mathematics.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import sympy as sp


class Rule(Enum):
    """How a proof step follows from the ones it uses."""

    DEFINE = "define"
    SUBSTITUTE = "substitute"
    DIFFERENTIATE = "differentiate"
    INTEGRATE = "integrate"
    SOLVE = "solve"
    LIMIT = "limit"
    SIMPLIFY = "simplify"
    SIGN = "sign"


class Role(Enum):
    """Whether a check tests the toolkit itself, compares with the paper, or tests tightness."""

    INTERNAL = "internal"
    REPORTED = "reported"
    TIGHTNESS = "tightness"
    REPRODUCTION = "reproduction"   # a reported number regenerated from stated assumptions


class Status(Enum):
    """Computed status of a claim."""

    VERIFIED = "verified"
    BOUND_ONLY = "bound only"
    REFUTED = "refuted"
    NOT_REPRODUCED = "not reproduced"


@dataclass(frozen=True)
class Assumption:
    """A hypothesis of the result, with its formal content (None when the words say it all).

    ``statement`` is LaTeX text mode, mathematics in ``$...$``; ``expr`` must not
    be a SymPy truth value (``Ge(t, 0)`` with ``t`` positive evaluates to True):
    build relations with ``evaluate=False`` or leave ``expr`` as None.
    """

    id: str
    statement: str
    expr: sp.Basic | None = None


@dataclass(frozen=True)
class Step:
    """One proof step: ``expr`` follows from the steps in ``uses`` by ``rule``."""

    id: str
    expr: sp.Basic
    rule: Rule
    justification: str
    uses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Range:
    """Sampling range of one parameter: uniform in [lo, hi], or in log10 if ``log``."""

    symbol: sp.Symbol
    lo: sp.Rational
    hi: sp.Rational
    log: bool = False


@dataclass(frozen=True)
class CapRange:
    """A cap ``variable <= bound`` drawn relative to the uncapped optimum: the bound is
    v* 10^(-u) (binding) or v* 10^(+u) (slack), u uniform in [lo, hi], where v* is the
    capped variable at the optimum with every cap absent."""

    bound: sp.Symbol
    variable: sp.Symbol
    lo: sp.Rational
    hi: sp.Rational


@dataclass(frozen=True)
class Box:
    """A parameter box sampled with a fixed seed; ``condition`` filters the draws.

    With ``caps``, draw k activates one KKT case in turn: no cap, then per cap binding and
    slack (see :class:`CapRange`); the other caps stay absent.  Draws whose uncapped
    optimum is shutdown are drawn again.
    """

    ranges: tuple[Range, ...]
    samples: int
    seed: int
    condition: str = "any"  # "any", "interior", "binding" or "producing"
    caps: tuple[CapRange, ...] = ()


@dataclass(frozen=True)
class IdentityCheck:
    """lhs - rhs simplifies to 0 under the symbols' assumptions."""

    id: str
    description: str
    lhs: sp.Expr
    rhs: sp.Expr
    role: Role = Role.INTERNAL


@dataclass(frozen=True)
class SignCheck:
    """``expr`` has sign ``expected`` (+1 or -1): at ``at`` if given, else for all parameters.

    ``subject`` names the quantity in words for the evidence (LaTeX text), e.g.
    "the elasticity of training spend in $b$".
    """

    id: str
    description: str
    expr: sp.Expr
    expected: int
    role: Role = Role.INTERNAL
    at: tuple[tuple[sp.Symbol, sp.Rational], ...] = ()
    subject: str = ""


@dataclass(frozen=True)
class ThetaCheck:
    """derived / reported is a positive constant, free of ``variables`` (a Theta match)."""

    id: str
    description: str
    derived: sp.Expr
    reported: sp.Expr
    variables: tuple[sp.Symbol, ...]
    role: Role = Role.REPORTED


@dataclass(frozen=True)
class SpotCheck:
    """float64 kernels of lhs and rhs agree to ``rtol`` on the box (x = log n drawn too)."""

    id: str
    description: str
    lhs: sp.Expr
    rhs: sp.Expr
    box: Box
    rtol: float
    role: Role = Role.INTERNAL


@dataclass(frozen=True)
class SolverCheck:
    """The solver's ``quantity`` equals (or, with relation "le", stays below) ``expected``."""

    id: str
    description: str
    quantity: str
    expected: sp.Expr
    regime: str
    box: Box
    rtol: float
    role: Role = Role.INTERNAL
    relation: str = "eq"  # "eq": |x/expected - 1| <= rtol;  "le": x <= expected (1 + rtol)


@dataclass(frozen=True)
class ExponentCheck:
    """|derived - reported| <= tolerance at the parameter point ``at``."""

    id: str
    description: str
    derived: sp.Expr
    reported: sp.Expr
    at: tuple[tuple[sp.Symbol, sp.Rational], ...]
    tolerance: sp.Rational
    role: Role = Role.REPORTED


@dataclass(frozen=True)
class LocalExponentCheck:
    """Numeric d log x*/d log v (50 digits) approaches k + m/log v over ``log10_values``.

    ``at`` fixes every parameter; the residual |local - (k + m / log v)| must be
    <= ``tolerance`` at the listed points.
    """

    id: str
    description: str
    quantity: str
    wrt: sp.Symbol
    exponent: sp.Expr
    log_power: sp.Expr
    at: tuple[tuple[sp.Symbol, sp.Rational], ...]
    log10_values: tuple[int, ...]
    tolerance: sp.Rational
    role: Role = Role.INTERNAL


@dataclass(frozen=True)
class PrecisionCheck:
    """float64 optimum vs the independent ``dps``-digit optimum, relative error <= rtol."""

    id: str
    description: str
    box: Box
    dps: int
    rtol: float
    role: Role = Role.INTERNAL


@dataclass(frozen=True)
class OffKinkCheck:
    """At the optimum, moving n or d off the kink by a factor 1 +- eps lowers profit (dps digits)."""

    id: str
    description: str
    box: Box
    eps: sp.Rational
    dps: int
    role: Role = Role.INTERNAL


@dataclass(frozen=True)
class ConcavityCheck:
    """S''(x) < 0 at points drawn inside (x_0, x_peak): one local maximum of profit."""

    id: str
    description: str
    box: Box
    points_per_sample: int
    role: Role = Role.INTERNAL


@dataclass(frozen=True)
class SwitchCheck:
    """The regime switches at the derived threshold of ``variable``: below vs above by 1 +- eps."""

    id: str
    description: str
    threshold: sp.Expr
    variable: sp.Symbol
    below: str
    above: str
    box: Box
    eps: sp.Rational
    role: Role = Role.INTERNAL


@dataclass(frozen=True)
class ElasticityCheck:
    """Numeric d log(quantity)/d log(variable) from the solver matches the closed form.

    Parameters in ``together`` move by the same factor as ``variable`` (for
    example b with a, which holds rho = (a/b)^(1/alpha) fixed).
    """

    id: str
    description: str
    quantity: str
    variable: sp.Symbol
    expected: sp.Expr
    box: Box
    step: sp.Rational
    rtol: float
    role: Role = Role.INTERNAL
    together: tuple[sp.Symbol, ...] = ()


@dataclass(frozen=True)
class CapCaseCheck:
    """The solver picks the KKT case the draw sets up: with every cap slack the interior
    optimum; with a cap below the uncapped optimum its corner n* = n_V, where the
    ``dps``-digit marginal profit dPi/dlog n is positive (the multiplier), or shutdown
    where profit at the corner is not positive.  Every cap must be seen binding and slack.
    The box must have ``caps``."""

    id: str
    description: str
    box: Box
    dps: int
    role: Role = Role.INTERNAL


@dataclass(frozen=True)
class DerivableCheck:
    """SymPy derived the claimed result; ``error`` (non-empty) is why it could not, and then
    the check fails: a result that was not established is never shown as verified."""

    id: str
    description: str
    error: str
    role: Role = Role.INTERNAL


Check = (IdentityCheck | SignCheck | ThetaCheck | SpotCheck | SolverCheck | PrecisionCheck
         | OffKinkCheck | ConcavityCheck | SwitchCheck | ElasticityCheck | ExponentCheck
         | LocalExponentCheck | CapCaseCheck | DerivableCheck)


@dataclass(frozen=True)
class Claim:
    """A statement, what the paper reports (if anything) and what we derive."""

    id: str
    statement: str
    derived: sp.Basic
    checks: tuple[Check, ...]
    reported: sp.Basic | None = None
    reported_text: str = ""
    kind: str = "equality"  # or "bound"
    window: str = ""        # where a rate holds, in words, when it does not hold for all E


@dataclass(frozen=True)
class Derivation:
    """One result of the paper as a value."""

    id: str
    title: str
    kind: str        # "Lemma", "Theorem", "Proposition", "Definition"
    source: str      # where the paper states it, or "" when the toolkit adds it
    statement: str
    assumptions: tuple[Assumption, ...]
    steps: tuple[Step, ...]
    claims: tuple[Claim, ...]
    notes: tuple[str, ...] = ()
    statement_math: tuple[sp.Basic, ...] = ()  # the statement's formulas, derived by SymPy
    model: str = "paper"  # the model whose compiled problem the numeric checks run against


@dataclass(frozen=True)
class IsoquantCheck:
    """The elasticity of substitution measured along isoquants at ``dps`` digits equals the
    closed form ``sigma`` within ``tolerance`` (absolute).

    At ``samples`` points drawn from ``ranges`` with ``seed`` (n, d and every parameter of
    ``quality``; with ``tokens``, d = tokens(n) is not drawn: a path such as the
    compute-optimal one), the isoquant q(n', d') = q(n, d) is followed to n' = n e^(+-h),
    h = ``step``, d' solved by Newton's method in log d at ``dps`` digits; the central
    difference [log(d'/n')] / [log(q_n/q_d)] between the two points is compared with
    ``sigma`` at (n, d).  Its error is O(h^2) plus rounding of order 10^(-dps)/h.
    """

    id: str
    description: str
    quality: sp.Expr
    sigma: sp.Expr
    ranges: tuple[Range, ...]
    samples: int
    seed: int
    step: sp.Rational
    dps: int
    tolerance: sp.Rational
    role: Role = Role.INTERNAL
    tokens: sp.Expr | None = None


Check = Check | IsoquantCheck


@dataclass(frozen=True)
class OptimumRelationCheck:
    """At ``box.samples`` seeded draws (producing optima only), the independent ``dps``-digit
    optimum of the CES problem (law in A, B, alpha, beta, r; r = 1 if not drawn) satisfies
    |lhs/rhs - 1| <= rtol, lhs and rhs in n, d, t, q and the drawn parameters."""

    id: str
    description: str
    lhs: sp.Expr
    rhs: sp.Expr
    box: Box
    dps: int
    rtol: float
    role: Role = Role.INTERNAL


@dataclass(frozen=True)
class FrontierOptimumCheck:
    """At each draw, the inference-aware frontier (least 6nd + 2nT on q(n, d) = q*) solved
    at T = t* from its own definition returns the profit optimum's (n*, d*) to ``rtol``
    (relative, ``dps`` digits)."""

    id: str
    description: str
    box: Box
    dps: int
    rtol: float
    role: Role = Role.INTERNAL


@dataclass(frozen=True)
class SmoothExponentCheck:
    """``dps``-digit local exponents d log X*/d log ``wrt`` of the CES optimum at ``at`` with
    ``sweep`` = 10^v for v in ``log10_values`` follow k + m/log(sweep): every residual
    <= ``tolerance`` (k = ``exponent``, m = ``log_power``, both evaluated at ``at``)."""

    id: str
    description: str
    quantity: str
    wrt: sp.Symbol
    at: tuple[tuple[sp.Symbol, sp.Rational], ...]
    log10_values: tuple[int, ...]
    exponent: sp.Expr
    log_power: sp.Expr
    tolerance: sp.Rational
    sweep: sp.Symbol = sp.Symbol("E", positive=True)
    dps: int = 50
    role: Role = Role.INTERNAL


@dataclass(frozen=True)
class SmoothExponentRangeCheck:
    """The same local exponents as :class:`SmoothExponentCheck`, each within [lo, hi]
    (either end may be infinite): a paper conclusion tested under a smooth law."""

    id: str
    description: str
    quantity: str
    wrt: sp.Symbol
    at: tuple[tuple[sp.Symbol, sp.Rational], ...]
    log10_values: tuple[int, ...]
    lo: sp.Expr
    hi: sp.Expr
    sweep: sp.Symbol = sp.Symbol("E", positive=True)
    dps: int = 50
    role: Role = Role.REPORTED


Check = (Check | OptimumRelationCheck | FrontierOptimumCheck | SmoothExponentCheck
         | SmoothExponentRangeCheck)


@dataclass(frozen=True)
class NumberCheck:
    """Some candidate lies within ``tolerance`` (absolute) of the number ``reported``.

    Each candidate is a labelled exact expression: one stated set of assumptions mapped to
    the reported quantity (``label`` is LaTeX text mode).  Candidates are evaluated at
    ``dps`` digits; the evidence names every one that matches, else the closest.
    """

    id: str
    description: str
    reported: sp.Expr
    candidates: tuple[tuple[str, sp.Expr], ...]
    tolerance: sp.Rational
    role: Role = Role.REPRODUCTION
    dps: int = 30


@dataclass(frozen=True)
class YearlyGrowthCheck:
    """The ``dps``-digit optimum's ``quantity`` grows by the factor ``expected`` in one year:
    the optimum at ``at`` against the optimum with each parameter of ``growth`` multiplied
    by its factor; |measured/expected - 1| <= ``rtol``."""

    id: str
    description: str
    quantity: str
    at: tuple[tuple[sp.Symbol, sp.Rational], ...]
    growth: tuple[tuple[sp.Symbol, sp.Expr], ...]
    expected: sp.Expr
    rtol: float
    role: Role = Role.INTERNAL
    dps: int = 50


Check = Check | NumberCheck | YearlyGrowthCheck
