"""Every parameter of the paper's model, declared once.

A :class:`ParamSpec` is plain data: the parameter's name (also its SymPy symbol's
name, its command-line flag ``--name``, its JSON field and its keyword in
``solve`` and ``solve_many``), what it means and in which unit, its LaTeX, and
its domain.  Everything that lists parameters -- the symbols' order in the
kernels, :class:`profitopt.numeric.parameters.Parameters` and its checks, the
command-line flags, the notebook tables, the sweep's CSV columns -- is generated
from :data:`PAPER`.  The module imports nothing heavy, so the command line can
build its flags without SymPy.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ParamSpec:
    """One parameter: name, meaning, unit, LaTeX and domain.

    ``domain`` is "positive" (a scale: finite and > 0, log coordinate in the kernels),
    "exponent" (finite and > 0, kept as it is in the kernels) or "real" (finite);
    ``optional`` parameters may be absent (the data cap D: absent means uncapped, +inf
    in the kernels).
    """

    name: str
    meaning: str
    unit: str
    latex: str
    domain: str
    optional: bool = False
    absent: str = ""  # what leaving an optional parameter out means
    default: float | None = None  # a model file's default value (the flag becomes optional)

    @property
    def positive(self) -> bool:
        """Must be > 0."""
        return self.domain in ("positive", "exponent")

    @property
    def logarithmic(self) -> bool:
        """Enters the kernels as its logarithm."""
        return self.domain == "positive"

    @property
    def flag(self) -> str:
        """The command-line flag."""
        return f"--{self.name}"

    @property
    def help(self) -> str:
        """One line for --help."""
        bound = {"positive": " > 0", "exponent": " > 0", "real": ""}[self.domain]
        unit = f", {self.unit}" if self.unit else ""
        absent = f" (optional: {self.absent})" if self.optional else ""
        default = f" (default {self.default:g})" if self.default is not None else ""
        return f"{self.meaning} {self.name}{bound}{unit}{absent}{default}"


#: The paper's parameters, in the order every kernel takes them.
PAPER: tuple[ParamSpec, ...] = (
    ParamSpec("alpha", "parameter exponent", "", r"\alpha", "exponent"),
    ParamSpec("beta", "data exponent", "", r"\beta", "exponent"),
    ParamSpec("gamma", "demand-link shape", "", r"\gamma", "real"),
    ParamSpec("a", "parameter efficiency", "", "a", "positive"),
    ParamSpec("b", "data efficiency", "", "b", "positive"),
    ParamSpec("omega", "willingness-to-pay scale", "dollars per served token", r"\omega",
              "positive"),
    ParamSpec("delta", "inverse-demand slope", "dollars per token squared", r"\delta",
              "positive"),
    ParamSpec("E", "hardware efficiency", "FLOPs per dollar", "E", "positive"),
    ParamSpec("D", "data cap", "tokens", "D", "positive", optional=True,
              absent="without it the data-bound regime is off"),
)
#: A price per training token, the part that the data-price variant adds.
DATA_PRICE = ParamSpec("c_D", "price of training data", "dollars per training token", "c_D",
                       "positive")
#: A cap on model size n <= N, the part that the size-cap variant adds.
SIZE_CAP = ParamSpec("N", "model-size cap", "parameters", "N", "positive", optional=True,
                     absent="without it the size-bound regime is off")

#: The additive (Chinchilla) law's coefficients, in place of the efficiencies a and b: the
#: reducible loss A n^-alpha + B d^-beta, whose inverse is quality.
LOSS_COEFFICIENTS = (
    ParamSpec("A", "loss coefficient of parameters", "", "A", "positive"),
    ParamSpec("B", "loss coefficient of tokens", "", "B", "positive"),
)
#: The CES family's curvature: r = 1 is the additive law, r -> infinity the Leontief law.
CES_CURVATURE = ParamSpec("r", "CES curvature (1: additive law)", "", "r", "exponent")


def _with_smooth_law(*extra: ParamSpec) -> tuple[ParamSpec, ...]:
    """The paper's parameters with a and b replaced by A and B (and ``extra`` after B)."""
    specs: list[ParamSpec] = []
    for spec in PAPER:
        if spec.name == "a":
            specs += [*LOSS_COEFFICIENTS, *extra]
        elif spec.name != "b":
            specs.append(spec)
    return tuple(specs)


#: The built-in models' parameters, by model name, in kernel order: the paper's model,
#: two variants that differ from it only in their parts, and the paper's model under the
#: additive and CES laws (see profitopt.symbolic.variants).
MODELS: dict[str, tuple[ParamSpec, ...]] = {
    "paper": PAPER,
    "data-price": (*PAPER, DATA_PRICE),
    "size-cap": (*PAPER, SIZE_CAP),
    "additive": _with_smooth_law(),
    "ces": _with_smooth_law(CES_CURVATURE),
}
#: Each scaling law's own parameters, in the order its constructor takes them (a model
#: file's law preset, ``solve --law`` and ``profitopt sigma`` read them from here).
LAW_PARAMETERS: dict[str, tuple[str, ...]] = {
    "leontief": ("a", "b", "alpha", "beta"),
    "additive": ("A", "B", "alpha", "beta"),
    "ces": ("A", "B", "alpha", "beta", "r"),
}

#: What each built-in model is, for --help and listings.
MODEL_SUMMARIES: dict[str, str] = {
    "paper": "the paper's model: Leontief law, training and serving compute, optional d <= D",
    "data-price": "the paper's model with a price c_D per training token added to the costs",
    "size-cap": "the paper's model with a cap n <= N on model size",
    "additive": "the paper's model under the additive (Chinchilla) law q = 1/(A n^-alpha + "
                "B d^-beta)",
    "ces": "the paper's model under the CES law q = (A n^(-alpha r) + B d^(-beta r))^(-1/r)",
}

#: Their names, in kernel order.
NAMES: tuple[str, ...] = tuple(spec.name for spec in PAPER)
#: By name.
BY_NAME: dict[str, ParamSpec] = {spec.name: spec for spec in PAPER}
