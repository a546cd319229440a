"""Command line: ``profitopt solve``, ``profitopt exponents`` and ``profitopt reproduce``.

Errors in the input print one line on stderr and exit with status 2; a
disagreement between independent computations exits with status 3.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from .errors import InputError, VerificationFailed
from .pdf import LatexFailed

EXIT_INPUT = 2
EXIT_VERIFICATION = 3
EXIT_LATEX = 4

#: solve's flags: (flag, Parameters field, meaning, required)
SOLVE_FLAGS = (
    ("--alpha", "alpha", "parameter exponent alpha > 0", True),
    ("--beta", "beta", "data exponent beta > 0", True),
    ("--a", "a", "parameter efficiency a > 0", True),
    ("--b", "b", "data efficiency b > 0", True),
    ("--omega", "omega", "willingness-to-pay scale omega > 0", True),
    ("--delta", "delta", "inverse-demand slope delta > 0", True),
    ("--gamma", "gamma", "demand-link shape gamma (bounded range: see README)", True),
    ("--E", "E", "hardware efficiency E > 0, FLOPs per dollar", True),
    ("--D", "D", "data cap D > 0 tokens (data-bound regime)", False),
)


class _Parser(argparse.ArgumentParser):
    """argparse that raises InputError instead of printing usage and exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise InputError(message)


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    """The ``profitopt`` argument parser."""
    parser = _Parser(prog="profitopt", allow_abbrev=False,
                     description="Derive, verify and typeset the theory of profit-optimal "
                                 "LLM training.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    solve = commands.add_parser("solve", allow_abbrev=False,
                                help="profit-optimal n, d, t for one parameter set")
    for flag, dest, meaning, required in SOLVE_FLAGS:
        solve.add_argument(flag, dest=dest, type=_number, required=required, help=meaning,
                           metavar="X")
    solve.add_argument("--json", action="store_true", help="print one JSON object")
    exponents = commands.add_parser("exponents", allow_abbrev=False,
                                    help="symbolic exponents per regime and numeric local "
                                         "exponents of the optimum")
    exponents.add_argument("--of", required=True, metavar="Q",
                           help="n, d, t, train_flops, train_cost or profit")
    exponents.add_argument("--wrt", required=True, choices=("E", "D"),
                           help="the variable (E: hardware efficiency, D: data cap)")
    for flag, dest, meaning, required in SOLVE_FLAGS:
        exponents.add_argument(flag, dest=dest, type=_number, metavar="X", help=meaning,
                               required=required and dest != "E")
    exponents.add_argument("--from", dest="start", type=_number, default=None, metavar="X",
                           help="first value of the variable (default 1e8 for E, 1e6 for D)")
    exponents.add_argument("--to", dest="stop", type=_number, default=None, metavar="X",
                           help="last value (default 1e40 for E, 1e12 for D)")
    exponents.add_argument("--points", type=int, default=17, metavar="K",
                           help="number of log-spaced values (default 17)")
    exponents.add_argument("--json", action="store_true", help="print one JSON object")
    sweep = commands.add_parser("sweep", allow_abbrev=False,
                                help="solve a grid of parameter sets, write a CSV")
    sweep.add_argument("--grid", action="append", required=True, metavar="SPEC",
                       help="NAME=lo:hi[:log]:count (repeatable; first varies slowest)")
    for flag, dest, meaning, _ in SOLVE_FLAGS:
        sweep.add_argument(flag, dest=dest, type=_number, metavar="X", default=None,
                           help=meaning + " (fixed; or give a --grid)")
    sweep.add_argument("--out", type=Path, required=True, help="CSV file to write")
    sweep.add_argument("--check", type=int, default=20, metavar="K",
                       help="points re-solved at 50 digits for the error summary (default 20)")
    reproduce = commands.add_parser("reproduce", allow_abbrev=False,
                                    help="verify every claim; write claims.json and "
                                         "derivations.tex")
    reproduce.add_argument("--out", type=Path, default=Path("profitopt-out"),
                           help="output directory (default: ./profitopt-out)")
    reproduce.add_argument("--no-pdf", action="store_true",
                           help="do not compile appendix.pdf")
    return parser


def _solve(args: argparse.Namespace) -> int:
    from .numeric.optimum import solve
    from .numeric.parameters import Parameters

    params = Parameters(**{dest: getattr(args, dest) for _, dest, _, _ in SOLVE_FLAGS})
    solution = solve(params)
    if args.json:
        print(json.dumps(solution.as_dict()))
        return 0
    rows = [
        ("regime", solution.regime),
        ("parameters n*", f"{solution.n:.10g}"),
        ("training tokens d*", f"{solution.d:.10g}"),
        ("served tokens t*", f"{solution.t:.10g}"),
        ("quality q*", f"{solution.q:.10g}"),
        ("profit", f"{solution.profit:.10g}"),
        ("training FLOPs 6nd", f"{solution.train_flops:.10g}"),
        ("training cost 6nd/E", f"{solution.train_cost:.10g}"),
        ("inference cost 2nt/E", f"{solution.infer_cost:.10g}"),
        ("50-digit check, rel. error in n", f"{solution.crosscheck_rel_error:.2e}"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


def _exponents(args: argparse.Namespace) -> int:
    from .exponents import exponent_report, format_table
    from .numeric.parameters import Parameters
    from .progress import ProgressBar

    defaults = {"E": (1e8, 1e40), "D": (1e6, 1e12)}[args.wrt]
    start = defaults[0] if args.start is None else args.start
    stop = defaults[1] if args.stop is None else args.stop
    if args.wrt == "D" and args.E is None:
        raise InputError("--wrt D needs --E (hardware efficiency held fixed)")
    values = {dest: getattr(args, dest) for _, dest, _, _ in SOLVE_FLAGS}
    if values["E"] is None:
        values["E"] = start
    report = exponent_report(Parameters(**values), args.of, args.wrt, start, stop, args.points,
                             ProgressBar())
    print(json.dumps(report) if args.json else format_table(report))
    return 0


def _sweep(args: argparse.Namespace) -> int:
    from .progress import ProgressBar
    from .sweep import parse_grid, run_sweep

    if args.check < 0:
        raise InputError("--check must be >= 0")
    axes = [parse_grid(spec) for spec in args.grid]
    fixed = {dest: getattr(args, dest) for _, dest, _, _ in SOLVE_FLAGS}
    print(run_sweep(axes, fixed, args.out, args.check, ProgressBar()))
    return 0


def _reproduce(args: argparse.Namespace) -> int:
    from .progress import ProgressBar
    from .reproduce import reproduce

    outcome = reproduce(args.out, pdf=not args.no_pdf, progress=ProgressBar())
    statuses = [c.status.value for r in outcome.reports for c in r.claims]
    summary = ", ".join(f"{statuses.count(s)} {s}" for s in dict.fromkeys(statuses))
    print(f"wrote {len(outcome.files)} files to {args.out}: {summary}")
    if outcome.pdf is not None:
        print(f"compiled {outcome.pdf}")
    elif outcome.pdf_skipped_reason != "--no-pdf":
        print(f"profitopt: appendix.pdf skipped: {outcome.pdf_skipped_reason}", file=sys.stderr)
    if not all(r.consistent for r in outcome.reports):
        failed = [f"{r.derivation.id}/{c.claim.id}" for r in outcome.reports for c in r.claims
                  if c.status.value == "not reproduced"]
        raise VerificationFailed("internal cross-checks disagree for " + ", ".join(failed))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``profitopt`` console script."""
    try:
        args = build_parser().parse_args(argv)
        handler = {"solve": _solve, "exponents": _exponents, "sweep": _sweep,
                   "reproduce": _reproduce}[args.command]
        return handler(args)
    except InputError as error:
        print(f"profitopt: error: {error}", file=sys.stderr)
        return EXIT_INPUT
    except VerificationFailed as error:
        print(f"profitopt: verification failed: {error}", file=sys.stderr)
        return EXIT_VERIFICATION
    except LatexFailed as error:
        print(f"profitopt: {error}", file=sys.stderr)
        return EXIT_LATEX


if __name__ == "__main__":
    raise SystemExit(main())
