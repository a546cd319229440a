"""How API values show themselves in a notebook: HTML tables and LaTeX, from data tables;
and the plain-text table of an exponent report (the CLI prints it).

Formatters only; the values they format live in :mod:`profitopt.api`.  Text
that reaches HTML is escaped; LaTeX text (derivation and claim statements,
inline math in ``$...$``) is escaped as HTML too and left for the notebook's
MathJax to typeset (JupyterLab and the classic notebook typeset ``$...$`` and
``\\[...\\]`` in HTML outputs).  The LaTeX forms use only text, ``$...$`` and
``\\[...\\]`` so that they are valid both for MathJax and for a LaTeX document
(nbconvert's PDF export includes ``text/latex`` outputs verbatim).
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter
from dataclasses import asdict
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np

from .analysis.exponents import FAR_DECADES, RATE_TOLERANCE
from .notation import format_equation
from .paramspec import PAPER

if TYPE_CHECKING:  # the values formatted here; api imports this module, not the reverse
    from .api import Exponents, Record, Records, Reproduction, Solution, Solutions
    from .derivations.verification import Report

#: Rows of a solution table: (field, quantity with its formula in LaTeX, unit).
SOLUTION_ROWS: tuple[tuple[str, str, str], ...] = (
    ("n", r"parameters $n^*$", "parameters"),
    ("d", r"training tokens $d^*$", "tokens"),
    ("t", r"served tokens $t^*$", "tokens"),
    ("q", r"quality $q^* = \min(a n^{*\alpha}, b d^{*\beta})$", ""),
    ("profit", r"profit $\pi^*$", "dollars"),
    ("train_flops", r"training compute $6 n^* d^*$", "FLOPs"),
    ("train_cost", r"training cost $6 n^* d^* / E$", "dollars"),
    ("infer_cost", r"inference cost $2 n^* t^* / E$", "dollars"),
)

#: LaTeX names of the model parameters, in the order of a parameter caption.
PARAMETER_LATEX: tuple[tuple[str, str], ...] = tuple((spec.name, spec.latex) for spec in PAPER)

#: Colour of each claim status (as the README's status table reads them).
STATUS_COLOURS: dict[str, str] = {
    "verified": "#1a7f37",
    "bound only": "#9a6700",
    "refuted": "#cf222e",
    "not reproduced": "#6e7781",
}

_TABLE = '<table style="border-collapse: collapse">'
_CELL = 'style="text-align: left; padding: 0.15em 0.6em"'
_NUMBER = 'style="text-align: right; padding: 0.15em 0.6em; font-family: monospace"'


#: LaTeX text-mode macros in statements and their HTML (MathJax typesets only math).
TEXT_MACROS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\\texttt\{([^{}]*)\}"), r"<code>\1</code>"),
    (re.compile(r"\\emph\{([^{}]*)\}"), r"<em>\1</em>"),
    (re.compile(r"\\textbf\{([^{}]*)\}"), r"<b>\1</b>"),
    (re.compile(r"\\textit\{([^{}]*)\}"), r"<i>\1</i>"),
)


def escape(text: str) -> str:
    """Text (or LaTeX text) made safe for HTML; ``$...$`` survives for MathJax, and the
    text macros of TEXT_MACROS become their HTML."""
    escaped = html.escape(str(text), quote=False)
    for pattern, replacement in TEXT_MACROS:
        escaped = pattern.sub(replacement, escaped)
    return escaped


def number(value: float | None, digits: int = 6) -> str:
    """A float in short scientific or plain notation; '-' for None."""
    if value is None:
        return "-"
    if value == 0 or not math.isfinite(value) or 1e-3 <= abs(value) < 1e6:
        return f"{value:.{digits}g}"
    return f"{value:.{digits - 1}e}"


def table(header: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[bool] = (),
          caption: str = "") -> str:
    """An HTML table; cells are HTML already (escape text before), ``numeric`` right-aligns."""
    align = list(numeric) + [False] * (len(header) - len(numeric))
    head = "".join(f"<th {_CELL}>{h}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td {_NUMBER if right else _CELL}>{cell}</td>"
                         for cell, right in zip(row, align)) + "</tr>"
        for row in rows)
    top = f"<caption style=\"text-align: left\">{caption}</caption>" if caption else ""
    return f"{_TABLE}{top}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def status_html(status: str) -> str:
    """A claim status in its colour."""
    colour = STATUS_COLOURS.get(status, "inherit")
    return f'<span style="color: {colour}; font-weight: bold">{escape(status)}</span>'


def number_latex(value: float, digits: int = 4) -> str:
    """A float in LaTeX: ``3.14 \\times 10^{21}``, ``10^{-12}``, ``0.3``."""
    text = f"{value:.{digits}g}"
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    power = f"10^{{{int(exponent)}}}"
    return power if mantissa == "1" else rf"{mantissa} \times {power}"


def parameters_latex(values: dict[str, float | None]) -> str:
    """``$\\alpha = 0.3$, ...`` for the parameters that are set."""
    return ", ".join(f"${symbol} = {number_latex(values[name])}$"
                     for name, symbol in PARAMETER_LATEX if values.get(name) is not None)


# -- solutions ---------------------------------------------------------------------------------

def solution_html(solution: Solution) -> str:
    """One optimum: quantity, value, unit; the regime and the 50-digit check around it."""
    rows = [(escape(quantity), number(getattr(solution, field), 10), unit)
            for field, quantity, unit in SOLUTION_ROWS]
    shown = {field for field, _, _ in SOLUTION_ROWS}
    # a variant's own cost terms (the data price's data_cost), under their output names
    rows += [(escape(name), number(value, 10), "dollars") for name, value in solution.costs
             if name not in shown]
    rows.append(("50-digit check, rel. error in $n^*$", f"{solution.crosscheck_rel_error:.2e}",
                 ""))
    caption = (f"<b>{escape(solution.regime)}</b> optimum at "
               + escape(parameters_latex(asdict(solution.parameters))))
    return table(("quantity", "value", "unit"), rows, (False, True, False), caption)


def solutions_html(solutions: Solutions) -> str:
    """A batch of optima: how many points per regime and certified, the range of each output."""
    regimes = Counter(solutions.regime.ravel().tolist())
    certified = int(np.count_nonzero(solutions.certified))
    caption = (f"{solutions.n.size} optima, shape {solutions.shape}: "
               + ", ".join(f"{count} {escape(name)}" for name, count in regimes.items())
               + f"; {certified} certified")
    rows = []
    for field, quantity, unit in SOLUTION_ROWS:
        values = np.asarray(getattr(solutions, field))
        finite = values[np.isfinite(values)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (None, None)
        rows.append((escape(quantity), number(low), number(high), unit))
    return table(("quantity", "min", "max", "unit"), rows, (False, True, True, False), caption)


# -- records -----------------------------------------------------------------------------------

def display_math(expr) -> str:
    """A SymPy formula as display LaTeX, long ones broken at + and - as in the appendix."""
    shape = format_equation(expr)
    lines = shape["lines"]
    if len(lines) == 1:
        return rf"\[ {lines[0]} \]"
    return r"\[ \begin{aligned} " + r" \\ &\quad ".join(lines) + r" \end{aligned} \]"


def _heading(report: Report) -> str:
    d = report.derivation
    source = d.source or "added by profitopt"
    return f"{d.kind} ({d.id}): {d.title} [{source}]"


def record_latex(record: Record) -> str:
    """Statement, its closed forms as displays, then each claim with its status."""
    report = record.report
    d = report.derivation
    parts = [_heading(report) + ".", d.statement]
    parts += [display_math(expr) for expr in d.statement_math]
    parts += [f"Claim {c.claim.id} ({c.status.value}): {c.claim.statement}"
              for c in report.claims]
    return "\n\n".join(parts)


def record_html(record: Record) -> str:
    """Heading, statement, closed forms, and a table of claims with their status."""
    report = record.report
    d = report.derivation
    forms = "".join(f"<div>{html.escape(display_math(expr), quote=False)}</div>"
                    for expr in d.statement_math)
    rows = [(escape(c.claim.id), escape(c.claim.statement), status_html(c.status.value),
             escape(c.claim.window)) for c in report.claims]
    return (f"<div><p><b>{escape(_heading(report))}</b></p><p>{escape(d.statement)}</p>{forms}"
            + table(("claim", "statement", "status", "where"), rows) + "</div>")


def records_html(records: Records) -> str:
    """One row per claim of every record: id, statement, status; counts in the caption."""
    counts = Counter(c.status.value for r in records for c in r.report.claims)
    caption = f"{len(records)} records: " + ", ".join(f"{n} {s}" for s, n in counts.items())
    rows = [(escape(f"{r.id}/{c.claim.id}"), escape(c.claim.statement),
             status_html(c.status.value)) for r in records for c in r.report.claims]
    return table(("claim", "statement", "status"), rows, caption=escape(caption))


def reproduction_html(reproduction: Reproduction) -> str:
    """The claims summary, the files written and what happened to the PDF."""
    files = "".join(f"<li><code>{escape(str(p))}</code></li>" for p in reproduction.files)
    pdf = (f"compiled <code>{escape(str(reproduction.pdf))}</code>" if reproduction.pdf
           else f"PDF skipped: {escape(reproduction.pdf_skipped_reason)}")
    return f"{records_html(reproduction.records)}<p>{pdf}</p><ul>{files}</ul>"


# -- exponents ---------------------------------------------------------------------------------

def exponents_latex(exponents: Exponents) -> str:
    """d log Q / d log X per regime: each symbolic exponent and its value."""
    of, wrt = exponents.of.replace("_", r"\_"), exponents.wrt
    lines = [rf"\text{{{r['name']}}}: & \; {r['exponent_latex']} = {number(r['exponent'])}"
             + (rf" \;\; (\log {wrt})^{{{number(r['log_power'], 4)}}}" if r["log_power"] else "")
             for r in exponents.regimes]
    return (rf"\[ \frac{{d \log {of}^*}}{{d \log {wrt}}}: \quad \begin{{aligned}} "
            + r" \\ ".join(lines) + r" \end{aligned} \]")


def exponents_html(exponents: Exponents) -> str:
    """The regimes (symbolic exponent, value, window) and the 50-digit local exponents."""
    of, wrt = exponents.of.replace("_", r"\_"), exponents.wrt
    regimes = [(escape(r["name"]), escape(r["kind"]),
                f"${html.escape(r['exponent_latex'], quote=False)}$", number(r["exponent"]),
                number(r["log_power"], 4), escape(r["window"]["text"]))
               for r in exponents.regimes]
    local = [(number(row["x"], 4), number(row["exponent"], 9),
              "-" if row["residual"] is None else f"{row['residual']:.2e}",
              number(row["compute_ratio"], 4), escape(row["rate"] or row["regime"]))
             for row in exponents.local]
    caption = escape(rf"$d \log {of}^* / d \log {wrt}$")
    return (table(("regime", "kind", "exponent", "value", f"log {wrt} power", "where"), regimes,
                  (False, False, False, True, True, False), caption)
            + table((wrt, "local exponent (50 digits)", "residual", "inference/training FLOPs",
                     "rate"), local, (True, True, True, True, False)))


def format_table(report: dict[str, object]) -> str:
    """The exponent report (:func:`~profitopt.analysis.exponents.exponent_report`) as plain
    text: the regimes, the local exponents with their residuals, and the self-checks.

    The output of ``profitopt exponents`` and ``str`` of :class:`~profitopt.api.Exponents`.
    """
    model = f"   (model {report['model']})" if report.get("model", "paper") != "paper" else ""
    lines = [f"d log {report['of']}* / d log {report['wrt']}{model}", "", "regimes:"]
    if "laws" in report:
        lines.append(f"  {report['laws']}")
    for r in report["regimes"]:
        log = f" (log {report['wrt']})^{r['log_power']:.4g}" if r["log_power"] else ""
        lines.append(f"  {r['name']:<30} {r['kind']:<6} exponent {r['exponent']:.6g}{log}"
                     f"   [{r['window']['text']}]")
    lines += ["", "local exponents (50 digits) and residual against the rate of the window:",
              f"  {report['wrt']:>12}  {'exponent':>12}  {'residual':>10}  "
              f"{'infer/train FLOPs':>17}  rate"]
    for row in report["local"]:
        exponent = "-" if row["exponent"] is None else f"{row['exponent']:.8f}"
        residual = "-" if row["residual"] is None else f"{row['residual']:.2e}"
        ratio = "-" if row["compute_ratio"] is None else f"{row['compute_ratio']:.4g}"
        lines.append(f"  {row['x']:>12.4g}  {exponent:>12}  {residual:>10}  {ratio:>17}  "
                     f"{row['rate'] or row['regime']}")
    lines += ["", f"self-check (|residual| <= {RATE_TOLERANCE:g} max(1, |k|), plus |m|/log x "
                  f"for a law with (log x)^m, at the point deepest inside each window, if at "
                  f"least {FAR_DECADES:g} decades inside):"]
    if "self_check" in report:
        lines.append(f"  {report['self_check']}")
    for check in report["checks"]:
        if not check["checked"] and check["decades_inside"] < FAR_DECADES:
            verdict = (f"not checked: the deepest sample, {report['wrt']} = {check['x']:.4g}, "
                       f"lies {check['decades_inside']:.2g} decades inside")
        elif not check["checked"]:
            verdict = (f"not established: at the deepest sample, {report['wrt']} = "
                       f"{check['x']:.4g}, the terms the law keeps are only "
                       f"{100 * check['leading_share']:.3g}% of the quantity (residual "
                       f"{check['residual']:.2e})")
        else:
            verdict = (f"{'agrees' if check['passed'] else 'DISAGREES'} at {report['wrt']} = "
                       f"{check['x']:.4g} (residual {check['residual']:.2e}, tolerance "
                       f"{check['tolerance']:.3g})")
        lines.append(f"  {check['rate']:<30} {verdict}")
    return "\n".join(lines)


#: The columns of the trends table: (kind, quantity, heading).
TREND_COLUMNS = (("bound", "train_cost", "bound $"), ("bound", "train_flops", "bound FLOP"),
                 ("tight", "train_cost", "tight $"), ("tight", "train_flops", "tight FLOP"),
                 ("reported", "train_cost", "paper $"),
                 ("reported", "train_flops", "paper FLOP"))


def format_trends(report: dict[str, object]) -> str:
    """The trends report (:func:`~profitopt.analysis.trends.trends_report`) as plain text:
    per scenario its inputs with their sources, one row per gamma of yearly factors
    ($ = training spend, FLOP = training compute) with the verdict, and the break-even
    gamma of each law."""
    lines: list[str] = []
    crossings = {entry["name"]: entry for entry in report["break_even"]}
    by_name: dict[str, list[dict]] = {}
    for row in report["scenarios"]:
        by_name.setdefault(row["name"], []).append(row)
    for name, rows in by_name.items():
        first = rows[0]
        inputs, seen = first["inputs"], first["observed"]
        lines += [f"scenario {name} ({first['regime']}): {first['summary']}",
                  f"  exponents alpha = {number(inputs['alpha'])}, beta = "
                  f"{number(inputs['beta'])}  [{inputs['exponents_source']}]"]
        for key, rate in inputs["growth"].items():
            lines.append(f"  {key} grows {rate['exact']} = {number(rate['factor'], 4)}x a year"
                         f"  [{rate['source']}]")
        given = "training FLOPs" if seen["given"] == "train_flops" else "training spend"
        lines.append(f"  observed: {given} {number(seen[seen['given']], 4)}x a year "
                     f"(FLOPs {number(seen['train_flops'], 4)}x, spend "
                     f"{number(seen['train_cost'], 4)}x)  [{seen['source']}]")
        header = ["gamma"] + [heading for _, _, heading in TREND_COLUMNS] + ["verdict"]
        cells = [[number(row["gamma"], 4)]
                 + [number(row["permitted"][kind][quantity], 4)
                    for kind, quantity, _ in TREND_COLUMNS] + [row["verdict"]]
                 for row in rows]
        widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(header)]
        lines.append("  " + "  ".join(h.rjust(w) if i < len(header) - 1 else h
                                      for i, (h, w) in enumerate(zip(header, widths))))
        for c in cells:
            lines.append("  " + "  ".join(v.rjust(w) if i < len(c) - 1 else v
                                          for i, (v, w) in enumerate(zip(c, widths))))
        crossing = crossings.get(name)
        if crossing:
            parts = []
            for kind in ("bound", "tight", "reported"):
                roots = crossing[kind]["gamma"]
                shown = ", ".join(number(r, 4) for r in roots) if roots else "none"
                parts.append(f"{kind} {shown}")
            lines.append("  break-even gamma (permitted FLOPs = observed FLOPs): "
                         + "; ".join(parts))
        lines.append("")
    lines += [f"{kind}: {text}" for kind, text in report["kinds"].items()]
    lines += [f"note: {note}" for note in report["notes"]]
    return "\n".join(lines)
