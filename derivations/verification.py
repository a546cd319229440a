"""verify(derivation) -> report: the one bridge from records to the numeric kernels.

Every check produces a :class:`CheckResult` (pass/fail, evidence, largest
error, tolerance, samples, seed, digits).  A claim's status follows from
its checks as stated in :mod:`profitopt.derivations.record`.

Numeric checks run against the compiled problem of the record's model
(``Derivation.model``, a registered model name: :func:`~profitopt.numeric.kernels.problem`);
the checks written for the paper's closed forms (:data:`PAPER_ONLY`) fail, with that
reason, on any other model rather than run against the wrong problem.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction as _Fraction

import mpmath
import numpy as np
import sympy as sp

from ..errors import ProfitoptError, VerificationFailed
from ..numeric import ces_highprec as _ces
from ..numeric.kernels import compile_kernel, is_smooth, problem
from ..numeric.local_exponents import law_exponent, local_exponents
from ..numeric.optimum import solve
from ..numeric.parameters import Parameters, parameters_class
from ..numeric.precision import refine
from ..numeric.smooth_optimum import locate as smooth_locate
from ..numeric.solver import COMPUTE_BOUND, DATA_BOUND, SHUTDOWN, LogOptimum, solve_log
from ..numeric.vectorized import REGIMES, solve_many
from ..paramspec import NAMES as PARAMETERS_BY_NAME
from ..symbolic.demand import demand_exp, exprel
from ..symbolic.symbols import PARAMETERS
from ..symbolic.variants import model_named
from .text import number_latex
from .record import (Box, CapCaseCheck, Check, Claim, ConcavityCheck, DerivableCheck,
                     Derivation, ElasticityCheck, ExponentCheck, FrontierOptimumCheck,
                     IdentityCheck, IsoquantCheck, LocalExponentCheck, OffKinkCheck,
                     OptimumRelationCheck, PrecisionCheck, Role, SignCheck,
                     SmoothExponentCheck, SmoothExponentRangeCheck, SolverCheck, SpotCheck,
                     Status, SwitchCheck, ThetaCheck, NumberCheck, YearlyGrowthCheck)

_MAX_DRAWS_PER_SAMPLE = 40


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one check, as data."""

    id: str
    kind: str
    role: Role
    description: str
    passed: bool
    evidence: str
    max_error: float | None = None
    tolerance: float | None = None
    samples: int = 0
    seed: int | None = None
    dps: int | None = None
    evidence_latex: str = ""  # the same evidence as LaTeX text mode, math in $...$


@dataclass(frozen=True)
class ClaimReport:
    """A claim with its computed status and the results that decided it."""

    claim: Claim
    status: Status
    results: tuple[CheckResult, ...]


@dataclass(frozen=True)
class Report:
    """The verified form of a derivation: what the appendix and claims.json render."""

    derivation: Derivation
    claims: tuple[ClaimReport, ...]

    @property
    def consistent(self) -> bool:
        """True when every internal check passed."""
        return all(r.passed for c in self.claims for r in c.results if r.role is Role.INTERNAL)


def status_of(claim: Claim, results: tuple[CheckResult, ...]) -> Status:
    """not reproduced < refuted < bound only < verified, as the checks decide.

    An internal failure makes the evidence unsound, and a reported number that no stated
    assumptions regenerate is not reproduced either; a failed
    comparison with the paper refutes; a failed tightness check leaves a bound.
    """
    if any(not r.passed for r in results if r.role in (Role.INTERNAL, Role.REPRODUCTION)):
        return Status.NOT_REPRODUCED
    if any(not r.passed for r in results if r.role is Role.REPORTED):
        return Status.REFUTED
    if any(not r.passed for r in results if r.role is Role.TIGHTNESS):
        return Status.BOUND_ONLY
    return Status.VERIFIED


def verify(derivation: Derivation) -> Report:
    """Run every check of every claim against the record's model; pure apart from the
    process-wide kernel cache."""
    reports = []
    for claim in derivation.claims:
        results = tuple(_run(check, derivation.model) for check in claim.checks)
        reports.append(ClaimReport(claim, status_of(claim, results), results))
    return Report(derivation, tuple(reports))


def _run(check: Check, model: str = "paper") -> CheckResult:
    handler = _HANDLERS[type(check)]
    if model != "paper" and type(check) in PAPER_ONLY:
        return _result(check, False, f"check could not run: {type(check).__name__} tests a "
                       f"closed form of the paper's model, not of the model {model!r}")
    try:
        if type(check) in MODEL_AWARE:
            return handler(check, model)
        return handler(check)
    except (ProfitoptError, ArithmeticError, ValueError, KeyError) as error:
        return _result(check, False, f"check could not run: {error}")  # escaped as text


def _result(check: Check, passed: bool, evidence: str, latex: str = "", **extra
            ) -> CheckResult:
    """A check's outcome; ``latex`` is the same evidence typeset (LaTeX text mode)."""
    return CheckResult(check.id, type(check).__name__, check.role, check.description, passed,
                       evidence, evidence_latex=latex or _escape(evidence), **extra)


# --- typeset evidence ----------------------------------------------------------------------

#: How the solver's quantities are named in evidence.
QUANTITY_LATEX = {
    "n": r"model size $n^*$",
    "d": r"training tokens $d^*$",
    "t": r"served tokens $t^*$",
    "q": r"quality $q^*$",
    "train_flops": r"training compute $6n^*d^*$",
    "train_cost": r"training spend $6n^*d^*/E$",
    "profit": r"profit $\pi^*$",
    "tokens_per_parameter": r"tokens per parameter $d^*/n^*$",
}
#: An expression whose LaTeX is longer than this is described, not printed, in evidence.
EVIDENCE_CHARS = 70
_SPECIALS = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
             "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
             "\\": r"\textbackslash{}", "<": r"\textless{}", ">": r"\textgreater{}"}


def _escape(text: str) -> str:
    return "".join(_SPECIALS.get(ch, ch) for ch in text)


def _tex(expr: sp.Basic) -> str:
    return sp.latex(expr, ln_notation=False)


def _short(expr: sp.Basic) -> str | None:
    """Inline LaTeX of ``expr`` if it is short enough to sit in a table cell."""
    text = _tex(expr)
    return text if len(text) <= EVIDENCE_CHARS else None


def _num(value: float | sp.Basic, digits: int = 3) -> str:
    """A number for inline math (see :func:`number_latex`), infinities and NaN included."""
    x = float(value)
    if math.isnan(x):
        return r"\mathrm{NaN}"
    if math.isinf(x):
        return r"\infty" if x > 0 else r"-\infty"
    return number_latex(x, digits)


def _where(at: tuple[tuple[sp.Symbol, sp.Basic], ...] | dict) -> str:
    """``$\\alpha = \\beta = 0.3$, $\\gamma = -1$``: parameters grouped by equal value."""
    groups: dict[str, list[str]] = {}
    for symbol, value in (at.items() if isinstance(at, dict) else at):
        groups.setdefault(_num(value, 6), []).append(_tex(symbol))
    return ", ".join(f"${' = '.join(names)} = {value}$" for value, names in groups.items())


def _quantity(name: str) -> str:
    return QUANTITY_LATEX.get(name, rf"\texttt{{{_escape(name)}}}")


# --- symbolic checks -------------------------------------------------------------------

def _is_zero(expr: sp.Expr) -> bool:
    attempts = (
        lambda e: e,
        lambda e: e.rewrite(exprel, sp.exp).rewrite(demand_exp, sp.exp) if e.has(exprel, demand_exp) else e,
        lambda e: sp.powsimp(sp.expand_power_base(e, force=True), force=True),
        lambda e: sp.powdenest(sp.expand_power_base(e, force=True), force=True),
        lambda e: sp.expand_log(e, force=True),
    )
    current = expr
    for attempt in attempts:
        current = sp.simplify(attempt(current))
        if current == 0:
            return True
    return False


def _identity(check: IdentityCheck) -> CheckResult:
    residual = check.lhs - check.rhs
    lhs, rhs = _short(check.lhs), _short(check.rhs)
    both = f"${lhs} = {rhs}$" if lhs and rhs else "the two sides"
    if _is_zero(residual):
        return _result(check, True, "simplify(lhs - rhs) = 0",
                       f"{both}: their difference simplifies to $0$ (SymPy)")
    left = sp.simplify(residual)
    shown = _short(left)
    return _result(check, False, f"residual does not simplify to 0: {sp.simplify(residual)}",
                   f"{both} differ: the difference simplifies to "
                   + (f"${shown}$" if shown else "a non-zero expression") + r", not $0$")


def _sign(check: SignCheck) -> CheckResult:
    expr = sp.simplify(check.expr.subs(dict(check.at)))
    sign = 1 if expr.is_positive else -1 if expr.is_negative else 0
    word = {1: "positive", -1: "negative", 0: "zero" if expr.is_zero else "undecided"}[sign]
    expected = "positive" if check.expected > 0 else "negative"
    shown = _short(expr)
    relation = {1: ">", -1: "<"}.get(sign, "=" if expr.is_zero else None)
    value = f"${shown} {relation} 0$" if shown and relation and not (
        relation == "=" and shown == "0") else (
        f"${shown}$ exactly" if shown == "0" else
        f"${shown}$ is {word}" if shown else f"the expression is {word}")
    # only the parameters the expression depends on
    used = {(s, v) for s, v in check.at if s in check.expr.free_symbols}
    at = tuple(pair for pair in check.at if pair in used)
    where = f" at {_where(at)}" if at else (
        " for all admissible parameters" if not check.at else "")
    return _result(check, sign == check.expected,
                   f"SymPy: {sp.sstr(expr)} is {word} (expected {expected})",
                   f"{check.subject + ': ' if check.subject else ''}{value}{where} "
                   f"(SymPy; expected {expected})")


def _theta(check: ThetaCheck) -> CheckResult:
    ratio = sp.simplify(sp.powsimp(sp.expand_power_base(check.derived / check.reported,
                                                         force=True), force=True))
    free = ratio.has(*check.variables)
    passed = not free and bool(ratio.is_positive)
    shown = _short(ratio)
    names = ", ".join(f"${_tex(v)}$" for v in check.variables)
    return _result(check, passed, f"derived / reported = {sp.sstr(ratio)}"
                   + ("" if passed else " (depends on the variables or is not positive)"),
                   "derived / reported $= " + (shown or r"\dots") + "$"
                   + (f", a positive constant free of {names}" if passed
                      else f", which depends on {names} or is not positive"))


# --- sampling ----------------------------------------------------------------------------

def _draw(box: Box, rng: np.random.Generator) -> dict[str, float]:
    values = {}
    for r in box.ranges:
        u = rng.uniform(float(r.lo), float(r.hi)) if r.hi != r.lo else float(r.lo)
        values[r.symbol.name] = 10.0**u if r.log else u
    return values


@dataclass(frozen=True)
class CapCase:
    """Which KKT case a draw of a box with caps sets up: ``cap`` (index into box.caps, -1:
    every cap absent) binding or slack, and the optimum with every cap absent."""

    cap: int
    binding: bool
    uncapped: LogOptimum


def _sample(box: Box, model: str = "paper") -> list[tuple[Parameters, object]]:
    """Draw box.samples parameter sets meeting box.condition, with their float solutions."""
    return [(params, located) for params, located, _ in _sample_cases(box, model)]


def _sample_cases(box: Box, model: str = "paper"
                  ) -> list[tuple[Parameters, LogOptimum, CapCase | None]]:
    """:func:`_sample` with the KKT case each draw sets up (None for a box without caps)."""
    cls = parameters_class(model)
    rng = np.random.default_rng(box.seed)
    accepted = []
    for _ in range(box.samples * _MAX_DRAWS_PER_SAMPLE):
        if len(accepted) == box.samples:
            break
        case = None
        try:
            draw = _draw(box, rng)
            if box.caps:
                draw, case = _with_caps(box, draw, rng, len(accepted), cls, model)
            params = cls(**draw)
        except ProfitoptError:
            continue
        if box.caps and case is None:
            continue  # the uncapped optimum is shutdown: no KKT case to set up
        located = _locate(params, model)
        wanted = {"any": True, "interior": located.regime == COMPUTE_BOUND,
                  "binding": located.regime == DATA_BOUND,
                  "producing": True}[box.condition]
        if wanted:
            accepted.append((params, located, case))
    if len(accepted) < box.samples:
        raise ValueError(f"only {len(accepted)} of {box.samples} draws met {box.condition!r}")
    return accepted


#: A cap bound that the model declares required, set where the cap is to stay slack.
_FAR_BOUND = 1e300


def _locate(params: Parameters, model: str) -> LogOptimum:
    """The float64 optimum's regime and x* = log n*: the kink solver, or for a smooth law
    the (log n, log d) solver (whose certificate fields the kink's do not apply to: nan)."""
    if is_smooth(model):
        regime, x, _, _ = smooth_locate(params)
        return LogOptimum(regime, x, math.nan, math.nan, math.nan, math.inf)
    return solve_log(params)


def _crosscheck_error(params: Parameters, located: LogOptimum, dps: int, model: str) -> float:
    """Relative difference in n* between the float64 optimum and the dps-digit one."""
    if is_smooth(model):
        try:
            return solve(params, dps).crosscheck_rel_error
        except VerificationFailed:
            return math.inf
    return refine(params, located, dps).rel_error_n


def _absent(cls, name: str) -> float | None:
    return None if cls.domain.optional[name] else _FAR_BOUND


def _with_caps(box: Box, draw: dict[str, float], rng: np.random.Generator, index: int, cls,
               model: str) -> tuple[dict[str, float], CapCase | None]:
    """The draw with its caps set for case ``index``: cycle (no cap; cap 0 binding, slack;
    cap 1 binding, slack; ...); the active bound is v* 10^(-+u) of the uncapped v*."""
    free = {**draw, **{c.bound.name: _absent(cls, c.bound.name) for c in box.caps}}
    uncapped = _locate(cls(**free), model)
    slot = index % (2 * len(box.caps) + 1)
    if uncapped.regime == SHUTDOWN:
        return free, None
    if slot == 0:
        return free, CapCase(-1, False, uncapped)
    cap = box.caps[(slot - 1) // 2]
    binding = slot % 2 == 1
    u = rng.uniform(float(cap.lo), float(cap.hi))
    n_star = math.exp(uncapped.x)
    if cap.variable.name == "n":
        value = n_star
    elif is_smooth(model):
        value = math.exp(smooth_locate(cls(**free))[2])
    else:
        params = cls(**free)
        value = float(problem(model).tokens.numpy(n_star, *params.natural()))
    bound = value * 10.0 ** (-u if binding else u)
    return {**free, cap.bound.name: bound}, CapCase((slot - 1) // 2, binding, uncapped)


def _numeric(check, box: Box, passed: bool, evidence: str, max_error: float | None,
             tolerance: float | None, dps: int | None = None, latex: str = "") -> CheckResult:
    return _result(check, passed, evidence, latex, max_error=max_error, tolerance=tolerance,
                   samples=box.samples, seed=box.seed, dps=dps)


def _spot(check: SpotCheck) -> CheckResult:
    args = tuple(sorted(check.lhs.free_symbols | check.rhs.free_symbols, key=lambda s: s.name))
    lhs, rhs = compile_kernel(check.lhs, args).numpy, compile_kernel(check.rhs, args).numpy
    rng = np.random.default_rng(check.box.seed)
    worst = 0.0
    for _ in range(check.box.samples):
        point = _draw(check.box, rng)
        values = [point[s.name] for s in args]
        want = float(rhs(*values))
        worst = max(worst, abs(float(lhs(*values)) / want - 1.0))
    return _numeric(check, check.box, worst <= check.rtol,
                    f"max relative difference {worst:.2e}", worst, check.rtol,
                    latex=f"largest relative difference of the float64 kernels of the two "
                          f"sides: ${_num(worst)}$")


def _solver(check: SolverCheck) -> CheckResult:
    kernel = compile_kernel(check.expected, PARAMETERS).numpy
    worst, regimes = -math.inf if check.relation == "le" else 0.0, set()
    for params, _ in _sample(check.box):
        solution = solve(params)
        regimes.add(solution.regime)
        ratio = getattr(solution, check.quantity) / float(kernel(*params.natural()))
        worst = max(worst, ratio - 1.0 if check.relation == "le" else abs(ratio - 1.0))
    passed = worst <= check.rtol and regimes == {check.regime}
    what = "max of x/bound - 1" if check.relation == "le" else "max relative difference"
    what_tex = (f"largest {_quantity(check.quantity)} / bound $- 1$" if check.relation == "le"
                else f"largest relative difference of the solver's {_quantity(check.quantity)}"
                     " from the closed form")
    return _numeric(check, check.box, passed, f"{what} {worst:.2e}; regimes {sorted(regimes)}",
                    worst, check.rtol,
                    latex=f"{what_tex}: ${_num(worst)}$; regimes "
                          f"found: {', '.join(sorted(regimes))}")


def _precision(check: PrecisionCheck, model: str = "paper") -> CheckResult:
    worst, regimes = 0.0, []
    for params, located in _sample(check.box, model):
        worst = max(worst, _crosscheck_error(params, located, check.dps, model))
        regimes.append(located.regime)
    found = ""
    if model != "paper" or check.box.caps:
        counts = {r: regimes.count(r) for r in sorted(set(regimes))}
        found = "; regimes found: " + ", ".join(f"{r} ({c})" for r, c in counts.items())
    return _numeric(check, check.box, worst <= check.rtol,
                    f"max relative difference in n* between float64 and {check.dps} digits: "
                    f"{worst:.2e}{found}", worst, check.rtol, check.dps,
                    latex=f"largest relative difference in $n^*$ between the float64 solver "
                          f"and the independent {check.dps}-digit optimum: ${_num(worst)}$"
                          + _escape(found))


def _off_kink(check: OffKinkCheck, model: str = "paper") -> CheckResult:
    objective = problem(model).objective.mpmath
    smallest = math.inf
    with mpmath.workdps(check.dps):
        eps = mpmath.mpf(check.eps.p) / check.eps.q
        for params, located in _sample(check.box, model):
            best = refine(params, located, check.dps)
            nat = [mpmath.mpf(v) for v in params.natural()]
            base = objective(best.n, best.d, best.t, *nat)
            for fn, fd in ((1 + eps, 1), (1 - eps, 1), (1, 1 + eps), (1, 1 - eps)):
                drop = (base - objective(best.n * fn, best.d * fd, best.t, *nat)) / abs(base)
                smallest = min(smallest, float(drop))
    return _numeric(check, check.box, smallest > 0,
                    f"smallest relative profit drop off the kink: {smallest:.3e} (must be > 0)",
                    None, 0.0, check.dps,
                    latex=f"smallest relative drop in profit when $n$ or $d$ moves off the kink "
                          f"by a factor $1 \\pm {_num(check.eps)}$: ${_num(smallest)} > 0$ "
                          "required")


def _concavity(check: ConcavityCheck) -> CheckResult:
    k = problem("paper")
    largest = -math.inf
    for params, located in _sample(check.box):
        top = float(k.peak.numpy(*params.log())) if 1 + params.alpha * params.gamma > 0 \
            else located.x + 10.0
        grid = np.linspace(located.margin_start, top, check.points_per_sample + 2)[1:-1]
        largest = max(largest, float(np.max(k.balance_curvature.numpy(grid, *params.log()))))
    return _numeric(check, check.box, largest < 0,
                    f"largest S''(x) on the sampled points: {largest:.3e} (must be < 0)",
                    None, 0.0,
                    latex=f"largest $S''(x)$ at {check.points_per_sample} points per parameter "
                          f"set: ${_num(largest)}$ ($< 0$ required)")


def _switch(check: SwitchCheck) -> CheckResult:
    threshold = compile_kernel(check.threshold, PARAMETERS).numpy
    eps = float(check.eps)
    seen, wrong, rng = 0, [], np.random.default_rng(check.box.seed)
    for _ in range(check.box.samples * _MAX_DRAWS_PER_SAMPLE):
        if seen == check.box.samples:
            break
        draw = _draw(check.box, rng)
        try:
            at = float(threshold(*Parameters(**draw).natural()))
            below = solve_log(Parameters(**{**draw, check.variable.name: at * (1 - eps)}))
            above = solve_log(Parameters(**{**draw, check.variable.name: at * (1 + eps)}))
        except (ProfitoptError, ValueError):
            continue
        if not math.isfinite(at) or "shutdown" in (below.regime, above.regime):
            continue
        seen += 1
        if (below.regime, above.regime) != (check.below, check.above):
            wrong.append(f"{check.variable.name}={at:.6g}: {below.regime} -> {above.regime}")
    passed = seen == check.box.samples and not wrong
    name = _tex(check.variable)
    return _numeric(check, check.box, passed,
                    f"{seen} thresholds crossed, {len(wrong)} mismatches"
                    + (f": {wrong[:3]}" if wrong else ""), float(len(wrong)), 0.0,
                    latex=f"at ${name} = {name}_{{\\mathrm{{bind}}}}(1 \\mp {_num(check.eps)})$ "
                          f"the solver's regime is {check.below} below and {check.above} "
                          f"above in {seen - len(wrong)} of {check.box.samples} parameter sets "
                          f"(seed {check.box.seed})")


def _elasticity(check: ElasticityCheck) -> CheckResult:
    """Central differences of the certified float64 optima, every draw in one vectorized solve.

    The solver's n* is within 2e-14 of the 50-digit optimum (bench), so a relative step
    of 1e-4 leaves the difference quotient good to about 1e-10.
    """
    kernel = compile_kernel(check.expected, PARAMETERS).numpy
    h = float(check.step)
    moved = (check.variable.name, *(s.name for s in check.together))
    draws = [params for params, _ in _sample(check.box)]
    points = [{**params.__dict__, **{k: getattr(params, k) * factor for k in moved}}
              for params in draws for factor in (1 + h, 1 - h)]
    columns = {name: np.array([math.inf if p[name] is None else float(p[name]) for p in points])
               for name in PARAMETERS_BY_NAME}
    found = solve_many(**columns)
    producing = found.regime_code != REGIMES.index(SHUTDOWN)
    certified = bool(np.all(found.certified & producing))
    quantity = np.log(getattr(found, check.quantity))
    worst, values = 0.0, []
    for index, params in enumerate(draws):
        numeric = (quantity[2 * index] - quantity[2 * index + 1]) \
            / (math.log1p(h) - math.log1p(-h))
        want = float(kernel(*params.natural()))
        worst = max(worst, abs(float(numeric) - want) / max(1.0, abs(want)))
        values.append(want)
    if not certified or not math.isfinite(worst):
        worst = math.inf
    variable = _tex(check.variable)
    if check.together:
        variable += r"\big|_{" + ", ".join(rf"{_tex(s)} \propto {_tex(check.variable)}"
                                           for s in check.together) + "}"
    spread = (f"${_num(min(values))}$ to ${_num(max(values))}$" if len(values) > 1
              else f"${_num(values[0])}$")
    return _numeric(check, check.box, worst <= check.rtol,
                    f"max relative difference of the numeric elasticity: {worst:.2e}",
                    worst, check.rtol,
                    latex=f"elasticity $\\partial\\log/\\partial\\log {variable}$ of the "
                          f"{_quantity(check.quantity)}: closed form {spread}; central "
                          f"difference of the certified float64 solver (relative step "
                          f"${_num(check.step)}$) "
                          f"differs by at most ${_num(worst)}$, relative to "
                          f"$\\max(1, |\\varepsilon|)$")


def _point(at: tuple[tuple[sp.Symbol, sp.Rational], ...]) -> dict[sp.Symbol, sp.Rational]:
    return dict(at)


def _exponent(check: ExponentCheck) -> CheckResult:
    point = _point(check.at)
    derived = sp.nsimplify(check.derived.subs(point))
    reported = sp.nsimplify(check.reported.subs(point))
    gap = abs(float(derived - reported))
    used = (check.derived.free_symbols | check.reported.free_symbols)
    where = ", ".join(f"{s} = {v}" for s, v in check.at if s in used) or "any parameters"
    logs = isinstance(check.derived, sp.log)
    what = "the logarithms of the exponents: " if logs else ""
    at = {s: v for s, v in check.at if s in used}
    return _result(check, gap <= float(check.tolerance),
                   f"derived {float(derived):.6g} vs {float(reported):.6g} at {where} "
                   f"(|difference| {gap:.3g}, tolerance {float(check.tolerance):g})",
                   f"compares {what}derived ${_num(float(derived), 6)}$ with "
                   f"${_num(float(reported), 6)}$"
                   + (f" at {_where(at)}" if at else "")
                   + f"; $|\\Delta| = {_num(gap)} "
                   + ("\\le" if gap <= float(check.tolerance) else ">")
                   + f" {_num(float(check.tolerance))}$",
                   max_error=gap, tolerance=float(check.tolerance))


def _local_exponent(check: LocalExponentCheck) -> CheckResult:
    point = {s.name: float(v) for s, v in check.at}
    params = Parameters(**{**point, check.wrt.name: 10.0 ** check.log10_values[0]})
    values = [10.0**v for v in check.log10_values]
    rows = local_exponents(params, check.quantity, check.wrt.name, values)
    symbolic_point = _point(check.at)
    k = float(check.exponent.subs(symbolic_point))
    m = float(check.log_power.subs(symbolic_point))
    expected = [law_exponent(k, m, r.x) for r in rows]
    residuals = [abs(r.exponent - want) if r.exponent is not None and want is not None
                 else math.inf for r, want in zip(rows, expected)]
    worst = max(residuals)
    table = "; ".join(f"1e{v}: {r.exponent:.6f}" if r.exponent is not None else f"1e{v}: -"
                      for v, r in zip(check.log10_values, rows))
    wrt = _tex(check.wrt)
    values_tex = ", ".join(f"${_num(r.exponent, 6)}$" if r.exponent is not None else "none"
                           for r in rows)
    points_tex = ", ".join(f"$10^{{{v}}}$" for v in check.log10_values)
    law = f"k = {_num(k, 6)}" + (f",\\ m = {_num(m, 6)}" if m else "")
    others = {s: v for s, v in check.at if s != check.wrt}
    return _result(check, worst <= float(check.tolerance),
                   f"local exponents d log {check.quantity}/d log {check.wrt} = {table}; "
                   f"law k + m/log {check.wrt} with k = {k:.6g}, m = {m:.6g}; max residual "
                   f"{worst:.2e}", 
                   f"50-digit local exponents $\\mathrm{{d}}\\log/\\mathrm{{d}}\\log {wrt}$ "
                   f"of the {_quantity(check.quantity)} at ${wrt} =$ {points_tex}: "
                   f"{values_tex}; law $k + m/\\log {wrt}$ with ${law}$; largest residual "
                   f"${_num(worst)}$; at {_where(others)}",
                   max_error=worst, tolerance=float(check.tolerance),
                   samples=len(rows), dps=50)


def _derivable(check: DerivableCheck) -> CheckResult:
    if check.error:
        return _result(check, False, f"not established: {check.error}",
                       "not established: SymPy could not derive it ("
                       + _escape(check.error) + ")")
    return _result(check, True, "derived by SymPy", "derived by SymPy")


def _cap_cases(check: CapCaseCheck, model: str) -> CheckResult:
    """Each draw's regime against the KKT case its caps set up (see CapCaseCheck)."""
    if not check.box.caps:
        raise ValueError("a cap-case check needs a box with caps")
    k = problem(model)
    regimes = {cap.bound.name: cap.regime for cap in model_named(model).caps}
    wrong: list[str] = []
    interior, slack, shut = 0, [0] * len(check.box.caps), [0] * len(check.box.caps)
    binding: list[list[float]] = [[] for _ in check.box.caps]
    for params, located, case in _sample_cases(check.box, model):
        if case.cap < 0 or not case.binding:
            ok = located.regime == COMPUTE_BOUND and abs(located.x - case.uncapped.x) <= 1e-9
            if case.cap < 0:
                interior += ok
            else:
                slack[case.cap] += ok
            if not ok:
                wrong.append(f"{'no cap' if case.cap < 0 else 'slack cap'}: {located.regime}")
            continue
        regime = regimes[check.box.caps[case.cap].bound.name]
        if is_smooth(model):
            # a smooth law's corner: the capped input at its bound, certified (gradient,
            # curvature and the multiplier's sign) by the (log n, log d) solver
            _, x, y, certified = smooth_locate(params)
            capped = x if check.box.caps[case.cap].variable.name == "n" else y
            bound = math.log(getattr(params, check.box.caps[case.cap].bound.name))
            if located.regime == regime and certified and abs(capped - bound) <= 1e-9 * max(
                    1.0, abs(bound)):
                binding[case.cap].append(1.0)
            elif located.regime == SHUTDOWN:
                shut[case.cap] += 1
            else:
                wrong.append(f"binding {regime}: solver {located.regime}, certified "
                             f"{certified}")
            continue
        index = list(k.cap_bounds).index(check.box.caps[case.cap].bound.name)
        corner_x = math.log(float(k.caps[index].numpy(*params.natural())))
        corner = refine(params, LogOptimum(regime, corner_x, math.nan, math.nan, math.nan,
                                           corner_x), check.dps)
        if located.regime == regime and corner.profit > 0 and corner.marginal_profit > 0 \
                and abs(located.x - corner_x) <= 1e-9 * max(1.0, abs(corner_x)):
            binding[case.cap].append(float(corner.marginal_profit / abs(corner.profit)))
        elif located.regime == SHUTDOWN and not corner.profit > 0:
            shut[case.cap] += 1
        else:
            wrong.append(f"binding {regime}: solver {located.regime}, corner profit "
                         f"{mpmath.nstr(corner.profit, 3)}, marginal "
                         f"{mpmath.nstr(corner.marginal_profit, 3)}")
    seen = all(binding[i] and slack[i] for i in range(len(check.box.caps)))
    passed = not wrong and seen
    names = [regimes[c.bound.name] for c in check.box.caps]
    plain = "; ".join(f"{name}: {len(b)} binding, {s} slack, {h} shutdown at the corner"
                      for name, b, s, h in zip(names, binding, slack, shut))
    typeset = "; ".join(
        f"cap on ${_tex(c.variable)}$ ({name}): {len(b)} draws binding at the corner with "
        + ((r"certified (multiplier $\geq 0$)" if is_smooth(model) else
            rf"$n \Pi'/|\Pi|$ from ${_num(min(b))}$ to ${_num(max(b))}$ $> 0$") if b
           else "none binding")
        + f", {s} slack at the uncapped optimum" + (f", {h} shut down" if h else "")
        for c, name, b, s, h in zip(check.box.caps, names, binding, slack, shut))
    return _numeric(check, check.box, passed,
                    f"{interior} draws without caps interior; {plain}; {len(wrong)} mismatches"
                    + (f": {wrong[:3]}" if wrong else "")
                    + ("" if seen else "; not every cap was seen binding and slack"),
                    float(len(wrong)), 0.0, check.dps,
                    latex=f"{interior} draws without caps at the interior optimum; {typeset}; "
                          f"{len(wrong)} draws in another regime than their KKT case"
                          + ("" if seen else "; not every cap was seen both binding and slack"))


# --- elasticity of substitution along isoquants ------------------------------------------------

#: n and d as the scaling laws write them.
_N, _D = sp.Symbol("n", positive=True), sp.Symbol("d", positive=True)


def _isoquant_draw(check: IsoquantCheck, rng: np.random.Generator, dps: int
                   ) -> dict[str, mpmath.mpf]:
    """One point at ``dps`` digits: a fixed range gives its exact rational, a log range
    10^u, u uniform (a float, read exactly)."""
    point = {}
    for r in check.ranges:
        if r.lo == r.hi:
            point[r.symbol.name] = mpmath.mpf(r.lo.p) / r.lo.q
            continue
        u = mpmath.mpf(rng.uniform(float(r.lo), float(r.hi)))
        point[r.symbol.name] = mpmath.mpf(10) ** u if r.log else u
    return point


def _isoquant_tokens(q, q_d, n, y, target, rest, dps: int) -> mpmath.mpf:
    """log d' with q(n, d') = target: Newton's method in y = log d (step log(q/target) over
    d q_d / q), until a step is below 10^-dps relative to max(1, |y|)."""
    for _ in range(200):
        tokens = mpmath.exp(y)
        value = q(n, tokens, *rest)
        step = mpmath.log(value / target) / (tokens * q_d(n, tokens, *rest) / value)
        y -= step
        if abs(step) <= mpmath.mpf(10) ** (-dps) * max(1, abs(y)):
            return y
    raise ArithmeticError("Newton's method did not converge along the isoquant")


def _isoquant(check: IsoquantCheck) -> CheckResult:
    """Central difference of log(d/n) against log(q_n/q_d) along the isoquant (see
    :class:`IsoquantCheck`), at ``dps`` digits plus 10 guard digits for the root."""
    drawn = {r.symbol.name for r in check.ranges}
    free = check.quality.free_symbols | check.sigma.free_symbols \
        | (check.tokens.free_symbols if check.tokens is not None else set())
    params = tuple(sorted(free - {_N, _D}, key=lambda s: s.name))
    needed = {s.name for s in params} | {"n"} | ({"d"} if check.tokens is None else set())
    if needed - drawn:
        raise ValueError(f"no sampling range for {sorted(needed - drawn)}")
    args = (_N, _D, *params)
    q = compile_kernel(check.quality, args).mpmath
    q_n = compile_kernel(sp.diff(check.quality, _N), args).mpmath
    q_d = compile_kernel(sp.diff(check.quality, _D), args).mpmath
    sigma = compile_kernel(check.sigma, args).mpmath
    path = compile_kernel(check.tokens, (_N, *params)).mpmath if check.tokens is not None \
        else None
    rng = np.random.default_rng(check.seed)
    worst, values = 0.0, []
    with mpmath.workdps(check.dps + 10):
        h = mpmath.mpf(check.step.p) / check.step.q
        for _ in range(check.samples):
            point = _isoquant_draw(check, rng, check.dps)
            rest = [point[s.name] for s in params]
            n = point["n"]
            tokens = path(n, *rest) if path is not None else point["d"]
            target = q(n, tokens, *rest)
            x, y = mpmath.log(n), mpmath.log(tokens)
            slope = -n * q_n(n, tokens, *rest) / (tokens * q_d(n, tokens, *rest))
            ends = []
            for sign in (1, -1):
                moved = mpmath.exp(x + sign * h)
                y_moved = _isoquant_tokens(q, q_d, moved, y + sign * h * slope, target, rest,
                                           check.dps)
                d_moved = mpmath.exp(y_moved)
                ends.append((y_moved - (x + sign * h),
                             mpmath.log(q_n(moved, d_moved, *rest) / q_d(moved, d_moved, *rest))))
            numeric = (ends[0][0] - ends[1][0]) / (ends[0][1] - ends[1][1])
            closed = sigma(n, tokens, *rest)
            worst = max(worst, float(abs(numeric - closed)))
            values.append(float(closed))
    tolerance = float(check.tolerance)
    passed = worst <= tolerance
    on = " on the path $d = d(n)$" if check.tokens is not None else ""
    spread = (f"${_num(min(values), 6)}$ to ${_num(max(values), 6)}$" if len(values) > 1
              else f"${_num(values[0], 6)}$")
    return _result(check, passed,
                   f"largest |numeric - closed form| {worst:.2e} at {check.samples} points "
                   f"(tolerance {tolerance:g}); closed form {min(values):.6g} to "
                   f"{max(values):.6g}; step {float(check.step):g}, {check.dps} digits",
                   f"central difference of $\\log(d/n)$ against $\\log(q_n/q_d)$ along the "
                   f"isoquant through {check.samples} points{on} ($n' = n e^{{\\pm h}}$, "
                   f"$h = {_num(check.step)}$, $d'$ solved at {check.dps} digits): closed "
                   f"form {spread}, largest difference ${_num(worst)} "
                   + ("\\le" if passed else ">") + f" {_num(tolerance)}$",
                   max_error=worst, tolerance=tolerance, samples=check.samples,
                   seed=check.seed, dps=check.dps)




# --- the over-training records: an independent 50-digit optimum of the CES problem -------




def _ces_value(value: sp.Basic) -> _Fraction | float:
    """An exact Fraction for a SymPy rational, a float otherwise."""
    value = sp.nsimplify(value) if not isinstance(value, sp.Basic) else value
    if value.is_Rational:
        return _Fraction(int(value.p), int(value.q))
    return float(value)


def _ces_draws(box: Box, dps: int) -> list[tuple[dict, "_ces.Optimum"]]:
    """``box.samples`` seeded draws with a producing optimum: a range with lo = hi is the
    exact rational, others uniform (in log10 if ``log``); shutdown draws are drawn again."""
    rng = np.random.default_rng(box.seed)
    accepted = []
    for _ in range(box.samples * _MAX_DRAWS_PER_SAMPLE):
        if len(accepted) == box.samples:
            break
        values = {}
        for r in box.ranges:
            if r.lo == r.hi:
                exact = _ces_value(r.lo)
                values[r.symbol.name] = _Fraction(10) ** exact if r.log else exact
            else:
                u = rng.uniform(float(r.lo), float(r.hi))
                values[r.symbol.name] = 10.0**u if r.log else u
        try:
            found = _ces.solve_optimum(_ces.CesMarket(**values), dps)
        except _ces.NoOptimum:
            continue
        accepted.append((values, found))
    if len(accepted) < box.samples:
        raise ValueError(f"only {len(accepted)} of {box.samples} draws have a producing "
                         "optimum")
    return accepted


def _optimum_relation(check: OptimumRelationCheck) -> CheckResult:
    args = tuple(sorted(check.lhs.free_symbols | check.rhs.free_symbols, key=lambda s: s.name))
    lhs, rhs = compile_kernel(check.lhs, args).mpmath, compile_kernel(check.rhs, args).mpmath
    worst, ratios = 0.0, []
    with mpmath.workdps(check.dps):
        for values, found in _ces_draws(check.box, check.dps):
            point = {"n": found.n, "d": found.d, "t": found.t, "q": found.q, "r": 1,
                     **values}
            numbers = [_ces.to_mpf(point[s.name]) for s in args]
            worst = max(worst, float(abs(lhs(*numbers) / rhs(*numbers) - 1)))
            ratios.append(float(found.t / (3 * found.d)))
    spread = f"${_num(min(ratios))}$ to ${_num(max(ratios))}$"
    return _numeric(check, check.box, worst <= check.rtol,
                    f"max relative residual of the relation at the {check.dps}-digit optima: "
                    f"{worst:.2e}; t*/(3d*) from {min(ratios):.3g} to {max(ratios):.3g}",
                    worst, check.rtol, check.dps,
                    latex=f"largest relative residual of the relation at the independent "
                          f"{check.dps}-digit optima (first-order conditions of the full "
                          f"objective): ${_num(worst)}$; $t^*/(3d^*)$ from {spread}")


def _frontier_optimum(check: FrontierOptimumCheck) -> CheckResult:
    worst = 0.0
    with mpmath.workdps(check.dps):
        for values, found in _ces_draws(check.box, check.dps):
            n_f, d_f = _ces.solve_frontier(_ces.CesMarket(**values), found.q, found.t,
                                           check.dps)
            worst = max(worst, float(abs(n_f / found.n - 1)), float(abs(d_f / found.d - 1)))
    return _numeric(check, check.box, worst <= check.rtol,
                    f"max relative difference of the frontier's (n, d) at (q*, t*) from the "
                    f"profit optimum's: {worst:.2e}", worst, check.rtol, check.dps,
                    latex=f"largest relative difference between the frontier's $(n, d)$ at "
                          f"$q = q^*$, $T = t^*$ and the profit optimum $(n^*, d^*)$, both at "
                          f"{check.dps} digits: ${_num(worst)}$")


def _smooth_exponents(check) -> tuple[list[float], list[tuple[int, float]]]:
    """(local exponents, [(log10 sweep, sweep value)]) for either smooth exponent check."""
    fixed = {s.name: _ces_value(v) for s, v in check.at}
    rows = []
    for v in check.log10_values:
        market = _ces.CesMarket(**{**fixed, check.sweep.name: _Fraction(10) ** v})
        value = _ces.local_exponent(market, check.quantity, check.wrt.name, check.dps)
        rows.append(float(value))
    return rows, [(v, 10.0**v) for v in check.log10_values]


def _smooth_exponent(check: SmoothExponentCheck) -> CheckResult:
    values, points = _smooth_exponents(check)
    at = _point(check.at)
    k, m = float(check.exponent.subs(at)), float(check.log_power.subs(at))
    residuals = [abs(value - law_exponent(k, m, x)) for value, (_, x) in zip(values, points)]
    worst = max(residuals)
    sweep, wrt = _tex(check.sweep), _tex(check.wrt)
    table = ", ".join(f"${_num(v, 6)}$" for v in values)
    where = ", ".join(f"$10^{{{p}}}$" for p, _ in points)
    law = f"k = {_num(k, 6)}" + (f",\\ m = {_num(m, 6)}" if m else "")
    return _result(check, worst <= float(check.tolerance),
                   f"local exponents d log {check.quantity}/d log {check.wrt} at {check.sweep} "
                   f"= 10^{list(check.log10_values)}: {[f'{v:.6f}' for v in values]}; law "
                   f"k + m/log {check.sweep}, k = {k:.6g}, m = {m:.6g}; max residual "
                   f"{worst:.2e}",
                   f"{check.dps}-digit local exponents $\\mathrm{{d}}\\log/\\mathrm{{d}}\\log "
                   f"{wrt}$ of the {_quantity(check.quantity)} at ${sweep} =$ {where}: {table}; "
                   f"law $k + m/\\log {sweep}$ with ${law}$; largest residual ${_num(worst)}$",
                   max_error=worst, tolerance=float(check.tolerance), samples=len(values),
                   dps=check.dps)


def _smooth_exponent_range(check: SmoothExponentRangeCheck) -> CheckResult:
    values, points = _smooth_exponents(check)
    lo, hi = float(check.lo), float(check.hi)
    outside = [(p, v) for v, (p, _) in zip(values, points) if not lo <= v <= hi]
    sweep, wrt = _tex(check.sweep), _tex(check.wrt)
    table = ", ".join(f"${_num(v, 4)}$ at ${sweep} = 10^{{{p}}}$"
                      for v, (p, _) in zip(values, points))
    bounds = f"$[{_tex(check.lo)}, {_tex(check.hi)}]$"
    return _result(check, not outside,
                   f"local exponents d log {check.quantity}/d log {check.wrt}: "
                   f"{[f'{v:.4f}' for v in values]} at {check.sweep} = 10^"
                   f"{list(check.log10_values)}; required in [{check.lo}, {check.hi}]; "
                   f"{len(outside)} outside",
                   f"{check.dps}-digit local exponents $\\mathrm{{d}}\\log/\\mathrm{{d}}\\log "
                   f"{wrt}$ of the {_quantity(check.quantity)}: {table}; required in {bounds}; "
                   f"{len(outside)} outside", samples=len(values), dps=check.dps)


#: Matching candidates a NumberCheck's evidence lists by name.
SHOWN = 8


def _number(check: NumberCheck) -> CheckResult:
    """Which candidates regenerate the reported number (within the tolerance)."""
    reported = float(check.reported)
    values = [(label, float(sp.N(expr, check.dps))) for label, expr in check.candidates]
    gaps = [(abs(value - reported), label, value) for label, value in values]
    matches = [(label, value) for gap, label, value in gaps if gap <= float(check.tolerance)]
    gap, closest_label, closest = min(gaps, key=lambda item: item[0])
    bound = f"$|\\Delta| \\le {_num(check.tolerance)}$"
    if matches:
        shown = "; ".join(f"{label} (${_num(value, 6)}$)" for label, value in matches[:SHOWN])
        more = f"; and {len(matches) - SHOWN} more" if len(matches) > SHOWN else ""
        latex = (f"{len(matches)} of {len(values)} stated mappings give "
                 f"${_num(reported, 6)}$ to {bound}: {shown}{more}")
        plain = (f"{len(matches)} of {len(values)} mappings within {float(check.tolerance):g} "
                 f"of {reported:g}; closest {closest:.6g}")
    else:
        latex = (f"none of {len(values)} stated mappings gives ${_num(reported, 6)}$ to "
                 f"{bound}; the closest is {closest_label}: ${_num(closest, 6)}$ "
                 f"($|\\Delta| = {_num(gap)}$)")
        plain = (f"none of {len(values)} mappings within {float(check.tolerance):g} of "
                 f"{reported:g}; closest {closest:.6g} (|difference| {gap:.3g})")
    return _result(check, bool(matches), plain, latex, max_error=gap,
                   tolerance=float(check.tolerance), samples=len(values), dps=check.dps)


def _yearly_growth(check: YearlyGrowthCheck) -> CheckResult:
    """One year of growth of the dps-digit optimum, against the closed-form factor."""
    start = {s.name: float(v) for s, v in check.at}
    moved = {**start, **{s.name: start[s.name] * float(f) for s, f in check.growth}}
    values = []
    for point in (start, moved):
        params = Parameters(**point)
        optimum = refine(params, solve_log(params), check.dps)
        values.append(getattr(optimum, check.quantity))
    with mpmath.workdps(check.dps):
        measured = values[1] / values[0]
        error = float(abs(measured / mpmath.mpf(str(sp.N(check.expected, check.dps))) - 1))
    expected = float(sp.N(check.expected))
    passed = error <= check.rtol
    return _result(check, passed,
                   f"{check.dps}-digit optimum: {check.quantity} grows {float(measured):.6g}x in "
                   f"a year vs {expected:.6g}x (relative error {error:.2e}, tolerance "
                   f"{check.rtol:g})",
                   f"{check.dps}-digit optima one year apart: the "
                   f"{_quantity(check.quantity)} grows ${_num(float(measured), 6)}$-fold "
                   f"against ${_num(expected, 6)}$ from the law; relative error "
                   f"${_num(error)} " + ("\\le" if passed else ">")
                   + f" {_num(check.rtol)}$, at {_where(check.at)}",
                   max_error=error, tolerance=check.rtol, samples=2, dps=check.dps)


#: Checks that run the model's own compiled problem: they take the record's model name.
MODEL_AWARE = frozenset({PrecisionCheck, OffKinkCheck, CapCaseCheck})
#: Checks written for the paper's closed forms and kernels: refused for any other model.
PAPER_ONLY = frozenset({SolverCheck, ConcavityCheck, SwitchCheck, ElasticityCheck,
                        LocalExponentCheck, YearlyGrowthCheck})

_HANDLERS = {
    IdentityCheck: _identity,
    SignCheck: _sign,
    ThetaCheck: _theta,
    SpotCheck: _spot,
    SolverCheck: _solver,
    PrecisionCheck: _precision,
    OffKinkCheck: _off_kink,
    ConcavityCheck: _concavity,
    SwitchCheck: _switch,
    ElasticityCheck: _elasticity,
    ExponentCheck: _exponent,
    LocalExponentCheck: _local_exponent,
    CapCaseCheck: _cap_cases,
    DerivableCheck: _derivable,
    IsoquantCheck: _isoquant,
    OptimumRelationCheck: _optimum_relation,
    FrontierOptimumCheck: _frontier_optimum,
    SmoothExponentCheck: _smooth_exponent,
    SmoothExponentRangeCheck: _smooth_exponent_range,
    NumberCheck: _number,
    YearlyGrowthCheck: _yearly_growth,
}
