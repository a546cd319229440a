"""Figures of the appendix: draw the data :mod:`profitopt.analysis.figure_data` computes.

Each figure function receives its data (solver optima, 50-digit local exponents,
the records' laws, evaluated there) and only draws it and writes its caption.
Vector PDF, deterministic: the Agg/PDF backends, DejaVu fonts shipped with
matplotlib, no creation date or producer in the metadata.  Captions are
composed from the same growth laws the records verify.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np

from .analysis.figure_store import exponent_data, growth_data, overtraining_data, trends_data
from .analysis.figure_data import (ClaimCounts, DataBoundData, ExponentData, GrowthData,
                                   OvertrainingData, TrendsData, compute_data_bound_data,
                                   count_claims)
from .notation import number_latex
from .rendering import FigureView

if TYPE_CHECKING:  # the verified records, passed through to the data functions
    from .derivations.verification import Report

_METADATA = {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": "profitopt"}


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9, "pdf.fonttype": 42,
                         "axes.grid": True, "grid.alpha": 0.3, "figure.dpi": 100,
                         "legend.fontsize": 7.5, "legend.frameon": False})
    return plt


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


def growth_figure(data: GrowthData, path: Path) -> str:
    """n* (parameters) and training spend (dollars) against E, one panel each, with the laws."""
    plt = _pyplot()
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(5.6, 4.4), sharex=True)
    top.loglog(data.E, data.n, label="$n^{\\ast}$ (solver)", color="C0", lw=3, alpha=0.5)
    for law, style in ((data.inference, "--"), (data.training, ":")):
        top.loglog(data.E, law.n, style, color="C1", label=f"{law.name} law")
    top.set_ylim(data.n.min() / 100, data.n.max() * 100)
    bottom.loglog(data.E, data.train_cost, color="C2", lw=2,
                  label="training spend $6n^{\\ast}d^{\\ast}/E$ (solver)")
    for ax in (top, bottom):
        ax.axvline(data.crossover, color="0.4", lw=0.8, label="crossover $E_c$")
    top.set_ylabel("optimal model size $n^{\\ast}$\n(parameters)")
    bottom.set_ylabel("training spend $6n^{\\ast}d^{\\ast}/E$\n" + SPEND_UNIT)
    bottom.set_xlabel(E_LABEL)
    _legend_above(fig, top)  # the bottom panel has one curve, named by its axis label
    _save(fig, path)
    plt.close(fig)
    k_i, k_t, e_c = data.inference.exponent, data.training.exponent, data.crossover
    return (rf"Optimal model size $n^*$ (top) and training spend $6n^*d^*/E$ (bottom) against "
            rf"hardware efficiency $E$ at $\alpha = \beta = {number_latex(data.alpha)}$,"
            rf" $\gamma = -1$ (solver, solid). Dashed: the inference-dominated law "
            rf"$n^* \propto E^{{{number_latex(k_i)}}}$ (the bound of the paper's Theorem~1); "
            rf"dotted: the training-dominated law $n^* \propto E^{{{number_latex(k_t)}}}$; "
            rf"vertical line: the crossover $E_c \approx {number_latex(e_c)}$.")


#: Colour of each series of the exponent figure, in the order of its data.
EXPONENT_COLOURS = ("C0", "C3")


def exponent_figure(data: ExponentData, path: Path) -> str:
    """Local exponent d log n*/d log E (50 digits) for each gamma, with the laws' exponents."""
    from matplotlib.lines import Line2D

    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.6, 3.4))
    parts, handles = [], []
    for series, color in zip(data.series, EXPONENT_COLOURS):
        handles += ax.semilogx(series.E, series.exponent, "o-", ms=2.5, color=color,
                               label=rf"$\gamma = {number_latex(series.gamma)}$, "
                                     "50-digit optima")
        for k, style in ((series.inference, "--"), (series.training, ":")):
            ax.axhline(k, ls=style, color=color, lw=0.8)
        ax.axvline(series.crossover, color=color, lw=0.6, alpha=0.6)
        parts.append(rf"at $\gamma = {number_latex(series.gamma)}$, "
                     rf"${number_latex(series.inference)}$ below "
                     rf"$E_c \approx {number_latex(series.crossover)}$ and "
                     rf"${number_latex(series.training)}$ above"
                     + (" (times a logarithmic factor)" if series.training_log else ""))
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


#: Colour of each curve of the data-bound figure, in the order of its data.
DATA_BOUND_COLOURS = ("C0", "C1", "C2")


def data_bound_figure(data: DataBoundData, path: Path) -> str:
    """Spend against D for several E while the cap binds, with the D^(1+beta/alpha) guide."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.6, 3.4))
    for curve, color in zip(data.curves, DATA_BOUND_COLOURS):
        ax.loglog(curve.D, curve.train_cost, color=color,
                  label=f"$E = {number_latex(curve.E)}$ FLOPs per dollar")
    if data.guide is not None:  # parallel to the data, a decade and a half above it
        ax.loglog(data.D, data.guide, "k:", lw=0.9,
                  label=rf"guide of slope $1 + \beta/\alpha = {number_latex(data.slope)}$")
    ax.set_xlabel("available data $D$ (tokens)")
    ax.set_ylabel("training spend $6n^{\\ast}D/E$\n" + SPEND_UNIT)
    _legend_above(fig, ax)
    _save(fig, path)
    plt.close(fig)
    return (rf"Data-bound training spend against the data cap $D$ for three values of $E$ where "
            rf"the cap binds, at $\alpha = \beta = {number_latex(data.alpha)}$; the "
            rf"dotted guide has slope $1 + \beta/\alpha = {number_latex(data.slope)}$, and the "
            rf"spend scales as $E^{{{number_latex(data.elasticity_E)}}}$.")


#: Colour of each claim status.
STATUS_COLOURS = {"verified": "C2", "bound only": "C1", "refuted": "C3", "not reproduced": "0.5"}


def claims_figure(data: ClaimCounts, path: Path) -> str:
    """How many claims of each record have each status: one stacked bar per record."""
    from matplotlib.ticker import MaxNLocator

    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.6, 3.2))
    left = np.zeros(len(data.records))
    for status, counts in zip(data.statuses, data.counts):
        ax.barh(list(data.records), counts, left=left, color=STATUS_COLOURS[status],
                label=status)
        left += counts
    ax.invert_yaxis()
    ax.set_xlim(0, max(left) + 0.5)  # the last segment of the longest bar stays in view
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("number of claims")
    ax.set_ylabel("record")
    _legend_above(fig, ax, ncol=4)
    _save(fig, path)
    plt.close(fig)
    return "Status of every claim, by record: " + ", ".join(
        f"{n} {s}" for s, n in data.totals.items() if n) + "."


#: Colour of each value of gamma in the over-training figure.
SHAPE_COLOURS = ("C0", "C3", "C2")


def overtraining_figure(data: OvertrainingData, path: Path) -> str:
    """d*/n* against E under the additive law (solid), the compute-optimal path's d/n at the
    same n* (dashed) and the Leontief kink's d/n there (dotted), one colour per gamma."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.6, 3.6))
    for curve, color in zip(data.curves, SHAPE_COLOURS):
        shape = number_latex(curve.gamma)
        ax.loglog(curve.E, curve.tokens_per_parameter, color=color, lw=2,
                  label=rf"additive law, $\gamma = {shape}$")
        ax.loglog(curve.E, curve.compute_optimal, color=color, ls="--", lw=1,
                  label=rf"compute-optimal at $n^{{\ast}}$, $\gamma = {shape}$")
        ax.loglog(curve.E, curve.leontief, color=color, ls=":", lw=1,
                  label=rf"Leontief kink at $n^{{\ast}}$, $\gamma = {shape}$")
    ax.set_xlabel(E_LABEL)
    ax.set_ylabel("tokens per parameter $d^{\\ast}/n^{\\ast}$")
    _legend_above(fig, ax, ncol=2)
    _save(fig, path)
    plt.close(fig)
    return (rf"Tokens per parameter $d^*/n^*$ of the profit optimum under the additive law "
            rf"(solid; the \texttt{{{data.preset}}} fit, $\alpha = {number_latex(data.alpha)}$, "
            rf"$\beta = {number_latex(data.beta)}$, $\omega = 1$, $\delta = 10^{{-12}}$; "
            rf"50-digit optima), against $E$. Dashed: the compute-optimal path's $d/n$ at the "
            rf"same $n^*$; the gap is the over-training factor $(1 + t^*/(3d^*))^{{1/\beta}}$, "
            rf"which vanishes as training comes to dominate. Dotted: the Leontief kink's "
            rf"$d/n$ at $n^*$ with $a = 1/A$, $b = 1/B$ (not a constant, as "
            rf"$\alpha \neq \beta$).")


def trends_figure(data: TrendsData, path: Path) -> str:
    """Permitted yearly growth of training FLOPs against gamma (derived bound, tight rate,
    the paper's bounds as reported), the observed growth, and the break-even shapes."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.6, 3.6))
    ax.semilogy(data.gamma, data.bound, color="C0", lw=2, label="derived bound (margin peak)")
    ax.semilogy(data.gamma, data.tight, color="C1", lw=2, label="tight rate (training-dominated)")
    ax.semilogy(data.gamma, data.reported, color="C2", ls=(0, (3, 3)), lw=1.4, zorder=3,
                label=r"Theorem 1 as reported ($\gamma \neq 0$; on the bound)")
    ax.semilogy([0.0], [data.reported_at_zero], "s", color="C2", ms=5,
                label=r"Theorem 2 as reported ($\gamma = 0$)")
    ax.axhline(data.observed, color="0.2", ls=":", lw=1.2,
               label=rf"observed (${number_latex(data.observed)}\times$ a year)")
    for roots, color in ((data.break_even_bound, "C0"), (data.break_even_tight, "C1")):
        ax.semilogy(list(roots), [data.observed] * len(roots), "o", color=color, ms=6,
                    mfc="white", mew=1.5)
    ax.set_xlabel(r"demand-link shape $\gamma$")
    ax.set_ylabel("permitted growth of training FLOPs\n(factor a year)")
    _legend_above(fig, ax, ncol=2)
    _save(fig, path)
    plt.close(fig)
    crossings = "; ".join(
        f"{name} " + (f"${', '.join(number_latex(r) for r in roots)}$" if roots else "none")
        for name, roots in (("bound", data.break_even_bound), ("tight rate",
                                                                data.break_even_tight)))
    return (rf"Yearly growth of training FLOPs $6n^*d^*$ that the optimum permits, against "
            rf"$\gamma$, in the \texttt{{{data.scenario}}} scenario: $E$ grows "
            rf"${number_latex(data.hardware)}\times$, $a$ ${number_latex(data.parameter_efficiency)}"
            rf"\times$ and $b$ ${number_latex(data.data_efficiency)}\times$ a year, "
            rf"$\alpha = {number_latex(data.alpha)}$, $\beta = {number_latex(data.beta)}$. "
            rf"The derived bound holds while inference dominates the firm's costs, the tight "
            rf"rate once training does. Circles: the break-even shapes where permitted and "
            rf"observed growth meet, both in FLOPs ({crossings}). The paper's stated bounds "
            rf"jump at $\gamma = 0$: Theorem~2's $a^2E/\rho$ carries a factor $a^2$ that "
            rf"Theorem~1's bound loses as $\gamma \to 0$.")


@dataclass(frozen=True)
class ModelCurves:
    """A model's optimum against E at one parameter set (computed by the caller)."""

    name: str          # the model's name, LaTeX text
    E: np.ndarray      # FLOPs per dollar, where the optimum is not shutdown
    n: np.ndarray      # n* (parameters)
    d: np.ndarray      # d* (tokens)
    where: str         # the parameter set, LaTeX text with math in $...$
    solver: str = "float64 kink solver"  # which solver computed the optima


#: File name (without .pdf) of a model's figure.
MODEL_FIGURE = "model-optimum"


def model_figure(data: ModelCurves, path: Path) -> str:
    """n* (top) and d* (bottom) of a model against E, log-log panels sharing the E axis."""
    plt = _pyplot()
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(5.6, 4.4), sharex=True)
    top.loglog(data.E, data.n, color="C0", lw=2)
    bottom.loglog(data.E, data.d, color="C1", lw=2)
    top.set_ylabel("optimal model size $n^{\\ast}$\n(parameters)")
    bottom.set_ylabel("optimal training tokens\n$d^{\\ast}$ (tokens)")
    bottom.set_xlabel(E_LABEL)
    _save(fig, path)
    plt.close(fig)
    return (rf"Optimal model size $n^*$ (top) and training tokens $d^*$ (bottom) of the "
            rf"model \texttt{{{data.name}}} against hardware efficiency $E$ ({data.solver}, "
            rf"{len(data.E)} values of $E$), at {data.where}.")


def make_model_figures(folder: Path, data: ModelCurves | None) -> tuple[FigureView, ...]:
    """The model's one figure, drawn into ``folder``; none without data."""
    if data is None or len(data.E) == 0:
        return ()
    folder.mkdir(parents=True, exist_ok=True)
    return (_draw_into(folder, MODEL_FIGURE, model_figure, data),)


def _draw_into(folder: Path, name: str, draw: Callable[[object, Path], str],
               data: object) -> FigureView:
    """Draw ``data`` to ``folder/name.pdf`` through a temporary file replaced atomically
    (deterministic PDF: SOURCE_DATE_EPOCH 0 unless set); its view with the caption."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    temporary = folder / f".{name}.pdf.tmp"
    try:
        caption = draw(data, temporary)
        os.replace(temporary, folder / f"{name}.pdf")
    finally:
        temporary.unlink(missing_ok=True)
    return FigureView(name, f"{name}.pdf", caption)


#: Every figure: (file name, the function computing its data from the verified records,
#: the function drawing that data to a path and returning the caption).
FIGURES: tuple[tuple[str, Callable[[tuple[Report, ...]], object],
                     Callable[[object, Path], str]], ...] = (
    ("growth", lambda reports: growth_data(), growth_figure),
    ("exponents", lambda reports: exponent_data(), exponent_figure),
    ("data-bound", compute_data_bound_data, data_bound_figure),
    ("overtraining", lambda reports: overtraining_data(), overtraining_figure),
    ("trends", lambda reports: trends_data(), trends_figure),
    ("claims", count_claims, claims_figure),
)


def make_figures(folder: Path, reports: tuple[Report, ...],
                 progress: Callable[[str], None] | None = None) -> tuple[FigureView, ...]:
    """Compute each figure's data, draw it into ``folder``; return the views (file, caption)."""
    folder.mkdir(parents=True, exist_ok=True)
    views = []
    for name, compute, draw in FIGURES:
        if progress:
            progress(name)
        views.append(_draw_into(folder, name, draw, compute(reports)))
    return tuple(views)
