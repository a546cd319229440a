"""Figures of the appendix, drawn from the numeric solver with the symbolic laws overlaid.

Vector PDF, deterministic: the Agg/PDF backends, DejaVu fonts shipped with
matplotlib, no creation date or producer in the metadata.  Captions are
composed from the same growth laws the records verify.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import numpy as np
import sympy as sp

from .derivations.calibration import point
from .growth_store import compute_bound_growth
from .derivations.verification import Report
from .numeric.local_exponents import local_exponents
from .numeric.parameters import Parameters
from .numeric.vectorized import solve_many
from .notation import number_latex
from .rendering import FigureView
from .symbolic.symbols import D, E, alpha, gamma


def growth(shape: str):
    """The records' growth analysis at the calibration point of ``shape``, from the cache."""
    return compute_bound_growth(dict(point(shape)), sp.S.Zero if shape == "zero" else gamma)

_METADATA = {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": "profitopt"}
STATUS_ORDER = ("verified", "bound only", "refuted", "not reproduced")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9, "pdf.fonttype": 42,
                         "axes.grid": True, "grid.alpha": 0.3, "figure.dpi": 100,
                         "legend.fontsize": 7.5, "legend.frameon": False})
    return plt


def _floats(at) -> dict[str, float]:
    return {s.name: float(v) for s, v in at}


def _law_curve(law, variable_values: np.ndarray, reference: dict) -> np.ndarray:
    expr = law.expr(E).subs(reference)
    return np.array([float(expr.subs(E, v)) for v in variable_values])


def _legend_above(fig, ax, handles=None, labels=None, ncol: int = 2) -> None:
    """The legend in its own band above the axes: it never covers data."""
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles, labels, loc="lower left", bbox_to_anchor=(0.0, 1.02, 1.0, 0.1),
              mode="expand", ncol=ncol, borderaxespad=0.0, handlelength=2.6)


def _save(fig, path: Path) -> None:
    fig.savefig(path, format="pdf", metadata=_METADATA, bbox_inches="tight")


#: Axis labels: the quantity, its symbol and its unit.
E_LABEL = "hardware efficiency $E$ (FLOPs per dollar)"
SPEND_UNIT = "(dollars)"


def growth_figure(path: Path) -> str:
    """n* (parameters) and training spend (dollars) against E, one panel each, with the laws."""
    plt = _pyplot()
    g, at = growth("negative"), point("negative")
    reference = dict(at)
    energy = np.geomspace(1e6, 1e40, 200)
    solutions = solve_many(**_floats(at), E=energy)
    e_c = float(sp.N(g.crossover.subs(reference)))
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(5.6, 4.4), sharex=True)
    top.loglog(energy, solutions.n, label="$n^{\\ast}$ (solver)", color="C0", lw=3, alpha=0.5)
    for regime, style in ((g.inference, "--"), (g.training, ":")):
        top.loglog(energy, _law_curve(regime.law, energy, reference), style, color="C1",
                   label=f"{regime.name} law")
    top.set_ylim(solutions.n.min() / 100, solutions.n.max() * 100)
    bottom.loglog(energy, solutions.train_cost, color="C2", lw=2,
                  label="training spend $6n^{\\ast}d^{\\ast}/E$ (solver)")
    for ax in (top, bottom):
        ax.axvline(e_c, color="0.4", lw=0.8, label="crossover $E_c$")
    top.set_ylabel("optimal model size $n^{\\ast}$\n(parameters)")
    bottom.set_ylabel("training spend $6n^{\\ast}d^{\\ast}/E$\n" + SPEND_UNIT)
    bottom.set_xlabel(E_LABEL)
    _legend_above(fig, top)  # the bottom panel has one curve, named by its axis label
    _save(fig, path)
    plt.close(fig)
    k_i = float(g.inference.law.exponent.subs(reference))
    k_t = float(g.training.law.exponent.subs(reference))
    return (rf"Optimal model size $n^*$ (top) and training spend $6n^*d^*/E$ (bottom) against "
            rf"hardware efficiency $E$ at $\alpha = \beta = {number_latex(float(reference[alpha]))}$,"
            rf" $\gamma = -1$ (solver, solid). Dashed: the inference-dominated law "
            rf"$n^* \propto E^{{{number_latex(k_i)}}}$ (the bound of the paper's Theorem~1); "
            rf"dotted: the training-dominated law $n^* \propto E^{{{number_latex(k_t)}}}$; "
            rf"vertical line: the crossover $E_c \approx {number_latex(e_c)}$.")


def exponent_figure(path: Path) -> str:
    """Local exponent d log n*/d log E (50 digits) for gamma = -1 and 0, with the laws."""
    from matplotlib.lines import Line2D

    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.6, 3.4))
    parts, handles = [], []
    for shape, color in (("negative", "C0"), ("zero", "C3")):
        g, at = growth(shape), point(shape)
        reference = dict(at)
        values = list(np.geomspace(1e6, 1e40, 35))
        params = Parameters(**_floats(at), E=values[0])
        rows = local_exponents(params, "n", "E", values)
        gamma_value = float(reference[sp.Symbol("gamma", real=True)])
        handles += ax.semilogx(values, [r.exponent for r in rows], "o-", ms=2.5, color=color,
                               label=rf"$\gamma = {number_latex(gamma_value)}$, 50-digit optima")
        for regime, style in ((g.inference, "--"), (g.training, ":")):
            k = float(regime.law.exponent.subs(reference))
            ax.axhline(k, ls=style, color=color, lw=0.8)
        e_c = float(sp.re(sp.N(g.crossover.subs(reference))))
        ax.axvline(e_c, color=color, lw=0.6, alpha=0.6)
        k_i = float(g.inference.law.exponent.subs(reference))
        k_t = float(g.training.law.exponent.subs(reference))
        parts.append(rf"at $\gamma = {number_latex(gamma_value)}$, ${number_latex(k_i)}$ below "
                     rf"$E_c \approx {number_latex(e_c)}$ and ${number_latex(k_t)}$ above"
                     + (" (times a logarithmic factor)" if g.training.law.log_power != 0
                        else ""))
    handles += [Line2D([], [], ls="--", color="0.3", lw=0.8,
                       label="inference-dominated exponent"),
                Line2D([], [], ls=":", color="0.3", lw=0.8, label="training-dominated exponent"),
                Line2D([], [], color="0.3", lw=0.6, label="crossover $E_c$")]
    ax.set_xlabel(E_LABEL)
    ax.set_ylabel("local exponent $d\\log n^{\\ast}/d\\log E$\n(dimensionless)")
    _legend_above(fig, ax, handles, [h.get_label() for h in handles])
    _save(fig, path)
    plt.close(fig)
    return ("Local exponent of $n^*$ in $E$ from 50-digit optima (points) with the inference-"
            "dominated (dashed) and training-dominated (dotted) exponents and the crossovers "
            "(vertical lines): " + "; ".join(parts) + ".")


def _step(reports: tuple[Report, ...], record: str, step: str) -> sp.Expr:
    """The right-hand side of a proof step of a verified record (data the figure is given)."""
    derivation = next(r.derivation for r in reports if r.derivation.id == record)
    return next(s.expr for s in derivation.steps if s.id == step).rhs


def data_bound_figure(path: Path, reports: tuple[Report, ...]) -> str:
    """Spend against D for several E while the cap binds, with the D^(1+beta/alpha) slope
    (the data-cap record's elasticities of the spend in D and E)."""
    plt = _pyplot()
    at = point("negative")
    reference = dict(at)
    slope = float(_step(reports, "data_bound", f"elasticity-{D}").subs(reference))
    caps = np.geomspace(1e5, 1e12, 60)
    fig, ax = plt.subplots(figsize=(5.6, 3.4))
    highest = None
    for energy, color in ((1e16, "C0"), (1e20, "C1"), (1e24, "C2")):
        s = solve_many(**_floats(at), E=energy, D=caps)
        bound = s.regime == "data-bound"
        ax.loglog(caps[bound], s.train_cost[bound], color=color,
                  label=f"$E = {number_latex(energy)}$ FLOPs per dollar")
        if highest is None and bound.any():
            highest = (caps[bound][0], s.train_cost[bound][0])
    if highest is not None:  # parallel to the data, a decade and a half above it
        start, spend = highest
        ax.loglog(caps, 30 * spend * (caps / start) ** slope, "k:", lw=0.9,
                  label=rf"guide of slope $1 + \beta/\alpha = {number_latex(slope)}$")
    ax.set_xlabel("available data $D$ (tokens)")
    ax.set_ylabel("training spend $6n^{\\ast}D/E$\n" + SPEND_UNIT)
    _legend_above(fig, ax)
    _save(fig, path)
    plt.close(fig)
    in_e = float(_step(reports, "data_bound", f"elasticity-{E}").subs(reference))
    return (rf"Data-bound training spend against the data cap $D$ for three values of $E$ where "
            rf"the cap binds, at $\alpha = \beta = {number_latex(float(reference[alpha]))}$; the "
            rf"dotted guide has slope $1 + \beta/\alpha = {number_latex(slope)}$, and the spend "
            rf"scales as $E^{{{number_latex(in_e)}}}$.")


def claims_figure(path: Path, reports: tuple[Report, ...]) -> str:
    """How many claims of each record have each status."""
    from matplotlib.ticker import MaxNLocator

    plt = _pyplot()
    names = [r.derivation.id for r in reports]
    counts = {s: [sum(c.status.value == s for c in r.claims) for r in reports]
              for s in STATUS_ORDER}
    fig, ax = plt.subplots(figsize=(5.6, 3.2))
    left = np.zeros(len(names))
    colors = {"verified": "C2", "bound only": "C1", "refuted": "C3", "not reproduced": "0.5"}
    for status in STATUS_ORDER:
        ax.barh(names, counts[status], left=left, color=colors[status], label=status)
        left += np.array(counts[status])
    ax.invert_yaxis()
    ax.set_xlim(0, max(left) + 0.5)  # the last segment of the longest bar stays in view
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("number of claims")
    ax.set_ylabel("record")
    _legend_above(fig, ax, ncol=4)
    _save(fig, path)
    plt.close(fig)
    totals = {s: sum(v) for s, v in counts.items()}
    return "Status of every claim, by record: " + ", ".join(
        f"{n} {s}" for s, n in totals.items() if n) + "."


def make_figures(folder: Path, reports: tuple[Report, ...],
                 progress: Callable[[str], None] | None = None) -> tuple[FigureView, ...]:
    """Draw every figure into ``folder``; return their views (file, caption)."""
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    makers = (("growth", growth_figure), ("exponents", exponent_figure),
              ("data-bound", lambda p: data_bound_figure(p, reports)),
              ("claims", lambda p: claims_figure(p, reports)))
    views = []
    for name, maker in makers:
        if progress:
            progress(name)
        temporary = folder / f".{name}.pdf.tmp"
        try:
            caption = maker(temporary)
            os.replace(temporary, folder / f"{name}.pdf")
        finally:
            temporary.unlink(missing_ok=True)
        views.append(FigureView(name, f"{name}.pdf", caption))
    return tuple(views)
