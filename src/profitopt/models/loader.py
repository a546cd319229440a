"""Model files: TOML that maps one-to-one onto a :class:`ProfitModel` value.

A model file is data from anyone, so it is read by ``tomllib`` and its expressions
by the restricted reader (:func:`profitopt.symbolic.expressions.read_expression`):
nothing in it is evaluated as Python.  Every fault (an unknown key, a missing field,
a wrong type, an expression the reader refuses, a parameter used but not declared)
is an :class:`~profitopt.errors.InputError` naming the field.  The paper's model is
``paper.toml`` in this package.
"""

from __future__ import annotations

import builtins
import hashlib
import keyword
import re
import tomllib
from dataclasses import replace
from importlib import resources
from pathlib import Path

import sympy as sp

from ..errors import InputError
from ..paramspec import LAW_PARAMETERS, ParamSpec
from ..symbolic.constraints import Cap
from ..symbolic.costs import CostTerm
from ..symbolic.expressions import ExpressionError, read_expression
from ..symbolic.profit import ProfitModel
from ..symbolic.scaling import CES, Leontief, MinOfArms
from ..symbolic.symbols import d, n, parameter_symbol, q, t
from ..symbolic.variants import paper, register

#: Largest model file read (bytes).
MAX_FILE_BYTES = 256 * 1024
#: A model's name: lower-case letters, digits and dashes.
NAME = re.compile(r"[a-z][a-z0-9-]{0,39}")
#: The variables a firm may choose, by name.
VARIABLES = {"n": n, "d": d, "t": t}
DOMAINS = ("positive", "exponent", "real")
#: Output fields every model has (a cost or FLOP field may not take these names).
RESERVED_FIELDS = ("n", "d", "t", "q", "profit", "regime", "crosscheck")

#: Names a parameter may not take: Python's keywords and built-ins, the variables and
#: log n (x), and the names the generated kernels call (lambdify writes parameters as
#: Python argument names beside these).
RESERVED_NAMES = frozenset((*keyword.kwlist, *dir(builtins), "n", "d", "t", "q", "x", "np",
                            "numpy", "math", "mpmath", "scipy", "exprel", "demand_exp",
                            "log1p", "expm1", "log", "exp", "sqrt", "Min", "Max", "min", "max",
                            "select", "where", "inf", "nan", "pi", "I", "oo", "zoo", "S"))

#: The laws a file names by preset: (law, the parameters it takes, in order).
LAW_PRESETS = {
    "leontief": (Leontief, LAW_PARAMETERS["leontief"]),
    "additive": (lambda A, B, alpha, beta: CES(A, B, alpha, beta, sp.Integer(1)),
                 LAW_PARAMETERS["additive"]),
    "ces": (CES, LAW_PARAMETERS["ces"]),
}

_TOP = {"name": str, "summary": str, "chosen": list, "parameters": dict, "law": dict,
        "demand": dict, "costs": list, "caps": list}
_PARAMETER = {"domain": str, "latex": str, "meaning": str, "unit": str, "optional": bool,
              "absent": str, "default": (int, float)}
_LAW = {"preset": str, "parameter_arm": str, "data_arm": str}
_DEMAND = {"family": str, "shape": str, "scale": str, "slope": str, "link": str}
_COST = {"field": str, "meaning": str, "expr": str, "flops": str, "flops_field": str,
         "flops_meaning": str}
_CAP = {"variable": str, "bound": str, "regime": str, "meaning": str}


def paper_file() -> Path:
    """The path of the paper's model file, ``paper.toml``, inside the package."""
    return Path(str(resources.files(__package__).joinpath("paper.toml")))


def paper_text() -> str:
    """The text of ``paper.toml`` (what ``profitopt model init`` writes)."""
    return paper_file().read_text(encoding="utf-8")


def read_model_file(path: str | Path) -> ProfitModel:
    """The model a file describes (InputError naming the field on any fault)."""
    return parse_model(read_text(path), str(path))


def read_text(path: str | Path, kind: str = "model file") -> str:
    """A ``kind``'s text: a regular file of at most MAX_FILE_BYTES of UTF-8 (the size is
    checked before reading, and again on what was read)."""
    path = Path(path)
    try:
        if not path.is_file():
            raise InputError(f"{path}: not a {kind} (no such regular file)")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InputError(f"{path}: larger than {MAX_FILE_BYTES} bytes; a {kind} is "
                             "a few kilobytes")
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(f"{path}: larger than {MAX_FILE_BYTES} bytes; a {kind} is a few "
                         "kilobytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None


def parse_model(text: str, source: str = "<model>") -> ProfitModel:
    """The model the TOML ``text`` describes.  A model whose parts equal the paper's is named
    ``paper``; any other gets its file's name plus the text's SHA-256 prefix."""
    return _parse(text, source)[0]


def _parse(text: str, source: str) -> tuple[ProfitModel, dict]:
    """:func:`parse_model`, with the TOML data it read."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{source}: not TOML: {error}") from None
    _check_keys(data, _TOP, source, required=("name", "parameters", "law", "demand", "costs"))
    name = data["name"]
    if not NAME.fullmatch(name):
        raise InputError(f"{source}: name {name!r} must be lower-case letters, digits and "
                         "dashes, starting with a letter (at most 40)")
    specs = tuple(_parameter(key, value, source) for key, value in data["parameters"].items())
    symbols = {spec.name: parameter_symbol(spec) for spec in specs}
    clash = set(symbols) & (set(VARIABLES) | {"q"})
    if clash:
        raise InputError(f"{source}: parameters: {sorted(clash)[0]!r} is a variable's name")
    chosen = tuple(_variable(v, f"{source}: chosen") for v in data.get("chosen", ["n", "d", "t"]))
    law = _law(data["law"], symbols, f"{source}: law")
    shape, scale, slope = _demand(data["demand"], symbols, specs, f"{source}: demand")
    costs = tuple(_cost(i, c, symbols, f"{source}: costs[{i}]")
                  for i, c in enumerate(_table_list(data["costs"], f"{source}: costs")))
    caps = tuple(_cap(i, c, symbols, specs, f"{source}: caps[{i}]")
                 for i, c in enumerate(_table_list(data.get("caps", []), f"{source}: caps")))
    outputs = [f for term in costs for f in (term.field, term.flops_field) if f]
    for field in outputs:
        if outputs.count(field) > 1:
            raise InputError(f"{source}: costs: the output field {field!r} is named twice")
    regimes = [cap.regime for cap in caps]
    for regime in regimes:
        if regimes.count(regime) > 1:
            raise InputError(f"{source}: caps: the regime {regime!r} is named twice")
    capped = [cap.variable for cap in caps]
    for variable in set(capped):
        if capped.count(variable) > 1:
            raise InputError(f"{source}: caps: {capped.count(variable)} caps on {variable}; a "
                             "variable takes at most one cap")
        if variable not in chosen:
            raise InputError(f"{source}: caps: {variable} is capped but not chosen")
    try:
        model = ProfitModel(law=law, shape=shape, omega=scale, delta=slope,
                            efficiency=symbols.get("E", sp.Symbol("E", positive=True)),
                            costs=costs, caps=caps, chosen=chosen, parameters=specs, name=name)
    except ValueError as error:
        raise InputError(f"{source}: {error}") from None
    # A file whose parts are the paper's is the paper's model, whatever its name or comments;
    # any other model is named with its text's SHA-256 prefix, so two files never share a
    # name or a cache entry.
    if replace(model, name="paper") == paper():
        return replace(model, name="paper"), data
    return replace(model, name=f"{name}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"), data


def load(path: str | Path) -> str:
    """Read a model file and make it known by name (see
    :func:`~profitopt.symbolic.variants.register`); returns the name to pass on."""
    model, data = _parse(read_text(path), str(path))
    summary = data.get("summary", "")
    try:
        return register(model, summary or f"the model of {Path(path).name}")
    except ValueError as error:
        raise InputError(f"{path}: {error}") from None


def _check_keys(table: dict, fields: dict, where: str, required: tuple[str, ...]) -> None:
    for key, value in table.items():
        if key not in fields:
            raise InputError(f"{where}: unknown key {key!r} (known: {', '.join(fields)})")
        if not isinstance(value, fields[key]) or isinstance(value, bool) and fields[key] != bool:
            expected = fields[key].__name__ if isinstance(fields[key], type) else "number"
            raise InputError(f"{where}: {key} must be a {_type_name(expected)}, got "
                             f"{type(value).__name__}")
        if key in PROSE:
            _check_prose(value, f"{where}.{key}")
        elif key == "latex":
            _check_latex(value, f"{where}.{key}")
    _require(table, required, where)


def _require(table: dict, required: tuple[str, ...], where: str) -> None:
    for key in required:
        if key not in table:
            raise InputError(f"{where}: missing field {key!r}")


#: Fields of plain text that the appendix prints (as text, escaped).
PROSE = ("summary", "meaning", "unit", "absent", "flops_meaning")
#: Longest plain-text or LaTeX field.
MAX_TEXT = 200
#: Characters a plain-text field may not hold: LaTeX's specials (the appendix is built
#: from these fields) and control characters.
_NOT_PROSE = re.compile(r"[\\{}$%#&~^\x00-\x1f\x7f]")
#: The LaTeX a parameter's symbol may be written in: letters, digits, sub- and
#: superscripts, braces, primes and these commands (Greek letters and accents).
LATEX_COMMANDS = frozenset((
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu "
    "nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma "
    "Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega mathrm mathit mathbf mathcal "
    "tilde hat bar prime").split())
_LATEX_TOKEN = re.compile(r"\\([A-Za-z]+)|[A-Za-z0-9_^{}',. ]")


def _check_prose(value: str, where: str) -> None:
    if len(value) > MAX_TEXT:
        raise InputError(f"{where}: longer than {MAX_TEXT} characters")
    bad = _NOT_PROSE.search(value)
    if bad:
        raise InputError(f"{where}: plain text may not contain {bad.group()!r} (LaTeX specials "
                         "and control characters are refused; the appendix typesets this text)")


def _check_latex(value: str, where: str) -> None:
    """A parameter's LaTeX: whitelisted tokens only, braces balanced (no \\input, no
    \\write, no catcode tricks reach the appendix)."""
    if not value or len(value) > MAX_TEXT:
        raise InputError(f"{where}: must be 1 to {MAX_TEXT} characters")
    depth, position = 0, 0
    while position < len(value):
        match = _LATEX_TOKEN.match(value, position)
        if match is None or match.group(1) and match.group(1) not in LATEX_COMMANDS:
            token = match.group() if match else value[position]
            raise InputError(f"{where}: '{token}' at column {position + 1} is not allowed in a "
                             "symbol's LaTeX (letters, digits, _ ^ {} ' and Greek letters or "
                             "accents such as \\alpha, \\hat)")
        depth += {"{": 1, "}": -1}.get(match.group(), 0)
        if depth < 0:
            raise InputError(f"{where}: unbalanced '}}' at column {position + 1}")
        position = match.end()
    if depth:
        raise InputError(f"{where}: unbalanced braces")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _type_name(name: str) -> str:
    return {"str": "string", "dict": "table", "list": "array", "bool": "boolean"}.get(name, name)


def _table_list(value: list, where: str) -> list[dict]:
    if not all(isinstance(item, dict) for item in value):
        raise InputError(f"{where}: must be an array of tables ([[...]])")
    return value


def _parameter(name: str, table: object, source: str) -> ParamSpec:
    where = f"{source}: parameters.{name}"
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,19}", name) or name.startswith("log_"):
        raise InputError(f"{where}: a parameter name is a letter then letters, digits or _ "
                         "(not log_...)")
    if name in RESERVED_NAMES:
        raise InputError(f"{where}: {name!r} is reserved (a Python keyword or built-in, a "
                         "variable, or a function the kernels call); choose another name")
    if not isinstance(table, dict):
        raise InputError(f"{where}: must be a table")
    _check_keys(table, _PARAMETER, where, required=("domain", "latex", "meaning"))
    if table["domain"] not in DOMAINS:
        raise InputError(f"{where}: domain must be one of {', '.join(DOMAINS)}, got "
                         f"{table['domain']!r}")
    default = table.get("default")
    if default is not None:
        default = float(default)
        if table["domain"] != "real" and not default > 0:
            raise InputError(f"{where}: default {default!r} outside the domain (must be > 0)")
    return ParamSpec(name, table["meaning"], table.get("unit", ""), table["latex"],
                     table["domain"], table.get("optional", False), table.get("absent", ""),
                     default)


def _variable(name: object, where: str) -> sp.Symbol:
    if name not in VARIABLES:
        raise InputError(f"{where}: {name!r} is not a variable (n, d or t)")
    return VARIABLES[name]


def _expression(text: str, symbols: dict[str, sp.Symbol], where: str,
                variables: tuple[str, ...]) -> sp.Expr:
    allowed = {**symbols, **{v: VARIABLES[v] for v in variables}}
    try:
        return read_expression(text, allowed, field=where)
    except ExpressionError as error:
        raise InputError(str(error) if where in str(error) else f"{where}: {error}") from None


def _law(table: dict, symbols: dict[str, sp.Symbol], where: str):
    _check_keys(table, _LAW, where, required=())
    if "preset" in table:
        if set(table) != {"preset"}:
            raise InputError(f"{where}: give either preset or parameter_arm and data_arm")
        if table["preset"] not in LAW_PRESETS:
            raise InputError(f"{where}: preset {table['preset']!r} is not known "
                             f"({', '.join(LAW_PRESETS)})")
        law, uses = LAW_PRESETS[table["preset"]]
        missing = [s for s in uses if s not in symbols]
        if missing:
            raise InputError(f"{where}: the {table['preset']} preset uses parameters "
                             f"{', '.join(uses)}; not declared: {', '.join(missing)}")
        return law(*(symbols[s] for s in uses))
    if set(table) != {"parameter_arm", "data_arm"}:
        raise InputError(f"{where}: give either preset or both parameter_arm and data_arm")
    arm_n = _expression(table["parameter_arm"], symbols, f"{where}.parameter_arm", ("n",))
    arm_d = _expression(table["data_arm"], symbols, f"{where}.data_arm", ("d",))
    for arm, variable, key in ((arm_n, n, "parameter_arm"), (arm_d, d, "data_arm")):
        if not sp.diff(arm, variable).is_positive:
            raise InputError(f"{where}.{key}: the arm {arm} is not increasing in {variable} "
                             "for every positive value (SymPy cannot establish it)")
    return MinOfArms(arm_n, arm_d)


def _demand(table: dict, symbols: dict[str, sp.Symbol], specs: tuple[ParamSpec, ...],
            where: str) -> tuple[sp.Symbol, sp.Symbol, sp.Symbol]:
    _check_keys(table, _DEMAND, where, required=())
    if "link" in table:
        # read (so that hostile text gets the reader's refusal), then refused with the reason
        link = _expression(table["link"], {**symbols, "q": q}, f"{where}.link", ())
        raise InputError(f"{where}.link: a demand link written as an expression "
                         f"({_short(sp.sstr(link))}) is not supported: the solver's log-space "
                         "balance, the margin's peak and the bounded range are derived for the "
                         "paper's family; give family = \"paper\" and its shape")
    _require(table, ("family", "shape", "scale", "slope"), where)
    if table["family"] != "paper":
        raise InputError(f"{where}: family {table['family']!r} is not supported (paper)")
    domains = {spec.name: spec.domain for spec in specs}
    for key, domain in (("shape", "real"), ("scale", "positive"), ("slope", "positive")):
        value = table[key]
        if value not in symbols:
            raise InputError(f"{where}.{key}: {value!r} is not a declared parameter")
        if domains[value] != domain:
            raise InputError(f"{where}.{key}: {value!r} must have domain {domain!r}")
    reals = [spec.name for spec in specs if spec.domain == "real"]
    if reals != [table["shape"]]:
        raise InputError(f"{where}: the demand shape must be the only parameter with domain "
                         f"'real' (found {', '.join(reals)})")
    return symbols[table["shape"]], symbols[table["scale"]], symbols[table["slope"]]


def _cost(index: int, table: dict, symbols: dict[str, sp.Symbol], where: str) -> CostTerm:
    _check_keys(table, _COST, where, required=("field", "meaning", "expr"))
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,29}", table["field"]) \
            or table["field"] in RESERVED_FIELDS:
        raise InputError(f"{where}.field: {table['field']!r} must be a lower-case name other "
                         f"than {', '.join(RESERVED_FIELDS)}")
    expr = _expression(table["expr"], symbols, f"{where}.expr", ("n", "d", "t"))
    flops = None
    if "flops" in table:
        if "flops_field" not in table:
            raise InputError(f"{where}: missing field 'flops_field' (flops is given)")
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,29}", table["flops_field"]) \
                or table["flops_field"] in RESERVED_FIELDS:
            raise InputError(f"{where}.flops_field: {table['flops_field']!r} must be a "
                             f"lower-case name other than {', '.join(RESERVED_FIELDS)}")
        flops = _expression(table["flops"], symbols, f"{where}.flops", ("n", "d", "t"))
    return CostTerm(table["field"], table["meaning"], expr, flops, table.get("flops_field"),
                    table.get("flops_meaning", table.get("flops_field")))


def _cap(index: int, table: dict, symbols: dict[str, sp.Symbol],
         specs: tuple[ParamSpec, ...], where: str) -> Cap:
    _check_keys(table, _CAP, where, required=("variable", "bound", "regime"))
    variable = _variable(table["variable"], f"{where}.variable")
    if variable == t:
        raise InputError(f"{where}.variable: a cap on served tokens t is not supported (n, d)")
    bound = table["bound"]
    spec = {s.name: s for s in specs}.get(bound)
    if spec is None:
        raise InputError(f"{where}.bound: {bound!r} is not a declared parameter")
    if spec.domain != "positive":
        raise InputError(f"{where}.bound: {bound!r} must have domain 'positive' (a cap is a "
                         "positive quantity)")
    if not re.fullmatch(r"[a-z][a-z0-9-]{0,29}", table["regime"]):
        raise InputError(f"{where}.regime: {table['regime']!r} must be lower-case letters, "
                         "digits and dashes, starting with a letter")
    if table["regime"] in ("compute-bound", "shutdown", "out-of-range", "invalid"):
        raise InputError(f"{where}.regime: {table['regime']!r} is reserved")
    return Cap(variable, symbols[bound], table["regime"], table.get("meaning", ""))
