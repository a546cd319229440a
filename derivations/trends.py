"""Trends: the growth of training spend and compute the model permits, against the observed.

Each input v of {E, a, b} grows by e^(l_v) a year; a law x ~ C E^k of the optimum then
grows by e^(L) with L the sum of its elasticities times the rates
(:mod:`profitopt.symbolic.trends`).  The record derives L for the derived bound, the tight
training-dominated rate and the paper's bounds as reported, solves L(gamma) = l_obs for
the break-even shape in closed form, and sets the paper's four trend numbers against a
stated family of mappings from its inputs: which law, which quantity (dollars or FLOPs),
how algorithmic efficiency enters a and b, which exponents, which observed growth and in
which unit it is compared.  A number is reproduced when some mapping gives it to half a
unit of its last digit; the evidence lists the mappings, or the closest one.

The inputs (1.37x, sqrt(3), 5x, 4.6x) are read from the shipped scenarios
(:mod:`profitopt.models.scenarios`), each with its source; the reported numbers below are
the paper's, labelled as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from ..models.presets import preset
from ..models.scenarios import Scenario, paper_range, select, shipped
from ..symbolic.symbols import E, a, alpha, b, beta, gamma
from ..symbolic.trends import OBSERVED_RATE, RATES, RHO_FIXED, Permitted, break_even
from .calibration import COMPUTE_BOUND, growth, point
from .record import (Assumption, Claim, Derivation, IdentityCheck, NumberCheck, Role, Rule,
                     SignCheck, Step, YearlyGrowthCheck)
from .text import number_latex
from .trend_laws import compute_bound_laws

ID = "trends"

#: The paper's trend numbers, as reported (permitted growth a year, and the break-even shape).
REPORTED_ZERO = sp.Rational(411, 100)        # gamma = 0
REPORTED_MINUS_ONE = sp.Rational(759, 100)   # gamma = -1
REPORTED_STALLED = sp.Rational(466, 100)     # gamma = -1, hardware stalled
REPORTED_BREAK_EVEN = sp.Rational(-77, 100)
#: Each is reported to two decimals: reproduced within half a unit of the last digit.
HALF_UNIT = sp.Rational(1, 200)

#: The scenarios whose inputs the record uses: the paper's, Epoch AI's observed growth,
#: and stalled hardware.
BASELINE, EPOCH, STALLED = "baseline", "epoch-compute", "hardware-stagnation"

#: Where the yearly factors are checked against 50-digit optima one year apart
#: (log10 E): deep in the inference-dominated window, and deep in the training-dominated
#: regime; with the relative tolerance each allows (neglected terms of the leading law).
WINDOW_E, TRAINING_E = 3, 38
YEARLY_RTOL = 1e-3

#: The yearly factor of training spend at gamma = 0 and at gamma = -1 (claims' forms).
F_ZERO = sp.Symbol(r"F_{C}(0)")
F_MINUS_ONE = sp.Symbol(r"F_{C}(-1)")
F_STALLED = sp.Symbol(r"F^{\mathrm{stalled}}_{C}(-1)")

LAW_TEXT = {"bound": "derived bound", "tight": "derived tight rate",
            "reported": "bound as reported"}
QUANTITY_TEXT = {"train_cost": "spend", "train_flops": "FLOPs"}


def _scenario(name: str) -> Scenario:
    (found,) = select(shipped(), name)
    return found


@dataclass(frozen=True)
class Mapping:
    """One stated way of turning the trend inputs into a permitted yearly factor."""

    law: str             # "bound", "tight" or "reported"
    quantity: str        # "train_cost" or "train_flops"
    channel: str         # how algorithmic efficiency enters: "rho", "a", "b"
    exponents: str       # label of the exponent set

    def label(self) -> str:
        """The mapping in words (LaTeX text mode)."""
        return (f"{LAW_TEXT[self.law]}, {QUANTITY_TEXT[self.quantity]}, algorithmic "
                f"efficiency on {CHANNEL_TEXT[self.channel]}, {self.exponents}")


#: How the algorithmic-efficiency factor enters the law's efficiencies.
CHANNEL_TEXT = {"rho": r"$a$ and $b$ ($\rho$ fixed)", "a": r"$a$ only", "b": r"$b$ only"}


def _channel_rates(channel: str, algorithmic: sp.Expr) -> dict[sp.Symbol, sp.Expr]:
    return {"rho": {a: algorithmic, b: algorithmic}, "a": {a: algorithmic, b: sp.S.Zero},
            "b": {a: sp.S.Zero, b: algorithmic}}[channel]


@lru_cache(maxsize=1)
def exponent_sets() -> tuple[tuple[str, sp.Rational, sp.Rational], ...]:
    """The exponents a mapping may use: the worked example's, Chinchilla's fit (TeX
    precision) and its average, and the Besiroglu et al. refit."""
    example = dict(point("negative"))
    chinchilla, refit = preset("hoffmann2022-tex"), preset("besiroglu2024")
    average = (chinchilla.alpha + chinchilla.beta) / 2
    return ((rf"$\alpha = \beta = {_decimal(example[alpha])}$", example[alpha], example[beta]),
            (rf"Chinchilla's $\alpha = {_decimal(chinchilla.alpha)}$, "
             rf"$\beta = {_decimal(chinchilla.beta)}$", chinchilla.alpha, chinchilla.beta),
            (rf"$\alpha = \beta = {_decimal(average)}$ (their average)", average, average),
            (rf"the refit's $\alpha = {_decimal(refit.alpha)}$, "
             rf"$\beta = {_decimal(refit.beta)}$", refit.alpha, refit.beta))


def _decimal(value: sp.Expr) -> str:
    """An input number as the decimal it is (6 significant digits), a surd as a surd."""
    return number_latex(value, 6) if value.is_Rational else sp.latex(value)


def _shown(value: sp.Expr) -> sp.Float:
    """A derived number as a claim shows it: six significant digits."""
    return sp.Float(sp.N(value, 30), 6)


@lru_cache(maxsize=8)
def _laws(branch: str) -> dict[str, Permitted]:
    return compute_bound_laws(growth(branch))


def _mappings():
    for law in ("reported", "bound", "tight"):
        for quantity in ("train_cost", "train_flops"):
            for channel in CHANNEL_TEXT:
                for label, alpha_value, beta_value in exponent_sets():
                    yield Mapping(law, quantity, channel, label), alpha_value, beta_value


def _rates(inputs: Scenario, channel: str) -> dict[sp.Symbol, sp.Expr]:
    """The log rates of E, a and b: E's from ``inputs``, a's factor entering by ``channel``."""
    rates = _channel_rates(channel, inputs.rate("a").log)
    return {RATES[E]: inputs.rate("E").log, RATES[a]: rates[a], RATES[b]: rates[b]}


def _values(alpha_value, beta_value, inputs: Scenario, channel: str
            ) -> dict[sp.Symbol, sp.Expr]:
    """The exponents and the log rates."""
    return {alpha: alpha_value, beta: beta_value, **_rates(inputs, channel)}


def factor_candidates(shape: sp.Rational, inputs: Scenario) -> tuple[tuple[str, sp.Expr], ...]:
    """Every mapping's permitted yearly factor at ``shape`` under ``inputs``' growth."""
    branch = "zero" if shape == 0 else "negative" if shape < 0 else "positive"
    laws = _laws(branch)
    found = []
    for mapping, alpha_value, beta_value in _mappings():
        values = _values(alpha_value, beta_value, inputs, mapping.channel)
        rate = laws[mapping.law].of(mapping.quantity).subs(gamma, shape).subs(values)
        found.append((mapping.label(), sp.exp(rate)))
    return tuple(found)


@lru_cache(maxsize=16)
def _roots(branch: str, law: str, quantity: str) -> tuple[sp.Expr, ...]:
    """Closed-form break-even shapes of one law on one branch, symbolic in the rates."""
    return tuple(break_even(_laws(branch)[law].of(quantity)))


def break_even_candidates(inputs: Scenario, observed: tuple[Scenario, ...]
                          ) -> tuple[tuple[str, sp.Expr], ...]:
    """Every mapping's break-even shape, with each observed growth read two ways: as growth
    of training FLOPs against permitted FLOPs (one unit), and as the same number set
    against permitted spend (compute growth compared with dollar growth)."""
    lower = paper_range().concavity_bound  # the paper's range gamma >= -1
    found = []
    for mapping, alpha_value, beta_value in _mappings():
        if mapping.quantity != "train_cost":
            continue
        values = _values(alpha_value, beta_value, inputs, mapping.channel)
        for source in observed:
            target = source.observed.log
            for quantity, unit in (("train_flops", "FLOPs against FLOPs"),
                                   ("train_cost", "spend against the compute figure")):
                for branch, lo, hi in (("negative", lower, 0), ("positive", 0, sp.oo)):
                    for root in _roots(branch, mapping.law, quantity):
                        value = root.subs(values).subs(OBSERVED_RATE, target)
                        if not (value.is_real and lo < value < hi):
                            continue
                        if mapping.law == "tight" and not _holds(branch, value, values):
                            continue
                        label = (f"{LAW_TEXT[mapping.law]}, {unit}, observed "
                                 f"${_decimal(source.observed.factor)}\\times$, algorithmic "
                                 f"efficiency on {CHANNEL_TEXT[mapping.channel]}, "
                                 f"{mapping.exponents}")
                        found.append((label, value))
    return tuple(found)


def _holds(branch: str, shape: sp.Expr, values: dict) -> bool:
    """The training-dominated balance holds in some window at this shape."""
    conditions = growth(branch).training.conditions
    return all(bool(c.subs(values).subs(gamma, shape)) for c in conditions)


def derive() -> Derivation:
    """Permitted growth per law, the break-even shape, and the paper's four numbers."""
    baseline, epoch, stalled = _scenario(BASELINE), _scenario(EPOCH), _scenario(STALLED)
    negative, zero = _laws("negative"), _laws("zero")
    fixed = RHO_FIXED
    bound_c = sp.factor(negative["bound"].train_cost.subs(fixed))
    tight_c = sp.factor(negative["tight"].train_cost.subs(fixed))
    bound_star = sp.factor(break_even(negative["bound"].train_flops.subs(fixed))[0])
    tight_star = sp.factor(break_even(negative["tight"].train_flops.subs(fixed))[0])
    L = {k: sp.Symbol(rf"L^{{\mathrm{{{k}}}}}_{{C}}") for k in ("bound", "tight", "rep")}
    g_bound, g_tight = sp.Symbol(r"\gamma^{\mathrm{bound}}_{\mathrm{be}}"), sp.Symbol(
        r"\gamma^{\mathrm{tight}}_{\mathrm{be}}")
    steps = (
        Step("rates", sp.Eq(sp.Symbol("L_{x}"), sum(
            (sp.Symbol(rf"\varepsilon_{{x,{v}}}") * RATES[v] for v in (E, a, b)), sp.S.Zero)),
             Rule.DEFINE, r"Each input $v$ grows by $e^{\ell_v}$ a year; a law of the optimum "
             r"grows by $e^{L_x}$, its elasticities weighted by the rates."),
        Step("bound", sp.Eq(L["bound"], sp.factor(negative["bound"].train_cost)),
             Rule.DIFFERENTIATE, r"Training spend on the margin bound "
             r"(inference-dominated), $\gamma \neq 0$.", ("rates",)),
        Step("tight", sp.Eq(L["tight"], sp.factor(negative["tight"].train_cost)),
             Rule.DIFFERENTIATE, r"Training spend once training dominates, $\gamma < 0$.",
             ("rates",)),
        Step("reported", sp.Eq(L["rep"], sp.factor(negative["reported"].train_cost)),
             Rule.DIFFERENTIATE, r"Theorem~1's bound as reported, spend $6\rho n^2/E$ on "
             r"the kink with $\rho = (a/b)^{1/\alpha}$.", ("rates",)),
        Step("zero", sp.Eq(sp.Symbol(r"L^{\mathrm{bound}}_{C}(0)"), zero["bound"].train_cost),
             Rule.DIFFERENTIATE, r"At $\gamma = 0$ the margin bound "
             r"$n_{\mathrm{peak}} = \omega\alpha E/2$ carries no $a$.", ("rates",)),
        Step("rho-fixed", sp.Eq(L["bound"], bound_c), Rule.SUBSTITUTE,
             r"With $\ell_b = \ell_a$ ($\rho$ fixed).", ("bound",)),
        Step("rho-fixed-tight", sp.Eq(L["tight"], tight_c), Rule.SUBSTITUTE,
             r"The same for the tight rate.", ("tight",)),
        Step("break-even-bound", sp.Eq(g_bound, bound_star), Rule.SOLVE,
             r"Training FLOPs ($L_C + \ell_E$) on the bound grow as observed, "
             r"$e^{\ell_{\mathrm{obs}}}$ a year.", ("rho-fixed",)),
        Step("break-even-tight", sp.Eq(g_tight, tight_star), Rule.SOLVE,
             r"The same for the tight rate.", ("rho-fixed-tight",)),
    )
    _, alpha_value, beta_value = exponent_sets()[0]
    values = _values(alpha_value, beta_value, baseline, "rho")
    values_stalled = _values(alpha_value, beta_value, stalled, "rho")
    minus_one = sp.Integer(-1)

    def factor(kind, quantity, shape, at):
        return sp.exp(_laws("zero" if shape == 0 else "negative")[kind].of(quantity)
                      .subs(gamma, shape).subs(at))

    log_observed = baseline.observed.log
    bound_root = bound_star.subs(values).subs(OBSERVED_RATE, log_observed)
    tight_root = tight_star.subs(values).subs(OBSERVED_RATE, log_observed)
    inputs_text = (rf"$E$ grows ${_decimal(baseline.rate('E').factor)}\times$, $a$ and $b$ "
                   rf"${_decimal(baseline.rate('a').factor)}\times$ a year, "
                   rf"$\alpha = \beta = {_decimal(values[alpha])}$")
    observed_flops = sp.log(baseline.observed.factor)
    claims = (
        Claim("permitted-zero", r"At $\gamma = 0$ the model permits training spend to grow "
              r"about $4.11\times$ a year.",
              sp.Eq(F_ZERO, _shown(factor("bound", "train_cost", 0, values))),
              (NumberCheck("reproduced", "a stated mapping gives the reported factor",
                           REPORTED_ZERO, factor_candidates(sp.S.Zero, baseline), HALF_UNIT),
               NumberCheck("derived", rf"the derived bound's spend factor, {inputs_text}",
                           REPORTED_ZERO, (("derived bound", factor("bound", "train_cost", 0,
                                                                    values)),),
                           HALF_UNIT, Role.REPORTED)),
              reported=sp.Eq(F_ZERO, REPORTED_ZERO),
              reported_text=r"about $4.11\times$ a year",
              window=r"the margin bound $n_{\mathrm{peak}} = \omega\alpha E/2$ has no $a$: "
                     r"the factor $a^2$ of Theorem~2's stated bound is what gives $3 \times "
                     r"1.37$"),
        Claim("permitted-minus-one", r"At $\gamma = -1$ the model permits about $7.59\times$ "
              r"a year.", sp.Eq(F_MINUS_ONE, _shown(factor("bound", "train_cost", minus_one,
                                                                  values))),
              (NumberCheck("reproduced", "a stated mapping gives the reported factor",
                           REPORTED_MINUS_ONE, factor_candidates(minus_one, baseline),
                           HALF_UNIT),
               NumberCheck("derived", rf"the derived bound's spend factor, {inputs_text}",
                           REPORTED_MINUS_ONE,
                           (("derived bound", factor("bound", "train_cost", minus_one,
                                                     values)),), HALF_UNIT, Role.REPORTED)),
              reported=sp.Eq(F_MINUS_ONE, REPORTED_MINUS_ONE),
              reported_text=r"about $7.59\times$ a year"),
        Claim("permitted-stalled", r"At $\gamma = -1$ with hardware efficiency stalled the "
              r"model permits about $4.66\times$ a year.",
              sp.Eq(F_STALLED, _shown(factor("bound", "train_cost", minus_one,
                                             values_stalled))),
              (NumberCheck("reproduced", "a stated mapping gives the reported factor",
                           REPORTED_STALLED, factor_candidates(minus_one, stalled), HALF_UNIT),
               NumberCheck("derived", r"the derived bound's spend factor with $E$ stalled",
                           REPORTED_STALLED,
                           (("derived bound", factor("bound", "train_cost", minus_one,
                                                     values_stalled)),),
                           HALF_UNIT, Role.REPORTED)),
              reported=sp.Eq(F_STALLED, REPORTED_STALLED),
              reported_text=r"about $4.66\times$ a year"),
        Claim("break-even", r"The observed growth is permitted from $\gamma \approx -0.77$ "
              r"down.", sp.Eq(g_bound, _shown(bound_root)),
              (NumberCheck("reproduced", "a stated mapping gives the reported shape",
                           REPORTED_BREAK_EVEN, break_even_candidates(baseline,
                                                                      (baseline, epoch)),
                           HALF_UNIT),
               NumberCheck("derived", r"the derived bound's break-even shape, training FLOPs "
                           r"against the observed growth of training FLOPs",
                           REPORTED_BREAK_EVEN, (("derived bound", bound_root),), HALF_UNIT,
                           Role.REPORTED),
               IdentityCheck("root", r"the closed-form shape solves $L(\gamma) = "
                             r"\ell_{\mathrm{obs}}$ on the bound", negative["bound"].train_flops
                             .subs(fixed).subs(gamma, bound_star), OBSERVED_RATE)),
              reported=sp.Eq(g_bound, REPORTED_BREAK_EVEN), reported_text=r"$\gamma \approx -0.77$",
              window=rf"in one unit the bound gives $\gamma_{{\mathrm{{be}}}} = {number_latex(bound_root)}$ "
                     rf"and the tight rate $\gamma_{{\mathrm{{be}}}} = {number_latex(tight_root)}$"),
        Claim("bounds-are-rates", r"The permitted growth is that of the stated bounds.",
              sp.Eq(L["bound"], bound_c),
              (NumberCheck("bound-as-reported", r"the derived bound's spend factor equals "
                           r"Theorem~1's as reported at $\gamma = -1$",
                           factor("reported", "train_cost", minus_one, values),
                           (("derived bound", factor("bound", "train_cost", minus_one,
                                                     values)),),
                           sp.Rational(1, 10**12), Role.REPORTED),
               NumberCheck("tight", r"the tight rate's spend factor equals the bound's at "
                           r"$\gamma = -1$", factor("bound", "train_cost", minus_one, values),
                           (("tight rate", factor("tight", "train_cost", minus_one, values)),),
                           HALF_UNIT, Role.TIGHTNESS),
               *_flops_identities(negative),
               *_yearly_checks(baseline, values)),
              reported_text=r"upper bounds (Theorems~1--2)", kind="bound",
              window=rf"the bound's growth holds while inference dominates ($E \ll E_c$); "
                     rf"once training dominates, spend grows "
                     rf"${number_latex(factor('tight', 'train_cost', minus_one, values))}"
                     rf"\times$ a year at $\gamma = -1$ (bound "
                     rf"${number_latex(factor('bound', 'train_cost', minus_one, values))}"
                     rf"\times$)"),
        Claim("observed-exceeds-zero", r"At $\gamma = 0$ the observed growth of training "
              r"compute exceeds what the model permits.",
              sp.Lt(sp.Symbol(r"L^{\mathrm{bound}}_{F}(0)"), sp.Symbol(r"\ell_{\mathrm{obs}}")),
              (SignCheck("exceeds", r"observed minus permitted log growth of training FLOPs "
                         r"on the derived bound, $\gamma = 0$",
                         observed_flops - zero["bound"].train_flops.subs(values), 1,
                         Role.REPORTED, subject=r"the observed minus the permitted log growth"),
               SignCheck("exceeds-tight", r"the same on the tight rate, $\gamma = 0$",
                         observed_flops - zero["tight"].train_flops.subs(values), 1,
                         Role.REPORTED, subject=r"the observed minus the permitted log growth")),
              reported_text=r"the observed $5\times$ exceeds the $4.11\times$ permitted"),
    )
    return Derivation(
        ID, "Trends: permitted against observed growth", "Proposition",
        "Section on practice",
        r"With $E$, $a$ and $b$ growing at constant yearly rates, training spend grows by "
        r"$e^{L_C}$ a year, $L_C$ the elasticities of its law weighted by the rates; "
        r"training FLOPs by $e^{L_C + \ell_E}$. The break-even shape $\gamma_{\mathrm{be}}$ solves "
        r"$L_C + \ell_E = \ell_{\mathrm{obs}}$ in closed form.",
        (COMPUTE_BOUND,
         Assumption("inputs", rf"Inputs of the shipped scenario \texttt{{{BASELINE}}}: "
                    rf"{inputs_text}; observed training compute "
                    rf"${sp.latex(baseline.observed.factor)}\times$ a year (each with its "
                    r"source in \texttt{scenarios.toml})."),
         Assumption("mappings", r"A reported number is reproduced when one mapping of the "
                    r"stated family gives it to half a unit of its last digit. The family: "
                    r"law (derived bound, derived tight rate, bound as reported), quantity "
                    r"(spend or FLOPs), algorithmic efficiency on $a$ and $b$, on $a$ or on "
                    r"$b$, four exponent sets; for the break-even shape also the observed "
                    r"growth ($5\times$ or $4.6\times$) and its unit.")),
        steps, claims,
        statement_math=(sp.Eq(L["bound"], bound_c), sp.Eq(g_bound, bound_star)),
        notes=(r"The break-even shape $-0.77$ follows when the permitted growth of training "
               r"spend (dollars) is set against the observed growth of training compute "
               r"(FLOPs). In one unit the observed growth needs a more negative $\gamma$ on "
               r"the tight rate than on the bound.",
               rf"On the bound with $\rho$ fixed and $\alpha = \beta$, $7.59$ needs "
               rf"$\alpha = {number_latex(implied_alpha(REPORTED_MINUS_ONE, baseline))}$ and "
               rf"$4.66$ needs $\alpha = {number_latex(implied_alpha(REPORTED_STALLED, stalled))}"
               rf"$: no one exponent gives both.",))


def implied_alpha(reported: sp.Expr, inputs: Scenario) -> sp.Float:
    """The alpha = beta at which the bound's spend factor at gamma = -1, rho fixed, equals
    ``reported`` (50-digit secant from the worked example's alpha)."""
    rate = _laws("negative")["bound"].train_cost.subs(gamma, -1)
    equation = rate.subs(beta, alpha).subs(_rates(inputs, "rho")) - sp.log(reported)
    return sp.nsolve(equation, alpha, exponent_sets()[0][1], prec=50)


def _flops_identities(negative: dict[str, Permitted]) -> tuple[IdentityCheck, ...]:
    """FLOPs' law grows as the spend's law times E's factor, for each derived law."""
    return tuple(IdentityCheck(f"flops-{kind}", rf"the FLOPs law's log rate is the spend "
                               rf"law's plus $\ell_E$ ({LAW_TEXT[kind]})",
                               negative[kind].train_flops,
                               negative[kind].train_cost + RATES[E])
                 for kind in ("bound", "tight"))


def _yearly_checks(inputs: Scenario, values: dict) -> tuple[YearlyGrowthCheck, ...]:
    """The closed-form yearly factors against 50-digit optima one year apart."""
    moved = tuple((v, inputs.rate(v.name).factor) for v in (E, a, b))
    checks = []
    for kind, log10_e, quantity in (("bound", WINDOW_E, "train_cost"),
                                    ("tight", TRAINING_E, "train_cost"),
                                    ("tight", TRAINING_E, "train_flops")):
        at = tuple((s, v) for s, v in point("negative") if s != E) + (
            (E, sp.Integer(10) ** log10_e),)
        expected = sp.exp(_laws("negative")[kind].of(quantity).subs(gamma, -1).subs(values))
        checks.append(YearlyGrowthCheck(
            f"yearly-{kind}-{quantity}", rf"one year of growth of the optimum's "
            rf"{QUANTITY_TEXT[quantity]} at $E = 10^{{{log10_e}}}$ against the "
            rf"{LAW_TEXT[kind]}", quantity, at, moved, expected, YEARLY_RTOL))
    return tuple(checks)
