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

from .derivations.calibration import growth, point
from .derivations.verification import Report
from .numeric.local_exponents import local_exponents
from .numeric.parameters import Parameters
from .numeric.vectorized import solve_many
from .rendering import FigureView
from .symbolic.profit import ProfitModel
from .symbolic.regimes import derive_data_bound_corner
from .symbolic.symbols import D, E, alpha

_METADATA = {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": "profitopt"}
STATUS_ORDER = ("verified", "bound only", "refuted", "not reproduced")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9, "pdf.fonttype": 42,
                         "axes.grid": True, "grid.alpha": 0.3, "figure.dpi": 100})
    return plt


def _floats(at) -> dict[str, float]:
    return {s.name: float(v) for s, v in at}


def _law_curve(law, variable_values: np.ndarray, reference: dict) -> np.ndarray:
    expr = law.expr(E).subs(reference)
    return np.array([float(expr.subs(E, v)) for v in variable_values])


def _save(fig, path: Path) -> None:
    fig.savefig(path, format="pdf", metadata=_METADATA, bbox_inches="tight")


def growth_figure(path: Path) -> str:
    """n*, d* and spend against E at the worked example, with both regime laws."""
    plt = _pyplot()
    g, at = growth("negative"), point("negative")
    reference = dict(at)
    energy = np.geomspace(1e6, 1e40, 200)
    solutions = solve_many(**_floats(at), E=energy)
    fig, ax = plt.subplots(figsize=(6, 3.6))
    ax.loglog(energy, solutions.n, label="$n^*$ (solver)", color="C0", lw=3, alpha=0.5)
    ax.loglog(energy, solutions.train_cost, label="training spend $6n^*d^*/E$", color="C2",
              lw=2)
    shown = np.concatenate([solutions.n, solutions.train_cost])
    ax.set_ylim(shown.min() / 100, shown.max() * 100)
    for regime, style in ((g.inference, "--"), (g.training, ":")):
        ax.loglog(energy, _law_curve(regime.law, energy, reference), style, color="C1",
                  label=f"{regime.name} law for $n^*$")
    e_c = float(sp.N(g.crossover.subs(reference)))
    ax.axvline(e_c, color="0.4", lw=0.8)
    ax.set_xlabel("hardware efficiency $E$ (FLOPs per dollar)")
    ax.legend(fontsize=7)
    _save(fig, path)
    plt.close(fig)
    k_i = float(g.inference.law.exponent.subs(reference))
    k_t = float(g.training.law.exponent.subs(reference))
    return (f"Optimal model size n* and training spend against E at alpha = beta = "
            f"{float(reference[alpha]):g}, gamma = -1 (solver, solid). Dashed: the "
            f"inference-dominated law n* ~ E^{k_i:.3g} (the Theorem 1 bound); dotted: the "
            f"training-dominated law n* ~ E^{k_t:.3g}; vertical line: crossover E_c = "
            f"{e_c:.3g}.")


def exponent_figure(path: Path) -> str:
    """Local exponent d log n*/d log E (50 digits) for gamma = -1 and 0, with the laws."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.4))
    parts = []
    for shape, color in (("negative", "C0"), ("zero", "C3")):
        g, at = growth(shape), point(shape)
        reference = dict(at)
        values = list(np.geomspace(1e6, 1e40, 35))
        params = Parameters(**_floats(at), E=values[0])
        rows = local_exponents(params, "n", "E", values)
        gamma_value = float(reference[sp.Symbol("gamma", real=True)])
        ax.semilogx(values, [r.exponent for r in rows], "o-", ms=2.5, color=color,
                    label=f"gamma = {gamma_value:g}")
        for regime, style in ((g.inference, "--"), (g.training, ":")):
            k = float(regime.law.exponent.subs(reference))
            ax.axhline(k, ls=style, color=color, lw=0.8)
        e_c = float(sp.re(sp.N(g.crossover.subs(reference))))
        ax.axvline(e_c, color=color, lw=0.6, alpha=0.6)
        parts.append(f"gamma = {gamma_value:g}: {float(g.inference.law.exponent.subs(reference)):.3g} "
                     f"below E_c = {e_c:.3g}, {float(g.training.law.exponent.subs(reference)):.3g}"
                     + (" (times a log factor)" if g.training.law.log_power != 0 else "")
                     + " above")
    ax.set_xlabel("hardware efficiency $E$")
    ax.set_ylabel(r"$d\log n^*/d\log E$")
    ax.legend(fontsize=7)
    _save(fig, path)
    plt.close(fig)
    return ("Local exponent of n* in E from 50-digit optima (points) with the inference-"
            "dominated (dashed) and training-dominated (dotted) exponents and the crossovers "
            "(vertical lines): " + "; ".join(parts) + ".")


def data_bound_figure(path: Path) -> str:
    """Spend against D for several E while the cap binds, with the D^(1+beta/alpha) slope."""
    plt = _pyplot()
    at = point("negative")
    reference = dict(at)
    corner = derive_data_bound_corner(ProfitModel(), (D,))
    slope = float(corner.elasticities[D].subs(reference))
    caps = np.geomspace(1e5, 1e12, 60)
    fig, ax = plt.subplots(figsize=(6, 3.4))
    for energy, color in ((1e16, "C0"), (1e20, "C1"), (1e24, "C2")):
        s = solve_many(**_floats(at), E=energy, D=caps)
        bound = s.regime == "data-bound"
        ax.loglog(caps[bound], s.train_cost[bound], color=color, label=f"E = {energy:.0e}")
    guide = 1e-15 * caps**slope
    ax.loglog(caps, guide, "k:", lw=0.8, label=f"slope {slope:g}")
    ax.set_xlabel("available data $D$ (tokens)")
    ax.set_ylabel("training spend")
    ax.legend(fontsize=7)
    _save(fig, path)
    plt.close(fig)
    in_e = float(derive_data_bound_corner(ProfitModel(), (E,)).elasticities[E])
    return (f"Data-bound training spend against D for three values of E where the cap binds, "
            f"at alpha = beta = {float(reference[alpha]):g}; the dotted guide has slope "
            f"1 + beta/alpha = {slope:g}, and the spend scales as E^{in_e:g}.")


def claims_figure(path: Path, reports: tuple[Report, ...]) -> str:
    """How many claims of each record have each status."""
    plt = _pyplot()
    names = [r.derivation.id for r in reports]
    counts = {s: [sum(c.status.value == s for c in r.claims) for r in reports]
              for s in STATUS_ORDER}
    fig, ax = plt.subplots(figsize=(6, 3.0))
    left = np.zeros(len(names))
    colors = {"verified": "C2", "bound only": "C1", "refuted": "C3", "not reproduced": "0.5"}
    for status in STATUS_ORDER:
        ax.barh(names, counts[status], left=left, color=colors[status], label=status)
        left += np.array(counts[status])
    ax.invert_yaxis()
    ax.set_xlabel("claims")
    ax.legend(fontsize=7, loc="lower right")
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
              ("data-bound", data_bound_figure),
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
