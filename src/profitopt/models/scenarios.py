"""Trend scenarios: yearly growth factors of E, a, b, D with their sources, as values.

A scenario file is TOML data from anyone (the shipped ``scenarios.toml`` is one); its
numbers are text read exactly by the restricted reader (no symbols, nothing evaluated as
Python) or TOML numbers read as the decimals they spell.  Every fault is an
:class:`~profitopt.errors.InputError` naming the field: an unknown key, a missing field,
a wrong type, a factor that is not a positive number, an exponent outside (0, 1), a
shape gamma outside the range where the paper's model is posed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import sympy as sp

from ..errors import InputError
from ..symbolic.domain import BoundedRange, derive_bounded_range
from ..symbolic.expressions import ExpressionError, read_expression
from ..symbolic.profit import ProfitModel
from ..symbolic.symbols import D, E, a, alpha, b, beta
from .loader import MAX_FILE_BYTES, NAME, _check_keys, _check_prose, read_text
from .presets import preset

#: The regimes a scenario may set.
REGIMES = ("compute-bound", "data-bound")
#: The quantities whose observed growth a scenario may give.
QUANTITIES = ("train_flops", "train_cost")
#: The inputs that grow, by the name a file gives them.
INPUTS = {"E": E, "a": a, "b": b, "D": D}
#: The largest yearly factor taken as a trend (a thousandfold a year is no trend), and the
#: smallest (a thousandfold fall).
MAX_FACTOR = sp.Integer(1000)
MIN_FACTOR = 1 / MAX_FACTOR
#: Most scenarios in one file, and most shapes per scenario.
MAX_SCENARIOS, MAX_SHAPES = 64, 32

_SCENARIO = {"summary": str, "regime": str, "gamma": (str, int, float, list),
             "exponents": dict, "growth": dict, "observed": dict}
_EXPONENTS = {"alpha": (str, int, float), "beta": (str, int, float), "preset": str,
              "source": str}
_RATE = {"factor": (str, int, float), "source": str}
_OBSERVED = {"quantity": str, "factor": (str, int, float), "source": str}


@dataclass(frozen=True)
class Rate:
    """A yearly growth factor (exact, > 0) and where it comes from."""

    factor: sp.Expr
    source: str

    @property
    def log(self) -> sp.Expr:
        """Its log: the input's log growth rate a year."""
        return sp.log(self.factor)


@dataclass(frozen=True)
class Scenario:
    """One named set of trend inputs; ``gammas`` are the shapes it is evaluated at."""

    name: str
    summary: str
    regime: str
    gammas: tuple[sp.Rational, ...]
    alpha: sp.Rational
    beta: sp.Rational
    exponents_source: str
    growth: tuple[tuple[str, Rate], ...]   # (input name, rate), in the order E, a, b, D
    observed_quantity: str
    observed: Rate

    def rate(self, name: str) -> Rate:
        """The growth of input ``name``; an input the file leaves out does not grow."""
        return dict(self.growth).get(name, Rate(sp.S.One, "not given: held fixed"))

    def log_rates(self) -> dict[sp.Symbol, sp.Expr]:
        """Each input's symbol -> its log growth rate a year."""
        return {INPUTS[name]: self.rate(name).log for name in INPUTS}

    def exponent_values(self) -> dict[sp.Symbol, sp.Rational]:
        """alpha and beta as exact numbers."""
        return {alpha: self.alpha, beta: self.beta}


@lru_cache(maxsize=1)
def paper_range() -> BoundedRange:
    """The range of gamma where the paper's model is posed (derived once)."""
    return derive_bounded_range(ProfitModel())


def shape_fault(shape: sp.Expr | float, alpha_value: sp.Expr, beta_value: sp.Expr
                ) -> str | None:
    """Why ``shape`` (gamma) lies outside where the paper's model is posed for these
    exponents, or None: gamma must be at least the concavity bound and above the bounded
    range's lower end (both derived: :func:`derive_bounded_range`)."""
    bounded = paper_range()
    lower = bounded.lower.subs({alpha: alpha_value, beta: beta_value})
    if (shape - bounded.concavity_bound).is_negative:
        return (f"gamma must be at least {bounded.concavity_bound} (the demand link is "
                "concave there)")
    if not (shape - lower).is_positive:
        return f"gamma must exceed {lower} for these exponents (profit is unbounded below it)"
    return None


def scenarios_file() -> Path:
    """The path of the shipped ``scenarios.toml``."""
    return Path(str(resources.files(__package__).joinpath("scenarios.toml")))


@lru_cache(maxsize=1)
def shipped() -> tuple[Scenario, ...]:
    """The scenarios shipped with the package."""
    path = scenarios_file()
    return parse_scenarios(path.read_text(encoding="utf-8"), path.name)


def read_scenario_file(path: str | Path) -> tuple[Scenario, ...]:
    """The scenarios of a user file (a regular file of at most MAX_FILE_BYTES)."""
    return parse_scenarios(read_text(path, "scenario file"), str(path))


def select(scenarios: tuple[Scenario, ...], name: str | None) -> tuple[Scenario, ...]:
    """Every scenario, or the one called ``name`` (InputError listing the known ones)."""
    if name is None:
        return scenarios
    chosen = tuple(s for s in scenarios if s.name == name)
    if not chosen:
        raise InputError(f"unknown scenario {name!r}; scenarios: "
                         f"{', '.join(s.name for s in scenarios)}")
    return chosen


def parse_scenarios(text: str, source: str = "<scenarios>") -> tuple[Scenario, ...]:
    """The scenarios the TOML ``text`` describes, in file order."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise InputError(f"{source}: larger than {MAX_FILE_BYTES} bytes")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{source}: not TOML: {error}") from None
    if not data:
        raise InputError(f"{source}: no scenario (a scenario is a table [NAME])")
    if len(data) > MAX_SCENARIOS:
        raise InputError(f"{source}: more than {MAX_SCENARIOS} scenarios")
    return tuple(_scenario(name, table, source) for name, table in data.items())


def _scenario(name: str, table: object, source: str) -> Scenario:
    where = f"{source}: {name}"
    if not NAME.fullmatch(name):
        raise InputError(f"{where}: a scenario's name is lower-case letters, digits and "
                         "dashes, starting with a letter (at most 40)")
    if not isinstance(table, dict):
        raise InputError(f"{where}: must be a table [{name}]")
    _check_keys(table, _SCENARIO, where, tuple(_SCENARIO))
    _check_prose(table["summary"], f"{where}.summary")
    if not table["summary"].strip():
        raise InputError(f"{where}.summary: empty (one line saying what the scenario is)")
    if table["regime"] not in REGIMES:
        raise InputError(f"{where}.regime: must be one of {', '.join(REGIMES)}, got "
                         f"{table['regime']!r}")
    alpha_value, beta_value, exponents_source = _exponents(table["exponents"],
                                                           f"{where}.exponents")
    growth = _growth(table["growth"], table["regime"], f"{where}.growth")
    observed = table["observed"]
    if not isinstance(observed, dict):
        raise InputError(f"{where}.observed: must be a table")
    _check_keys(observed, _OBSERVED, f"{where}.observed", tuple(_OBSERVED))
    if observed["quantity"] not in QUANTITIES:
        raise InputError(f"{where}.observed.quantity: must be one of {', '.join(QUANTITIES)}, "
                         f"got {observed['quantity']!r}")
    observed_rate = _rate_from(observed, f"{where}.observed")
    gammas = _gammas(table["gamma"], alpha_value, beta_value, f"{where}.gamma")
    return Scenario(name, table["summary"], table["regime"], gammas, alpha_value, beta_value,
                    exponents_source, growth, observed["quantity"], observed_rate)


def _number(value: object, where: str) -> sp.Expr:
    """An exact real number: text read by the restricted reader (no symbols), or a TOML
    number read as the decimal it spells."""
    if isinstance(value, bool):
        raise InputError(f"{where}: must be a number, got a boolean")
    if isinstance(value, int):
        return sp.Integer(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise InputError(f"{where}: must be a finite number, got {value}")
        return sp.Rational(repr(value))
    if not isinstance(value, str):
        raise InputError(f"{where}: must be a number, got {type(value).__name__}")
    try:
        number = read_expression(value, {}, field=where)
    except ExpressionError as error:
        raise InputError(str(error)) from None
    if not number.is_number or not number.is_real or not number.is_finite:
        raise InputError(f"{where}: {value!r} is not a finite real number")
    return number


def _positive_factor(value: object, where: str) -> sp.Expr:
    factor = _number(value, where)
    if not factor.is_positive:
        raise InputError(f"{where}: a yearly growth factor must be positive (1 is no growth, "
                         f"1/2 halves a year), got {value!r}")
    if (factor - MAX_FACTOR).is_positive or (factor - MIN_FACTOR).is_negative:
        raise InputError(f"{where}: a yearly growth factor outside [{MIN_FACTOR}, {MAX_FACTOR}] "
                         f"is not a trend, got {value!r}")
    return factor


def _source(text: str, where: str) -> str:
    """A source: non-empty plain text."""
    _check_prose(text, where)
    if not text.strip():
        raise InputError(f"{where}: every number needs its source (empty)")
    return text


def _rate_from(table: dict, where: str) -> Rate:
    _source(table["source"], f"{where}.source")
    return Rate(_positive_factor(table["factor"], f"{where}.factor"), table["source"])


def _growth(table: object, regime: str, where: str) -> tuple[tuple[str, Rate], ...]:
    if not isinstance(table, dict):
        raise InputError(f"{where}: must be a table")
    for key in table:
        if key not in INPUTS:
            raise InputError(f"{where}: unknown input {key!r} (inputs: {', '.join(INPUTS)})")
    required = ("E", "a", "b", "D") if regime == "data-bound" else ("E", "a", "b")
    for key in required:
        if key not in table:
            raise InputError(f"{where}: missing input {key!r} (a {regime} scenario gives "
                             f"{', '.join(required)})")
    rates = []
    for key in INPUTS:
        if key in table:
            if not isinstance(table[key], dict):
                raise InputError(f"{where}.{key}: must be a table with factor and source")
            _check_keys(table[key], _RATE, f"{where}.{key}", tuple(_RATE))
            rates.append((key, _rate_from(table[key], f"{where}.{key}")))
    return tuple(rates)


def _exponents(table: object, where: str) -> tuple[sp.Rational, sp.Rational, str]:
    if not isinstance(table, dict):
        raise InputError(f"{where}: must be a table")
    _check_keys(table, _EXPONENTS, where, ())
    if "preset" in table:
        if "alpha" in table or "beta" in table:
            raise InputError(f"{where}: give a preset or alpha and beta, not both")
        try:
            law = preset(table["preset"])
        except InputError as error:
            raise InputError(f"{where}.preset: {error}") from None
        return law.alpha, law.beta, _source(table.get("source", law.source), f"{where}.source")
    for key in ("alpha", "source"):
        if key not in table:
            raise InputError(f"{where}: missing field {key!r}")
    _source(table["source"], f"{where}.source")
    values = []
    for key in ("alpha", "beta"):
        value = _number(table.get(key, table["alpha"]), f"{where}.{key}")
        if not (value.is_positive and (value - 1).is_negative):
            raise InputError(f"{where}.{key}: a scaling exponent lies in (0, 1), got "
                             f"{table.get(key, table['alpha'])!r}")
        values.append(value)
    return values[0], values[1], table["source"]


def _gammas(value: object, alpha_value: sp.Expr, beta_value: sp.Expr, where: str
            ) -> tuple[sp.Rational, ...]:
    """The shapes, each at least the paper's concavity bound and inside the range where
    profit is bounded (both derived: :func:`derive_bounded_range`)."""
    items = value if isinstance(value, list) else [value]
    if not items:
        raise InputError(f"{where}: give at least one shape")
    if len(items) > MAX_SHAPES:
        raise InputError(f"{where}: at most {MAX_SHAPES} shapes")
    shapes = []
    for index, item in enumerate(items):
        field = f"{where}[{index}]" if isinstance(value, list) else where
        shape = _number(item, field)
        fault = shape_fault(shape, alpha_value, beta_value)
        if fault:
            raise InputError(f"{field}: {fault}, got {item!r}")
        if shape in shapes:
            raise InputError(f"{field}: gamma {item!r} is listed twice")
        shapes.append(shape)
    return tuple(shapes)
