"""The vectorized solver for any model whose reduction is the kink (a compiled Problem).

The paper's :func:`profitopt.numeric.vectorized.solve_many` starts Newton from the
paper's own asymptotic laws.  Every other step of its pipeline takes the model's
kernels as an argument, and the structure it relies on holds for every kink model
(:func:`profitopt.symbolic.optimality.check_kink_reduction`): the optimum x* = log n* is
the right root of the balance S(x), strictly concave on (x_0, x_peak), and each cap is
a cap x <= log n_V on the kink (its KKT case).  Here the same stages run on the kernels
of ``problem(model)``:

1. the nearest cap decides the points it can alone (:func:`.batch_cap.decide_by_cap`);
2. bracketed Newton (:func:`.newton.first_step`, :func:`.newton.newton_pass`) from the
   inference-dominated estimate x_peak - u_0 (the model's ``peak_log_room``), or from
   the offsets below x_peak (:func:`.batch_start.start_right_of_root`);
3. the cap against x*;
4. the scalar solver for points without a finite x_peak and those left unresolved;
5. one extended-precision Newton step for far-out roots;
6. outputs: the fused log outputs, then the model's FLOP counts and cost terms from
   (n, d, t) at the optimum.

The result keeps the model's output fields (:attr:`ModelKernels.output_fields`) and its
regimes (compute-bound, each cap's, shutdown, out-of-range, invalid).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from .batch_assembly import LOG_DOUBLE_MAX
from .batch_cap import decide_by_cap
from .batch_certificate import sign_change
from .batch_columns import compact, subset
from .batch_iteration import bracketed_newton
from .batch_polish import POLISH_ABOVE, POLISH_STEP
from .batch_start import overflows_at_start
from .caps import nearest_caps
from .kernels import ModelKernels, problem
from .memory import keep_freed_memory
from .parameters import parameters_class
from .solver import COMPUTE_BOUND, SHUTDOWN, solve_log

CHUNK = 1 << 15
OUT_OF_RANGE = "out-of-range"
INVALID = "invalid"
FLAGS = ("margin_positive", "sign_change", "converged")


def regimes_of(k: ModelKernels) -> tuple[str, ...]:
    """The model's regimes, by code: compute-bound, each cap's (declared order, once),
    shutdown, out-of-range, invalid (the paper: vectorized.REGIMES)."""
    caps = tuple(dict.fromkeys(k.cap_regimes))
    return (COMPUTE_BOUND, *caps, SHUTDOWN, OUT_OF_RANGE, INVALID)


@dataclass(frozen=True)
class ModelSolutions:
    """Arrays of optima of one model (one entry per point) and their certificates.

    ``outputs`` maps each of the model's output fields to its array (also readable as an
    attribute: ``solutions.data_cost``); ``regimes``/``reasons`` name the codes.
    """

    model: str
    regimes: tuple[str, ...]
    reasons: tuple[str, ...]
    x: np.ndarray
    outputs: dict[str, np.ndarray]
    regime_code: np.ndarray
    margin_positive: np.ndarray  # certificate: t* > 0
    sign_change: np.ndarray      # certificate: S > 0 left of x*, < 0 right (interior)
    converged: np.ndarray        # Newton converged (or the answer needs no iteration)
    reason_code: np.ndarray      # index into reasons (0: inside the domain)

    def __getattr__(self, name: str) -> np.ndarray:
        if name == "outputs" or name.startswith("__"):
            raise AttributeError(name)
        try:
            return self.outputs[name]
        except KeyError:
            raise AttributeError(f"{self.model} solutions have no output {name!r}") from None

    @property
    def regime(self) -> np.ndarray:
        """Regime names per point."""
        return np.asarray(self.regimes, dtype=object)[self.regime_code]

    @property
    def reason(self) -> np.ndarray:
        """Why each invalid point lies outside the domain ("" for the others)."""
        return np.asarray(self.reasons, dtype=object)[self.reason_code]

    @property
    def certified(self) -> np.ndarray:
        """Shutdown points; producing ones with t* > 0 that are a cap's corner or an
        interior root where S changes sign and Newton converged."""
        code = {name: i for i, name in enumerate(self.regimes)}
        interior = self.regime_code == code[COMPUTE_BOUND]
        shutdown = self.regime_code == code[SHUTDOWN]
        corner = (self.regime_code > code[COMPUTE_BOUND]) & (self.regime_code < code[SHUTDOWN])
        return shutdown | (self.margin_positive & (corner | (interior & self.sign_change
                                                              & self.converged)))


def model_columns(model: str, **parameters: object) -> dict[str, np.ndarray]:
    """The model's parameters broadcast together and flattened, one column per declared
    name (an absent optional one is +inf: its cap is off); InputError naming an unknown
    or missing parameter."""
    specs = problem(model).specs
    names = [spec.name for spec in specs]
    unknown = sorted(set(parameters) - set(names))
    if unknown:
        raise InputError(f"unknown parameters of the model {model!r}: {', '.join(unknown)} "
                         f"(its parameters: {', '.join(names)})")
    for spec in specs:
        if spec.name not in parameters:
            if not spec.optional:
                raise InputError(f"{spec.name} is needed by the model {model!r}")
            parameters[spec.name] = np.inf
    arrays = np.broadcast_arrays(*(np.asarray(parameters[name], dtype=float)
                                   for name in names))
    return {name: array.reshape(-1) for name, array in zip(names, arrays)}


def _log_columns(k: ModelKernels, c: dict[str, np.ndarray], log=np.log) -> tuple:
    """The model's kernel coordinates: logs of the scales, the rest as they are; constant
    columns as one number."""
    with np.errstate(divide="ignore"):
        return tuple(log(compact(c[spec.name])) if spec.logarithmic else compact(c[spec.name])
                     for spec in k.specs)


def solve_model(model: str, progress=None, *, mark_invalid: bool = False,
                **parameters: object) -> ModelSolutions:
    """Profit-optimal (n, d, t) of ``model`` for arrays of its parameters (broadcast
    together; optional ones may be absent).

    A point outside the model's Domain raises InputError, or with ``mark_invalid`` gets
    the regime ``invalid``, nan outputs and its reason.  ``progress(done, total, label)``
    is called after every chunk of CHUNK points.
    """
    k = problem(model)
    domain = parameters_class(model).domain
    columns = model_columns(model, **parameters)
    size = next(iter(columns.values())).size
    codes = np.broadcast_to(domain.reason_codes(
        {name: compact(column) for name, column in columns.items()}), (size,))
    if codes.any() and not mark_invalid:
        i = int(np.flatnonzero(codes)[0])
        point = ", ".join(f"{name} = {float(columns[name][i])!r}" for name in columns
                          if np.isfinite(columns[name][i]))
        raise InputError(f"{np.count_nonzero(codes)} of {size} points lie outside the "
                         f"domain, e.g. {domain.reasons[codes[i]]} at {point}")
    regimes = regimes_of(k)
    result = ModelSolutions(
        model, regimes, domain.reasons, np.full(size, np.nan),
        {name: np.full(size, np.nan) for name in k.output_fields},
        np.full(size, regimes.index(INVALID), dtype=np.int8), np.zeros(size, dtype=bool),
        np.zeros(size, dtype=bool), np.zeros(size, dtype=bool), codes.astype(np.int8))
    valid = np.flatnonzero(codes == 0)
    keep_freed_memory()
    for start in range(0, valid.size, CHUNK):
        points = valid[start:start + CHUNK]
        _solve_chunk(k, regimes, {name: column[points] for name, column in columns.items()},
                     result, points)
        if progress:
            progress(min(start + CHUNK, valid.size), valid.size, "solving")
    return result


def _solve_chunk(k: ModelKernels, regimes: tuple[str, ...], c: dict[str, np.ndarray],
                 result: ModelSolutions, points: np.ndarray) -> None:
    """The stages on one chunk of valid points (columns ``c``), written into ``result``
    at ``points``."""
    code = {name: i for i, name in enumerate(regimes)}
    cap_code = np.array([code[name] for name in k.cap_regimes], dtype=np.int8)
    lp = _log_columns(k, c)
    size = points.size
    with np.errstate(all="ignore"):
        finite_peak = np.broadcast_to(k.peak_rate.numpy(*lp) > 0.0, (size,))
        peak = np.where(finite_peak, k.peak.numpy(*lp), np.inf)
        cap, which = nearest_caps(k, lp, size)
        corner, closed = decide_by_cap(k, lp, peak, cap, finite_peak)
        active = finite_peak & ~corner & ~closed
        x, converged, found, first_value, unresolved, evaluated = bracketed_newton(
            k, lp, peak, active, c, guesses=_first_guesses)
        regime = np.where(found, code[COMPUTE_BOUND], code[SHUTDOWN]).astype(np.int8)
        regime[corner], x[corner], converged[corner] = cap_code[which[corner]], cap[corner], True
        overflow = overflows_at_start(k, lp, peak, active, first_value)
        # the nearest cap left of an interior root: its corner where S > 0 with a positive
        # margin there (x_V between S's roots), else no profitable choice
        capped = np.flatnonzero(found & (cap < x))
        if capped.size:
            at, sub = cap[capped], subset(lp, capped)
            bind = (k.balance.numpy(at, *sub) > 0.0) & (k.margin_sign.numpy(at, *sub) > 0.0)
            regime[capped] = np.where(bind, cap_code[which[capped]], code[SHUTDOWN])
            x[capped] = np.where(bind, at, x[capped])
        regime = np.where(overflow, code[OUT_OF_RANGE], regime).astype(np.int8)
    scalar = np.flatnonzero(~finite_peak | (unresolved & ~overflow))
    _solve_scalar(k, code, c, scalar, x, regime, converged)
    interior = regime == code[COMPUTE_BOUND]
    from_scalar = np.zeros(size, dtype=bool)
    from_scalar[scalar] = True
    far = np.flatnonzero(interior & ((np.abs(x) > POLISH_ABOVE) | from_scalar))
    if far.size:
        x[far] = _polish(k, c, x[far], peak[far], far)
    _assemble(k, code, lp, c, x, peak, which, regime, converged, evaluated, result, points)


def _first_guesses(k: ModelKernels, lp: tuple, peak: np.ndarray, active: np.ndarray
                   ) -> np.ndarray:
    """x_peak - u_0, the root of S's leading term near x_peak (log u_0 from the model's
    ``peak_log_room``); nan for inactive points."""
    guess = np.full(peak.size, np.nan)
    points = np.flatnonzero(active)
    if points.size:
        room = np.broadcast_to(k.peak_log_room.numpy(*subset(lp, points)), points.shape)
        guess[points] = peak[points] - np.exp(room)
    return guess


def _solve_scalar(k: ModelKernels, code: dict[str, int], c: dict[str, np.ndarray],
                  points: np.ndarray, x: np.ndarray, regime: np.ndarray,
                  converged: np.ndarray) -> None:
    """The scalar solver (:func:`.solver.solve_log`) at ``points``, in place."""
    cls = parameters_class(k.name)
    for i in points:
        values = {spec.name: None if spec.optional and np.isinf(c[spec.name][i])
                  else float(c[spec.name][i]) for spec in k.specs}
        try:
            located = solve_log(cls(**values))
        except InputError:
            regime[i], x[i], converged[i] = code[OUT_OF_RANGE], np.nan, False
            continue
        regime[i], x[i], converged[i] = code[located.regime], located.x, True


def _polish(k: ModelKernels, c: dict[str, np.ndarray], x: np.ndarray, peak: np.ndarray,
            points: np.ndarray) -> np.ndarray:
    """One Newton step on S in numpy's longdouble (:func:`.batch_polish.polish_extended`
    in the model's coordinates)."""
    wide = np.longdouble
    with np.errstate(all="ignore"):
        logs = tuple(np.log(c[spec.name][points].astype(wide)) if spec.logarithmic
                     else c[spec.name][points].astype(wide) for spec in k.specs)
        s, ds = k.balance_and_slope(x.astype(wide), *logs)
        polished = (x - s / ds).astype(float)
    keep = ~(np.abs(polished - x) <= POLISH_STEP * np.abs(x)) | ~(polished < peak)
    return np.where(keep, x, polished)


def _assemble(k: ModelKernels, code: dict[str, int], lp: tuple, c: dict[str, np.ndarray],
              x: np.ndarray, peak: np.ndarray, which: np.ndarray, regime: np.ndarray,
              converged: np.ndarray, evaluated, result: ModelSolutions,
              points: np.ndarray) -> None:
    """Outputs, regimes and certificates of a solved chunk, written into ``result`` at
    ``points``: (n, d, t, q, profit) from the fused log kernel (profit = revenue net of
    serving - the fixed costs), the capped input exactly at its bound on a corner, then
    each FLOP count and cost term of the model from (n, d, t)."""
    corner_codes = [code[name] for name in dict.fromkeys(k.cap_regimes)]
    producing = (regime == code[COMPUTE_BOUND]) | np.isin(regime, corner_codes)
    too_large = producing & (x > LOG_DOUBLE_MAX)
    regime[too_large] = code[OUT_OF_RANGE]
    producing &= ~too_large
    idx = np.flatnonzero(producing)
    sub = subset(lp, idx)
    xi = x[idx]
    values: dict[str, np.ndarray] = {}
    with np.errstate(all="ignore"):
        (log_tokens, log_served, log_fixed, _, _, log_quality, log_revenue_net, margin_sign,
         profit_sign) = (np.broadcast_to(v, xi.shape) for v in k.outputs(xi, *sub))
        live = profit_sign > 0.0
        regime[idx[~live]] = code[SHUTDOWN]
        values["n"], values["d"] = np.exp(xi), np.exp(log_tokens)
        for j, (variable, bound) in enumerate(zip(k.cap_variables, k.cap_bounds)):
            at = np.flatnonzero(regime[idx] == code[k.cap_regimes[j]])
            at = at[which[idx[at]] == j]
            if at.size:
                values[variable][at] = c[bound][idx[at]]
        values["t"], values["q"] = np.exp(log_served), np.exp(log_quality)
        values["profit"] = np.exp(log_revenue_net) - np.exp(log_fixed)
        natural = tuple(compact(c[spec.name][idx]) for spec in k.specs)
        full = (values["n"], values["d"], values["t"], *natural)
        for name, kernel in (*zip(k.flops_fields, k.flops), *zip(k.cost_fields, k.costs)):
            values[name] = np.broadcast_to(kernel.numpy(*full), xi.shape).astype(float)
        changes = sign_change(k, sub, xi, peak[idx], *(np.asarray(end)[idx]
                                                      for end in evaluated),
                              live)
        finite = np.isfinite(sum(values.values())) if values else np.ones(0, dtype=bool)
    regime[idx[live & ~finite]] = code[OUT_OF_RANGE]
    live &= finite
    produced = np.zeros(x.size, dtype=bool)
    produced[idx] = live
    fill = np.where(regime == code[OUT_OF_RANGE], np.nan, 0.0)
    for name, array in result.outputs.items():
        column = fill.copy()
        column[idx[live]] = values[name][live]
        array[points] = column
    result.x[points] = np.where(produced, x, np.nan)
    result.regime_code[points] = regime
    margin = np.zeros(x.size, dtype=bool)
    margin[idx] = live & (margin_sign > 0.0)
    result.margin_positive[points] = margin
    certificate = np.zeros(x.size, dtype=bool)
    certificate[idx] = changes & live
    result.sign_change[points] = certificate
    result.converged[points] = converged | ~produced


def prepare_model(model: str) -> None:
    """Build ``model``'s kernels and the compiled Newton loops now (a solve of a few points
    at its parameters' defaults or the paper's worked example), rather than inside the
    first call of :func:`solve_model`."""
    k = problem(model)
    example = {"alpha": 0.3, "beta": 0.3, "gamma": np.array([-0.5, 0.0, 0.5]), "a": 10.0,
               "b": 10.0, "omega": 1.0, "delta": 1e-12, "E": np.array([[1e10], [1e30]])}
    values = {}
    for spec in k.specs:
        if spec.default is not None:
            values[spec.name] = spec.default
        elif spec.name in example:
            values[spec.name] = example[spec.name]
        elif not spec.optional:
            values[spec.name] = 1.0 if spec.domain != "real" else 0.0
    solve_model(model, mark_invalid=True, **values)
