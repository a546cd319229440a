"""The public API: ``solve``, ``solve_many``, ``exponents``, ``derivations``, ``reproduce``.

Each function wraps the toolkit's own machinery (the 50-digit-checked solver,
the vectorized solver, the exponent report, ``verify`` over the registry, the
appendix build) and returns a frozen value that shows itself in Jupyter.

Why ``_repr_html_``/``_repr_latex_`` methods on wrapper values rather than
IPython formatter registration: the methods are part of the value, so they
work in every frontend that follows IPython's display protocol (JupyterLab,
the classic notebook, VS Code, nbconvert) without importing IPython or
registering anything as a side effect of ``import profitopt``; and because
the wrappers live here, the record and solver types in ``derivations/`` and
``numeric/`` stay free of presentation (imports keep running one way:
render -> record types).  :class:`Solution` and :class:`Solutions` subclass
the solver's own result types, so every field and method of those stays
available; :class:`Record` wraps a verification report.  The formatting
itself is in :mod:`profitopt.display`.

Units: ``E`` is FLOPs per dollar; ``n`` counts parameters; ``d`` and ``t``
count tokens; ``omega`` is dollars per served token (``f`` is unitless);
``delta`` dollars per token squared; costs and profit are dollars.
"""

from __future__ import annotations

import inspect

from collections.abc import Sequence
from dataclasses import dataclass, fields
from numbers import Real
from pathlib import Path
from typing import Iterator, overload

import numpy as np
import sympy as sp

from . import display
from .derivations.registry import MODULES
from .derivations.verification import ClaimReport, Report, verify
from .errors import InputError
from .paramspec import MODELS, PAPER
from .analysis.exponents import DEFAULT_POINTS, DEFAULT_RANGES, exponents_of
from .display import format_table
from .numeric import optimum, vectorized
from .numeric.parameters import Parameters, parameters_class
from .numeric.precision import DEFAULT_DPS
from .record_store import records
from .reproduce import Progress
from .reproduce import reproduce as _reproduce

__all__ = ["solve", "solve_many", "exponents", "derivations", "reproduce", "Solution",
           "Solutions", "Record", "Records", "Exponents", "Reproduction"]

#: Default range of the variable and number of values for :func:`exponents`.
EXPONENT_RANGES, EXPONENT_POINTS = DEFAULT_RANGES, DEFAULT_POINTS


# -- values ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Solution(optimum.Solution):
    """One optimum (the solver's :class:`~profitopt.numeric.optimum.Solution`) and its inputs.

    Fields: ``n`` parameters, ``d`` training tokens, ``t`` served tokens, ``q`` quality
    ``min(a n^alpha, b d^beta)``, ``profit`` (dollars), ``train_flops = 6nd`` (FLOPs),
    ``train_cost = 6nd/E`` and ``infer_cost = 2nt/E`` (dollars), ``regime``
    (``compute-bound``, ``data-bound`` or ``shutdown``, where every quantity is 0),
    ``crosscheck_rel_error`` (float64 vs ``crosscheck_dps``-digit optimum, relative, in n)
    and ``parameters``.  Shows itself as a table.
    """

    parameters: Parameters

    def _repr_html_(self) -> str:
        return display.solution_html(self)


@dataclass(frozen=True, eq=False)
class Solutions(vectorized.Solutions):
    """Optima for a broadcast grid of parameters: every array has shape ``shape``.

    Arrays as in :func:`solve` (``n, d, t, q, profit, train_flops, train_cost,
    infer_cost``), plus ``x = log n``, ``regime`` (names), ``certified`` (the per-point
    certificate: t* > 0 and a sign change of the balance across the root), and its parts
    ``margin_positive``, ``sign_change``, ``converged``.  Shows itself as a summary table.
    """

    shape: tuple[int, ...]

    def _repr_html_(self) -> str:
        return display.solutions_html(self)


@dataclass(frozen=True, repr=False)
class Record:
    """One derivation record, verified: its statement, closed forms and claims with status.

    Shows itself as LaTeX (statement, closed forms as displays, claims with status)
    and as HTML (the same, claims in a table).
    """

    report: Report

    @property
    def id(self) -> str:
        """The record id (its module name in ``derivations/``)."""
        return self.report.derivation.id

    @property
    def title(self) -> str:
        return self.report.derivation.title

    @property
    def statement(self) -> str:
        """The statement as LaTeX text (inline math in ``$...$``)."""
        return self.report.derivation.statement

    @property
    def statement_math(self) -> tuple[sp.Basic, ...]:
        """The statement's formulas, derived by SymPy."""
        return self.report.derivation.statement_math

    @property
    def claims(self) -> tuple[ClaimReport, ...]:
        """Each claim with its status and the check results that decided it."""
        return self.report.claims

    @property
    def statuses(self) -> dict[str, str]:
        """Claim id -> status (``verified``, ``bound only``, ``refuted``, ``not reproduced``)."""
        return {c.claim.id: c.status.value for c in self.report.claims}

    @property
    def consistent(self) -> bool:
        """True when every internal check passed."""
        return self.report.consistent

    def __repr__(self) -> str:
        statuses = ", ".join(f"{k}: {v}" for k, v in self.statuses.items())
        return f"<Record {self.id}: {self.title} ({statuses})>"

    def _repr_latex_(self) -> str:
        return display.record_latex(self)

    def _repr_html_(self) -> str:
        return display.record_html(self)


@dataclass(frozen=True, repr=False)
class Records(Sequence):
    """Verified records in appendix order; index by position or by record id."""

    records: tuple[Record, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.records)

    @overload
    def __getitem__(self, key: int | str) -> Record: ...

    @overload
    def __getitem__(self, key: slice) -> Records: ...

    def __getitem__(self, key: int | str | slice) -> Record | Records:
        if isinstance(key, slice):
            return Records(self.records[key])
        if isinstance(key, str):
            for record in self.records:
                if record.id == key:
                    return record
            raise KeyError(f"no record {key!r}; records: {', '.join(self.ids)}")
        return self.records[key]

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[Record]:
        return iter(self.records)

    def __repr__(self) -> str:
        return f"<Records {', '.join(self.ids)}>"

    def _repr_html_(self) -> str:
        return display.records_html(self)


@dataclass(frozen=True, repr=False)
class Exponents:
    """The document of ``profitopt exponents --json``: d log Q* / d log X per regime and
    50-digit local exponents.  ``str()`` gives the command's table; it shows itself as LaTeX
    (the exponents) and HTML (both tables)."""

    document: dict

    @property
    def of(self) -> str:
        """The quantity Q: n, d, t, train_flops, train_cost or profit."""
        return self.document["of"]

    @property
    def wrt(self) -> str:
        """The variable X: E or D."""
        return self.document["wrt"]

    @property
    def regimes(self) -> list[dict]:
        """Per regime: name, kind (bound/rate), exponent_latex, exponent, log_power, window."""
        return self.document["regimes"]

    @property
    def local(self) -> list[dict]:
        """Per value x: exponent (50 digits), regime, compute_ratio (inference/training FLOPs),
        rate (the regime whose window holds x), expected, residual."""
        return self.document["local"]

    @property
    def crossover(self) -> float | None:
        """E_c, where inference and training laws meet (None if they do not)."""
        return self.document["crossover"]

    def as_dict(self) -> dict:
        return self.document

    def __str__(self) -> str:
        return format_table(self.document)

    def __repr__(self) -> str:
        rates = ", ".join(f"{r['name']}: {r['exponent']:.6g}" for r in self.regimes)
        return f"<Exponents d log {self.of}*/d log {self.wrt}: {rates}>"

    def _repr_latex_(self) -> str:
        return display.exponents_latex(self)

    def _repr_html_(self) -> str:
        return display.exponents_html(self)


@dataclass(frozen=True, repr=False)
class Reproduction:
    """What :func:`reproduce` wrote: the verified records, the files and the PDF (or why not)."""

    records: Records
    files: tuple[Path, ...]
    pdf: Path | None
    pdf_skipped_reason: str

    @property
    def consistent(self) -> bool:
        """True when every internal cross-check agreed (the CLI's exit 0)."""
        return all(r.consistent for r in self.records)

    def __repr__(self) -> str:
        return (f"<Reproduction: {len(self.records)} records, {len(self.files)} files, "
                f"pdf {self.pdf or 'skipped'}>")

    def _repr_html_(self) -> str:
        return display.reproduction_html(self)


# -- functions ---------------------------------------------------------------------------------

def _real(name: str, value: object) -> object:
    """Any real number (numpy scalars included) as a float; anything else is left for
    :class:`Parameters` to refuse with its message."""
    if isinstance(value, Real) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return _real(name, value.item())
    return value


def _check_names(values: dict[str, object], model: str = "paper") -> None:
    """Every parameter the model declares given (optional ones may be absent), no other
    name; an unknown model is an InputError too."""
    if model not in MODELS:
        raise InputError(f"unknown model {model!r} (choose from {', '.join(MODELS)})")
    specs = MODELS[model]
    unknown = sorted(set(values) - {spec.name for spec in specs})
    missing = [spec.name for spec in specs
               if not spec.optional and spec.default is None and spec.name not in values]
    if unknown or missing:
        raise InputError("; ".join(
            ([f"unknown parameter {', '.join(unknown)} of model {model!r}"] if unknown else [])
            + ([f"missing parameter {', '.join(missing)}"] if missing else [])))


def _model(model: str | Path) -> str:
    """A built-in model's name, or a model file (read, checked and derived once)."""
    from .models.resolve import resolve

    return resolve(str(model))


def _parameters(model: str = "paper", **values: object) -> Parameters:
    _check_names(values, model)
    # a model file's defaults fill the parameters not given
    values = {**{spec.name: spec.default for spec in MODELS[model]
                 if spec.default is not None}, **values}
    optional = {spec.name for spec in MODELS[model] if spec.optional}
    return parameters_class(model)(**{
        name: None if v is None and name in optional else _real(name, v)
        for name, v in values.items()})


def _declare_parameters(function, annotation: object, also_optional: tuple[str, ...] = (),
                        variants: bool = False):
    """Give ``function`` (which takes ``**parameters``) one keyword-only argument per
    declared parameter in its signature, so help() and completion show them; with
    ``variants``, also the variants' own parameters (optional: only with their model)."""
    signature = inspect.signature(function)
    kept = [p for p in signature.parameters.values() if p.kind is not p.VAR_KEYWORD]
    specs = list(PAPER)
    if variants:
        for model in MODELS.values():
            specs += [spec for spec in model if spec.name not in {s.name for s in specs}]
    declared = [inspect.Parameter(spec.name, inspect.Parameter.KEYWORD_ONLY,
                                  annotation=annotation,
                                  default=None if spec.optional or spec.name in also_optional
                                  or spec not in PAPER else inspect.Parameter.empty)
                for spec in specs]
    positional = [p for p in kept if p.kind is not p.KEYWORD_ONLY]
    keywords = [p for p in kept if p.kind is p.KEYWORD_ONLY]
    required = [p for p in declared if p.default is inspect.Parameter.empty]
    optional = [p for p in declared if p.default is not inspect.Parameter.empty]
    function.__signature__ = signature.replace(
        parameters=[*positional, *required, *optional, *keywords])
    return function


def solve(*, model: str = "paper", dps: int = DEFAULT_DPS, **parameters: float) -> Solution:
    """The profit-optimal (n, d, t) for one market, checked at ``dps`` digits.

    Maximizes ``pi(n, d, t) = omega t f(q) - delta t^2 - (6 n d + 2 n t) / E`` with
    ``q = min(a n^alpha, b d^beta)``, ``f(q) = (1 - q^-gamma)/gamma`` (``log q`` at
    ``gamma = 0``), and ``d <= D`` when a data cap is given.  ``model`` selects a built-in
    variant: ``"data-price"`` adds the cost ``c_D d`` (parameter ``c_D`` > 0, dollars per
    training token; output ``data_cost``), ``"size-cap"`` the cap ``n <= N`` (``N`` > 0
    or None; regime ``size-bound`` where it binds); ``"additive"`` and ``"ces"`` replace
    the law by ``q = (A n^(-alpha r) + B d^(-beta r))^(-1/r)`` (``A``, ``B`` > 0 the loss
    coefficients in place of ``a``, ``b``; ``r`` > 0, 1 for the additive law); a path to a
    ``.toml`` model file reads that model (``profitopt model init`` writes the paper's as
    a start).

    Parameters: ``alpha``, ``beta`` > 0 the parameter and data exponents; ``a``, ``b`` > 0
    parameter and data efficiency; ``gamma`` the demand-link shape, in the bounded range
    ``gamma > min(-1/alpha, -(alpha+beta)/(2 alpha beta))``; ``omega`` > 0 willingness to
    pay (dollars per served token); ``delta`` > 0 inverse-demand slope (dollars per
    token^2); ``E`` > 0 hardware efficiency (FLOPs per dollar); ``D`` > 0 available
    training tokens, or None (compute-bound).

    Returns a :class:`Solution`: ``n`` (parameters), ``d``, ``t`` (tokens), ``q``,
    ``profit``, ``train_cost = 6nd/E``, ``infer_cost = 2nt/E`` (dollars),
    ``train_flops = 6nd`` (FLOPs), ``regime``.  Raises :class:`~profitopt.errors.InputError`
    outside the valid range and :class:`~profitopt.errors.VerificationFailed` when the
    float64 and ``dps``-digit optima differ by more than 1e-11 in n.
    """
    model = _model(model)
    params = _parameters(model, **parameters)
    found = optimum.solve(params, dps)
    return Solution(**{f.name: getattr(found, f.name) for f in fields(found)}, parameters=params)


def solve_many(*, progress: Progress | None = None, **parameters: object) -> Solutions:
    """Profit-optimal (n, d, t) for arrays of parameters, broadcast together like numpy.

    The same problem as :func:`solve`, and the same parameters and units: ``alpha``,
    ``beta``, ``gamma``, ``a``, ``b``, ``omega``, ``delta``, ``E`` (FLOPs per dollar) and
    ``D`` (tokens), each a float or an array; ``D`` None (or ``inf`` where uncapped) is the
    compute-bound regime.  Float64
    throughout, with a certificate per point instead of the 50-digit re-solve.  The first
    call in a process builds the kernels (SymPy and numba, about 15 s).
    ``progress(done, total, label)`` is called after each chunk of points.

    Returns :class:`Solutions`: arrays of the broadcast shape, ``regime`` per point
    (``compute-bound``, ``data-bound``, ``shutdown`` or ``out-of-range`` where a double
    would overflow) and ``certified``.
    """
    _check_names(parameters)
    values = {spec.name: np.inf if spec.optional and parameters.get(spec.name) is None
              else parameters[spec.name] for spec in PAPER}
    shape = np.broadcast_shapes(*(np.shape(v) for v in values.values()))
    flat = vectorized.solve_many(progress=progress, **values)
    arrays = {f.name: getattr(flat, f.name).reshape(shape) for f in fields(flat)}
    return Solutions(**arrays, shape=shape)


def exponents(of: str = "n", wrt: str = "E", *, start: float | None = None,
              stop: float | None = None, points: int = EXPONENT_POINTS,
              progress: Progress | None = None, model: str | Path = "paper",
              **parameters: float) -> Exponents:
    """How the optimum scales: d log Q* / d log X, symbolic per regime and local at 50 digits.

    ``of`` Q is ``n``, ``d``, ``t``, ``train_flops``, ``train_cost`` or ``profit``; ``wrt``
    X is ``E`` (FLOPs per dollar) or ``D`` (tokens; needs ``D`` and ``E``).  Symbolic
    exponents come from dominant balance on the reduced condition with the ansatz
    ``n* ~ C X^k (log X)^m``: the margin bound (Theorems 1-2), the inference-dominated and
    the training-dominated rate (or the data-bound rate).  Local exponents are evaluated at
    ``points`` log-spaced values of X from ``start`` to ``stop`` (defaults 1e8..1e40 for E,
    1e6..1e12 for D).  ``alpha``, ``beta``, ``gamma``, ``a``, ``b``, ``omega``, ``delta``,
    ``E`` and ``D`` as in :func:`solve` (``E`` defaults to ``start`` when X is E).
    ``progress(done, total, label)`` is called after each local exponent.

    Returns :class:`Exponents`: ``regimes`` (name, kind, exponent_latex, exponent,
    log_power, window), ``local`` (x, exponent, regime, compute_ratio, rate, residual),
    ``crossover`` E_c.  ``model`` (a built-in name or a model file) selects another model:
    ``of`` is then one of its output fields and ``wrt`` any of its parameters; its local
    exponents are given, and the report says that no per-regime laws are derived for it.
    """
    model = _model(model)
    # E defaults to ``start`` when it is the variable, so neither it nor ``wrt`` is required
    implied = {name: None for name in ("E", wrt)
               if any(spec.name == name for spec in MODELS[model])}
    _check_names({**implied, **parameters}, model)
    values = {name: None if v is None else _real(name, v) for name, v in parameters.items()}
    return Exponents(exponents_of(values, of, wrt, start, stop, points, progress, model=model))


def sweep(model: str = "paper", *, chunks: int | dict[str, int] | None = None,
          **parameters: object):
    """The optimum over a grid as a labelled ``xarray.Dataset`` (needs the extra
    ``profitopt[distributed]``).

    Of the keyword ``parameters``, each one given a one-dimensional sequence is a
    dimension, its values the coordinate, in the order given; every other is a fixed
    number (as in :func:`solve`).  ``model`` is a built-in model's name.  Variables: the output fields
    with units and long names, ``regime_code`` and ``reason_code`` (meanings in their
    ``flag_meanings``) and the certificate flags; attributes: the model, its fingerprint
    and the profitopt version.  Without ``chunks`` the grid is solved now; with ``chunks``
    (points per block, or a size per dimension) the dataset is lazy (dask arrays, solved
    block by block when computed, on the current Dask client if there is one), so a grid
    larger than memory can be declared and sliced.  ``ds.to_zarr(path)`` streams it into
    a store; ``profitopt sweep --out X.zarr`` adds resume and ``--scheduler``.
    """
    from .labelled import sweep as labelled_sweep

    return labelled_sweep(model, chunks=chunks, **parameters)


def trends(scenario: str | None = None, file: str | Path | None = None) -> dict[str, object]:
    """Permitted against observed growth of training spend and FLOPs, per scenario and gamma.

    ``file`` is a scenario file (TOML, the form of the shipped ``scenarios.toml``; default:
    the shipped scenarios); ``scenario`` picks one of its scenarios by name.  Returns the
    document ``profitopt trends --json`` prints: ``scenarios`` (per scenario and gamma:
    ``inputs`` with sources, ``observed`` and ``permitted`` yearly factors of
    ``train_cost`` and ``train_flops`` on the derived ``bound``, the ``tight`` rate and the
    paper's bound as ``reported``, and a ``verdict``) and ``break_even`` (per scenario,
    the gamma at which each permitted growth of FLOPs equals the observed).
    """
    from .analysis.trends import trends_report
    from .models.scenarios import read_scenario_file, select, shipped

    scenarios = shipped() if file is None else read_scenario_file(file)
    return trends_report(select(scenarios, scenario))


def derivations(*ids: str) -> Records:
    """Every derivation record (or those whose ``ids`` are given, e.g. ``"theorem1"``), verified.

    Each :class:`Record` holds the statement (LaTeX text), its closed forms (SymPy) and
    every claim with the status its checks decide: verified, bound only, refuted or not
    reproduced (see the README's status table).
    """
    if not ids:
        built = records()
    else:
        modules = {module.__name__.rsplit(".", 1)[-1]: module for module in MODULES}
        unknown = [i for i in ids if i not in modules]
        if unknown:
            raise InputError(f"unknown record {', '.join(map(repr, unknown))}; records: "
                             f"{', '.join(modules)}")
        built = tuple(modules[i].derive() for i in ids)
    return Records(tuple(Record(verify(d)) for d in built))


def reproduce(out: str | Path = "profitopt-out", *, pdf: bool = True,
              progress: Progress | None = None) -> Reproduction:
    """``profitopt reproduce``: verify every record and write them into ``out``.

    Writes ``claims.json``, ``appendix.tex`` (standalone), ``appendix-body.tex`` (to
    ``\\input``), ``figures/*.pdf`` and, when ``pdf`` and a LaTeX engine is installed,
    ``appendix.pdf``.  Returns a :class:`Reproduction`: the verified ``records``, the
    ``files`` written, the ``pdf`` path (or None and ``pdf_skipped_reason``) and whether
    every internal cross-check agreed (``consistent``).  ``progress(done, total, label)``
    is called before each stage.
    """
    outcome = _reproduce(Path(out), pdf=pdf, progress=progress)
    records = Records(tuple(Record(r) for r in outcome.reports))
    return Reproduction(records, outcome.files, outcome.pdf, outcome.pdf_skipped_reason)


_declare_parameters(solve, float, variants=True)
_declare_parameters(solve_many, object)
_declare_parameters(exponents, float, also_optional=("E",))
