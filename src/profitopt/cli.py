"""Command line: ``profitopt solve``, ``exponents``, ``sweep``, ``reproduce``, ``sigma``,
``trends`` and ``model``.

It parses and prints; the work is done by the modules it calls.  Errors in the
input print one line on stderr and exit with status 2; a disagreement between
independent computations exits with status 3.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Sequence

from . import __version__
from .errors import InputError, VerificationFailed
from .paramspec import LAW_PARAMETERS, MODEL_SUMMARIES, MODELS, PAPER, ParamSpec
from .pdf import LatexFailed

EXIT_INPUT = 2
EXIT_VERIFICATION = 3
EXIT_LATEX = 4
EXIT_INTERRUPTED = 130



def parameter_flags(specs: tuple[ParamSpec, ...]) -> tuple[tuple[str, str, str, bool], ...]:
    """A model's flags, generated from its declared parameters: (flag, Parameters field,
    help, required)."""
    return tuple((spec.flag, spec.name, spec.help, not spec.optional) for spec in specs)


#: What ``profitopt reproduce`` writes into its --out directory (see reproduce.reproduce).
REPRODUCE_FILES = ("claims.json", "appendix.tex", "appendix-body.tex", "figures/*.pdf",
                   "appendix.pdf")
_WRITES = (f"reproduce writes {', '.join(REPRODUCE_FILES[:-1])} and, when a LaTeX engine "
           f"is installed, {REPRODUCE_FILES[-1]}")


class _Parser(argparse.ArgumentParser):
    """argparse that raises InputError instead of printing usage and exiting, and reads
    ``-1e-3`` as a number, not an option."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # argparse before Python 3.13 takes only -N and -N.N for negative numbers, so the
        # value of "--gamma -1e-3" looked like an option; this is 3.13's pattern (no
        # option of ours starts with a digit).
        self._negative_number_matcher = re.compile(r"-\.?\d")

    def error(self, message: str) -> None:  # type: ignore[override]
        raise InputError(message)


def _number(text: str) -> float:
    from .numeric.parameters import parse_number

    try:
        return parse_number(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _count(text: str) -> int:
    from .numeric.parameters import parse_count

    try:
        return parse_count(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def resolve_model(text: str) -> str:
    """``--model``'s value: a built-in model's name, or a model file's path (read, checked
    and derived by :func:`profitopt.models.resolve.resolve`), as the name to pass on."""
    from .models.resolve import resolve

    return resolve(text)


#: The commands that take ``--model`` (and the chosen model's parameter flags).
MODEL_COMMANDS = ("solve", "exponents", "sweep", "reproduce")


def requested_model(argv: Sequence[str]) -> str:
    """What ``--model`` in ``argv`` names, as given, or "paper"."""
    return _option_value(argv, "--model") or "paper"


#: ``--law``: the scaling law, as the built-in model that has it.
LAWS = {"leontief": "paper", "additive": "additive", "ces": "ces"}
#: ``profitopt sigma``'s parameter flags: those of the smooth laws (the CES family's).
SIGMA_PARAMETERS = LAW_PARAMETERS["ces"]


def law_model(words: Sequence[str]) -> str | None:
    """The model ``--law`` in ``words`` selects (None without --law); InputError for an
    unknown law or one that disagrees with ``--model``."""
    law = _option_value(words, "--law")
    if law is None:
        return None
    if law not in LAWS:
        raise InputError(f"--law {law!r}: choose from {', '.join(LAWS)}")
    chosen = _option_value(words, "--model")
    if chosen is not None and chosen != LAWS[law]:
        raise InputError(f"--law {law} and --model {chosen} disagree: give one of them")
    return LAWS[law]


def preset_defaults(words: Sequence[str], model: str) -> dict[str, float]:
    """The coefficients ``--preset`` in ``words`` gives (empty without --preset), as defaults
    for the model's flags; InputError for an unknown preset or a model without A and B."""
    name = _option_value(words, "--preset")
    if name is None:
        return {}
    from .models.presets import preset

    values = preset(name).values()
    names = {spec.name for spec in MODELS.get(model, PAPER)}
    if not set(LAW_PARAMETERS["additive"]) <= names:
        raise InputError(f"--preset {name}: presets are fits of the additive law (A, B, alpha, "
                         "beta); use it with --law additive or --law ces")
    return {key: value for key, value in values.items() if key in names}


def _option_value(words: Sequence[str], option: str) -> str | None:
    """The value given to ``option`` in ``words`` (last one wins), or None."""
    value = None
    for i, word in enumerate(words):
        if word == option and i + 1 < len(words):
            value = words[i + 1]
        elif word.startswith(option + "="):
            value = word.split("=", 1)[1]
    return value


def _with_option_value(words: Sequence[str], option: str, value: str) -> list[str]:
    """``words`` with every value given to ``option`` replaced by ``value``."""
    out = list(words)
    for i, word in enumerate(out):
        if word == option and i + 1 < len(out):
            out[i + 1] = value
        elif word.startswith(option + "="):
            out[i] = f"{option}={value}"
    return out


def _preset_names() -> tuple[str, ...]:
    from .models.presets import presets

    return tuple(presets())


def _model_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--model", type=resolve_model, default="paper", metavar="MODEL",
                         help="a built-in model: " + "; ".join(
                             f"{name}, {summary}" for name, summary in MODEL_SUMMARIES.items())
                         + "; or a model file (.toml, see `profitopt model init`). Default "
                           "paper; its parameters' flags follow")


def build_parser(model: str = "paper", argv_words: Sequence[str] = (),
                 defaults: dict[str, float] | None = None) -> argparse.ArgumentParser:
    """The ``profitopt`` argument parser; the parameter flags are ``model``'s (``argv_words``:
    the words to be parsed, read for exponents' ``--wrt``, whose flag is then optional;
    ``defaults``: values a --preset gives, which make those flags optional)."""
    defaults = defaults or {}
    parser = _Parser(prog="profitopt", allow_abbrev=False,
                     description="Derive, verify and typeset the theory of profit-optimal "
                                 "LLM training.",
                     epilog=f"Numbers are ASCII decimals (-1e-3, .5); {_WRITES}. Exit "
                            "status: 2 bad input, 3 a cross-check disagrees, 4 LaTeX failed.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    solve = commands.add_parser("solve", allow_abbrev=False,
                                help="profit-optimal n, d, t for one parameter set")
    _model_option(solve)
    solve.add_argument("--law", choices=tuple(LAWS), default=None,
                       help="the scaling law: leontief (the paper's model), additive "
                            "(Chinchilla, q = 1/(A n^-alpha + B d^-beta)) or ces; adds sigma "
                            "and tokens_per_parameter to the output")
    solve.add_argument("--preset", default=None, metavar="NAME",
                       help="fitted coefficients A, B, alpha, beta of the additive law: "
                            f"{', '.join(_preset_names())} (flags given override them)")
    specs = MODELS.get(model, PAPER)
    for spec in specs:
        default = defaults.get(spec.name, spec.default)
        solve.add_argument(spec.flag, dest=spec.name, type=_number, metavar="X",
                           required=not spec.optional and default is None,
                           default=default, help=spec.help)
    solve.add_argument("--json", action="store_true", help="print one JSON object")
    sigma = commands.add_parser(
        "sigma", allow_abbrev=False,
        help="the elasticity of substitution between n and d of a scaling law, at a point "
             "or on the compute-optimal path, with its closed form")
    sigma.add_argument("--law", choices=tuple(LAWS), default="additive",
                       help="the scaling law (default additive)")
    sigma.add_argument("--preset", default=None, metavar="NAME",
                       help=f"fitted coefficients: {', '.join(_preset_names())}")
    for spec in MODELS["ces"]:
        if spec.name in SIGMA_PARAMETERS:
            sigma.add_argument(spec.flag, dest=spec.name, type=_number, default=None,
                               metavar="X", help=f"{spec.meaning} (or from --preset)")
    sigma.add_argument("--n", type=_number, default=None, metavar="X", help="parameters n")
    sigma.add_argument("--d", type=_number, default=None, metavar="X", help="training tokens d")
    sigma.add_argument("--path", choices=("compute-optimal",), default=None,
                       help="sigma along the compute-optimal path (6nd least at fixed q) "
                            "instead of at (n, d)")
    sigma.add_argument("--json", action="store_true", help="print one JSON object")
    exponents = commands.add_parser("exponents", allow_abbrev=False,
                                    help="symbolic exponents per regime and numeric local "
                                         "exponents of the optimum")
    _model_option(exponents)
    exponents.add_argument("--of", required=True, metavar="Q",
                           help="n, d, t, q, profit or one of the model's cost and FLOP "
                                "fields (the paper: train_flops, train_cost, infer_cost)")
    exponents.add_argument("--wrt", required=True, metavar="P",
                           help="the variable: a positive parameter of the model (the paper: "
                                "E, hardware efficiency, or D, the data cap)")
    wrt = _option_value(argv_words, "--wrt")
    for spec in specs:
        exponents.add_argument(spec.flag, dest=spec.name, type=_number, metavar="X",
                               help=spec.help, default=spec.default,
                               required=not spec.optional and spec.default is None
                               and spec.name not in ("E", wrt))
    exponents.add_argument("--from", dest="start", type=_number, default=None, metavar="X",
                           help="first value of the variable (default 1e8 for E, 1e6 for D)")
    exponents.add_argument("--to", dest="stop", type=_number, default=None, metavar="X",
                           help="last value (default 1e40 for E, 1e12 for D)")
    exponents.add_argument("--points", type=_count, default=17, metavar="K",
                           help="number of log-spaced values (default 17)")
    exponents.add_argument("--json", action="store_true", help="print one JSON object")
    from .numeric.parameters import EXPONENT_RANGE, GAMMA_MAX
    from .sweep import GRID_FORMAT, MAX_POINTS, MAX_STORE_POINTS

    solve.epilog = exponents.epilog = (
        f"Supported domain: {EXPONENT_RANGE[0]:g} <= alpha, beta <= {EXPONENT_RANGE[1]:g}; "
        f"min(-1/alpha, -(alpha+beta)/(2 alpha beta)) < gamma <= {GAMMA_MAX:g}; every other "
        "parameter finite and > 0.")
    sweep = commands.add_parser(
        "sweep", allow_abbrev=False, help="solve a grid of parameter sets, write a CSV",
        epilog=f"A grid point outside the supported domain ({solve.epilog[18:]}) is a row "
               "with regime 'invalid' and its reason; the rest of the grid is solved. Exit "
               "status 3 when a sampled 50-digit re-solve fails (the CSV is written).")
    sweep.add_argument("--grid", action="append", required=True, metavar="SPEC",
                       help=f"{GRID_FORMAT}: count values from lo to hi (lo < hi), linearly "
                            "spaced (lin, the default) or log-spaced (log, lo > 0); "
                            "repeatable, one per parameter, the first varies slowest; at "
                            f"most {MAX_POINTS} points in all ({MAX_STORE_POINTS:.0e} for "
                            ".zarr)")
    _model_option(sweep)
    for spec in specs:
        sweep.add_argument(spec.flag, dest=spec.name, type=_number, metavar="X",
                           default=spec.default,
                           help=spec.help + " (fixed; or give a --grid, not both)")
    sweep.add_argument("--out", required=True, metavar="FILE",
                       help="file to write, its format by suffix: .csv (atomically), .nc "
                            "(NetCDF, labelled, atomically) or .zarr (a chunked store "
                            "written block by block; needs profitopt[distributed]); its "
                            "directory must exist. An existing file is refused unless "
                            "--force; a directory, device, pipe or socket is never replaced; "
                            "a symbolic link to a regular file counts as that file")
    sweep.add_argument("--scheduler", default=None, metavar="WHERE",
                       help="with .zarr: solve the blocks on a Dask cluster, local:N (N "
                            "worker processes started here) or tcp://HOST:PORT (a running "
                            "scheduler); default: this process")
    sweep.add_argument("--chunk", type=_count, default=None, metavar="N",
                       help="with .zarr: points per block (default 262144)")
    sweep.add_argument("--resume", action="store_true",
                       help="with .zarr: continue an interrupted sweep into its store; "
                            "blocks already written are not solved again")
    sweep.add_argument("--force", action="store_true",
                       help="replace an existing --out file")
    sweep.add_argument("--check", type=_count, default=20, metavar="K",
                       help="points re-solved at 50 digits for the error summary (default 20)")
    trends = commands.add_parser(
        "trends", allow_abbrev=False,
        help="growth of training spend and compute the model permits, against the observed",
        description="Per scenario and gamma: the yearly growth of training spend and FLOPs "
                    "permitted by the derived bound, by the tight rate and by the paper's "
                    "bounds as reported; the observed growth; a verdict; and the break-even "
                    "gamma.")
    trends.add_argument("--scenario", metavar="NAME", default=None,
                        help="one scenario of the file (default: every one)")
    trends.add_argument("--file", metavar="FILE", default=None,
                        help="a scenario file (TOML, the form --template prints; default: "
                             "the shipped scenarios)")
    trends.add_argument("--template", action="store_true",
                        help="print the shipped scenario file (a starting point for --file)")
    trends.add_argument("--json", action="store_true", help="print one JSON object")
    model_command = commands.add_parser(
        "model", allow_abbrev=False, help="model files: show one's derivation, or write the "
                                          "paper's as a starting point")
    model_actions = model_command.add_subparsers(dest="action", required=True,
                                                 parser_class=_Parser)
    show = model_actions.add_parser("show", allow_abbrev=False,
                                    help="print a model's parts, the reduction used and its "
                                         "derived optimality conditions")
    show.add_argument("file", metavar="FILE", help="a model file (.toml) or a built-in name")
    init = model_actions.add_parser("init", allow_abbrev=False,
                                    help="write the paper's model file (paper.toml)")
    init.add_argument("--out", metavar="FILE", default=None,
                      help="file to write (atomically; refused if it exists unless --force); "
                           "default: print it")
    init.add_argument("--force", action="store_true", help="replace an existing --out file")
    reproduce = commands.add_parser("reproduce", allow_abbrev=False,
                                    help="verify every claim; write " + ", ".join(
                                        REPRODUCE_FILES),
                                    description="Verify every derivation record; " + _WRITES
                                    + " into the --out directory (replacing earlier runs' "
                                      "files).")
    reproduce.add_argument("--out", default="profitopt-out", metavar="DIR",
                           help="output directory, created if missing (default: "
                                "./profitopt-out)")
    reproduce.add_argument("--no-pdf", action="store_true",
                           help="do not compile appendix.pdf")
    _model_option(reproduce)
    for command in (solve, exponents, sweep, reproduce, show):
        command.add_argument("--no-cache", action="store_true",
                             help="neither read nor write the cache of derived expressions "
                                  "(PROFITOPT_CACHE_DIR, default ~/.cache/profitopt)")
    return parser


def _solve(args: argparse.Namespace) -> int:
    from .numeric.kernels import problem
    from .numeric.optimum import solve
    from .numeric.parameters import parameters_class

    flags = parameter_flags(MODELS[args.model])
    params = parameters_class(args.model)(**{dest: getattr(args, dest)
                                              for _, dest, _, _ in flags})
    solution = solve(params)
    extra: dict[str, float] = {}
    if args.law:
        from .analysis.sigma import sigma_report

        values = {name: getattr(args, name) for name in LAW_PARAMETERS[args.law]}
        extra = {"sigma": sigma_report(args.law, values, n=solution.n, d=solution.d)["sigma"]
                 if solution.n > 0 else None,
                 "tokens_per_parameter": solution.d / solution.n if solution.n > 0 else None}
    if args.json:
        print(json.dumps({**solution.as_dict(), **extra}))
        return 0
    labels = problem(args.model).output_labels
    rows = [
        ("regime", solution.regime),
        ("model", args.model),
        ("parameters n*", f"{solution.n:.10g}"),
        ("training tokens d*", f"{solution.d:.10g}"),
        ("served tokens t*", f"{solution.t:.10g}"),
        ("quality q*", f"{solution.q:.10g}"),
        ("profit", f"{solution.profit:.10g}"),
        *((label, f"{value:.10g}") for label, (_, value) in zip(labels, solution.costs)),
        *((name, "-" if value is None else f"{value:.10g}") for name, value in extra.items()),
        ("50-digit check, rel. error in n", f"{solution.crosscheck_rel_error:.2e}"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


def _sigma(args: argparse.Namespace) -> int:
    from .analysis.sigma import sigma_report

    values = {name: getattr(args, name) for name in SIGMA_PARAMETERS}
    report = sigma_report(args.law, values, preset=args.preset, n=args.n, d=args.d,
                          path=args.path)
    if args.json:
        print(json.dumps(report))
        return 0
    closed = report["closed_form"]
    rows = [("law", report["law"]), ("sigma", f"{report['sigma']:.10g}"),
            ("closed form", closed["text"] if isinstance(closed, dict) else str(closed)),
            ("definition", report["definition"])]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


def _model(args: argparse.Namespace) -> int:
    if args.action == "init":
        from .models.loader import paper_text

        if args.out is None:
            sys.stdout.write(paper_text())
            return 0
        from .files import check_output_file, output_path, write_atomically

        path = check_output_file(output_path(args.out), force=args.force)
        write_atomically(path, paper_text())
        print(f"wrote {path}")
        return 0
    from .analysis.model_summary import summarize

    summary = summarize(resolve_model(args.file))
    width = max(len(label) for label, _ in summary.rows)
    for label, value in summary.rows:
        print(f"{label:<{width}}  {value}")
    return 0


def _trends(args: argparse.Namespace) -> int:
    from .models.scenarios import read_scenario_file, scenarios_file, select, shipped

    if args.template:
        sys.stdout.write(scenarios_file().read_text(encoding="utf-8"))
        return 0
    scenarios = shipped() if args.file is None else read_scenario_file(args.file)
    chosen = select(scenarios, args.scenario)
    from .analysis.trends import trends_report
    from .display import format_trends

    report = trends_report(chosen)
    print(json.dumps(report) if args.json else format_trends(report))
    return 0


def _exponents(args: argparse.Namespace) -> int:
    from .analysis.exponents import exponents_of, failed_checks
    from .display import format_table
    from .progress import ProgressBar

    values = {spec.name: getattr(args, spec.name) for spec in MODELS[args.model]}
    report = exponents_of(values, args.of, args.wrt, args.start, args.stop, args.points,
                          ProgressBar(), model=args.model)
    print(json.dumps(report) if args.json else format_table(report))
    failures = failed_checks(report)
    if failures:
        raise VerificationFailed("; ".join(failures))
    return 0


def _sweep(args: argparse.Namespace) -> int:
    from .files import output_path
    from .progress import ProgressBar
    from .sweep import MAX_POINTS, MAX_STORE_POINTS, parse_grids, run_sweep

    out = output_path(args.out)
    store = out.suffix == ".zarr"
    if (args.scheduler or args.chunk or args.resume) and not store:
        raise InputError("--scheduler, --chunk and --resume write a Zarr store: give "
                         "--out NAME.zarr")
    if store or out.suffix == ".nc":
        from .labelled import make_grid

        axes = parse_grids(args.grid, model=args.model,
                           limit=MAX_STORE_POINTS if store else MAX_POINTS)
        fixed = {spec.name: getattr(args, spec.name) for spec in MODELS[args.model]
                 if getattr(args, spec.name) is not None
                 and spec.name not in {axis.name for axis in axes}}
        grid = make_grid(args.model, **fixed, **{axis.name: axis.values for axis in axes})
        if store:
            from .sweep_store import run_store_sweep

            summary, failed = run_store_sweep(grid, out, chunk=args.chunk,
                                              scheduler=args.scheduler, resume=args.resume,
                                              force=args.force, samples=args.check,
                                              progress=ProgressBar())
        else:
            from .sweep_store import write_netcdf

            summary, failed = write_netcdf(grid, out, force=args.force, samples=args.check)
        print(summary)
        if failed:
            raise VerificationFailed(f"{failed} sampled checks failed (see the summary)")
        return 0

    axes = parse_grids(args.grid, model=args.model)
    fixed = {spec.name: getattr(args, spec.name) for spec in MODELS[args.model]}
    outcome = run_sweep(axes, fixed, output_path(args.out), args.check, ProgressBar(),
                        force=args.force, model=args.model)
    print(outcome.summary)
    if outcome.check.failures:
        raise VerificationFailed(f"{len(outcome.check.failures)} of "
                                 f"{outcome.check.compared} sampled points failed their "
                                 "50-digit re-solve (see the summary)")
    return 0


def _reproduce(args: argparse.Namespace) -> int:
    from .files import output_path
    from .progress import ProgressBar
    from .reproduce import reproduce

    outcome = reproduce(output_path(args.out), pdf=not args.no_pdf, progress=ProgressBar(),
                        model=args.model)
    statuses = [c.status.value for r in outcome.reports for c in r.claims]
    summary = ", ".join(f"{statuses.count(s)} {s}" for s in dict.fromkeys(statuses))
    print(f"wrote {len(outcome.files)} files to {args.out}: {summary}")
    for path in outcome.files:
        print(f"  {path}")
    if outcome.pdf is None and outcome.pdf_skipped_reason != "--no-pdf":
        print(f"profitopt: appendix.pdf skipped: {outcome.pdf_skipped_reason}", file=sys.stderr)
    if not all(r.consistent for r in outcome.reports):
        failed = [f"{r.derivation.id}/{c.claim.id}" for r in outcome.reports for c in r.claims
                  if c.status.value == "not reproduced"]
        raise VerificationFailed("internal cross-checks disagree for " + ", ".join(failed))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``profitopt`` console script."""
    try:
        words = sys.argv[1:] if argv is None else list(argv)
        model, defaults = "paper", {}
        if words[:1] == ["solve"]:
            model = law_model(words) or model
        if words[:1] and words[0] in MODEL_COMMANDS and requested_model(words) != "paper":
            # a model file is read before parsing, so that its parameters' flags exist (and
            # the parser is handed its registered name, so the file is read only once)
            if "--no-cache" in words:
                from .numeric import cache
                cache.disable()
            model = resolve_model(requested_model(words))
            words = _with_option_value(words, "--model", model)
        if words[:1] == ["solve"]:
            defaults = preset_defaults(words, model)
        args = build_parser(model, words, defaults).parse_args(words)
        if getattr(args, "law", None) and args.command == "solve":
            args.model = LAWS[args.law]
        if getattr(args, "no_cache", False):
            from .numeric import cache
            cache.disable()
    except SystemExit as stop:  # --help, --version
        return int(stop.code or 0)
    except InputError as error:
        print(f"profitopt: error: {error}", file=sys.stderr)
        return EXIT_INPUT
    try:
        handler = {"solve": _solve, "exponents": _exponents, "sweep": _sweep,
                   "reproduce": _reproduce, "model": _model, "sigma": _sigma,
                   "trends": _trends}[args.command]
        return handler(args)
    except InputError as error:
        print(f"profitopt: error: {error}", file=sys.stderr)
        return EXIT_INPUT
    except VerificationFailed as error:
        print(f"profitopt: verification failed: {error}", file=sys.stderr)
        return EXIT_VERIFICATION
    except BrokenPipeError:
        # the reader of our output went away (``| head``): stop quietly, as cat does
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except LatexFailed as error:
        print(f"profitopt: {error}", file=sys.stderr)
        return EXIT_LATEX
    except KeyboardInterrupt:
        hint = (" (a .zarr sweep keeps the blocks it wrote: --resume continues it)"
                if args.command == "sweep" else "")
        print(f"profitopt: interrupted{hint}", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    raise SystemExit(main())
