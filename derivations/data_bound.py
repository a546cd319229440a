"""Theorem (the paper's Theorem 3): the data-bound regime d <= D."""

from __future__ import annotations

import sympy as sp

from ..symbolic.profit import ProfitModel
from ..symbolic.regimes import derive_data_bound_corner
from ..symbolic.symbols import D, E, a, alpha, b, beta, rho
from .boxes import binding_box, capped_box
from .calibration import point
from .record import (Assumption, Claim, Derivation, ElasticityCheck, IdentityCheck,
                     LocalExponentCheck, Role, Rule, SignCheck, SolverCheck, Step, SwitchCheck,
                     ThetaCheck)

ID = "data_bound"

#: A calibration point where the cap binds from D = 1e6 to 1e12 and E = 1e16 to 1e40.
BINDING_AT = (*point("negative"), (E, sp.Integer(10) ** 18), (D, sp.Integer(10) ** 9))

#: Reported forms, as the paper states them (with rho = tokens per parameter).
REPORTED_PARAMETERS = rho**-1 * D ** (beta / alpha)
REPORTED_SPEND = D ** (1 + beta / alpha) / (rho * E)
REPORTED_SPEND_HOMOGENEOUS = D**2 / E


#: Direction of the spend in each variable: (claim, statement, variable, sign, role,
#: the paper's words or "" when the paper says nothing, sampling seed).  The paper gives
#: words only, so a direction claim has no reported formula.
DIRECTIONS = (
    ("rises-with-data", r"Spend increases with data $D$.", D, 1, Role.REPORTED,
     "increases with data", 13),
    ("falls-with-hardware", r"Spend decreases with hardware efficiency $E$.", E, -1,
     Role.REPORTED, "decreases with hardware efficiency", 14),
    ("falls-with-data-efficiency", r"Spend decreases with data efficiency $b$.", b, -1,
     Role.REPORTED, "decreases with data efficiency", 15),
    ("parameter-efficiency", r"Spend decreases with parameter efficiency $a$.", a, -1,
     Role.INTERNAL, "", 16),
)


def _elasticity_symbol(variable: sp.Symbol) -> sp.Symbol:
    """epsilon_v = d log C / d log v."""
    return sp.Symbol(f"\\varepsilon_{{{sp.latex(variable)}}}")


def _direction_claim(claim_id: str, statement: str, variable: sp.Symbol, elasticity: sp.Expr,
                     sign: int, role: Role, text: str, seed: int) -> Claim:
    """Sign of d log C / d log v, symbolically and by a central difference of the solver."""
    word = "positive" if sign > 0 else "negative"
    return Claim(
        claim_id, statement, sp.Eq(_elasticity_symbol(variable), elasticity),
        (SignCheck(f"sign-{variable}", rf"elasticity in ${sp.latex(variable)}$ is {word}",
                   elasticity, sign, role),
         ElasticityCheck(f"numeric-{variable}", "central difference of the solver's spend",
                         "train_cost", variable, elasticity, binding_box(3, seed),
                         sp.Rational(1, 10**4), 1e-6)),
        reported=None, reported_text=text)


def derive() -> Derivation:
    """d* = D, n* = (b D^beta/a)^(1/alpha), C = 6 n* D/E; binds iff E > E_bind."""
    model = ProfitModel()
    corner = derive_data_bound_corner(model, (D, E, a, b))
    rho_value = model.law.tokens_per_parameter()
    el = corner.elasticities
    C, E_bind = sp.Symbol("C^{*}_{train}"), sp.Symbol("E_{bind}")
    n_star = sp.Symbol("n^{*}")
    steps = (
        Step("corner", sp.Eq(n_star, corner.parameters), Rule.SOLVE,
             r"With $d = D$ the kink gives $n$ from $a n^\alpha = b D^\beta$."),
        Step("spend", sp.Eq(C, corner.spend), Rule.SUBSTITUTE, r"Training spend $6 n^* D/E$.",
             ("corner",)),
        *(Step(f"corner-{name}", sp.Eq(symbol, value), Rule.DEFINE,
               f"Shorthand for the corner's {name.replace('-', ' ')}.", ("corner",))
          for (symbol, value), name in zip(corner.corner_symbols.items(),
                                           ("model-size", "quality"))),
        Step("binding", sp.Eq(sp.Symbol("P(E)"), corner.binding_quadratic), Rule.SUBSTITUTE,
             r"$E^2 \Pi'(n_D)$: the cap binds iff it is positive.",
             ("corner-model-size", "corner-quality")),
        Step("threshold", sp.Eq(E_bind, corner.binding_threshold), Rule.SOLVE,
             r"Larger root of the quadratic (its leading coefficient is positive when "
             r"$b D^\beta > 1$).", ("binding",)),
        *(Step(f"elasticity-{v}", sp.Eq(_elasticity_symbol(v), el[v]), Rule.DIFFERENTIATE,
               rf"$\partial \log C^*_{{\mathrm{{train}}}} / \partial \log {sp.latex(v)}$.",
               ("spend",))
          for v in (D, E, a, b)),
    )
    box = binding_box(6, 11)
    claims = (
        Claim("corner", r"$d^* = D$ and $n^* = \rho^{-1} D^{\beta/\alpha}$.",
              sp.Eq(n_star, corner.parameters),
              (IdentityCheck("corner-vs-reported", r"derived $n^*$ equals the reported form with "
                             r"$\rho = (a/b)^{1/\alpha}$", corner.parameters,
                             REPORTED_PARAMETERS.subs(rho, rho_value), Role.REPORTED),
               SolverCheck("solver-corner", r"the solver's $n^*$ equals the closed form where "
                           r"the cap binds", "n", corner.parameters, "data-bound", box, 1e-12)),
              reported=sp.Eq(n_star, REPORTED_PARAMETERS),
              reported_text=r"$n^* = \rho^{-1} D^{\beta/\alpha}$, $d^* = D$"),
        Claim("spend-theta", r"Training spend is $\Theta(D^{1+\beta/\alpha}/(\rho E))$.",
              corner.spend,
              (ThetaCheck("spend-vs-reported", "derived/reported is a constant",
                          corner.spend, REPORTED_SPEND.subs(rho, rho_value), (D, E, a, b)),
               SolverCheck("solver-spend", r"the solver's training cost equals $6 n^* D/E$",
                           "train_cost", corner.spend, "data-bound", box, 1e-12),
               LocalExponentCheck("spend-rate-in-D", r"local exponent of the spend in $D$ "
                                  "(50 digits)", "train_cost", D, el[D], sp.S.Zero, BINDING_AT,
                                  (6, 8, 10, 12), sp.Rational(1, 10**9)),
               LocalExponentCheck("spend-rate-in-E", r"local exponent of the spend in $E$ "
                                  "(50 digits)", "train_cost", E, el[E], sp.S.Zero, BINDING_AT,
                                  (16, 24, 32, 40), sp.Rational(1, 10**9))),
              reported=REPORTED_SPEND,
              reported_text=r"$\Theta(D^{1+\beta/\alpha}/(\rho E))$"),
        Claim("spend-homogeneous", r"With $\alpha = \beta$ the spend is $\Theta(D^2/E)$.",
              corner.spend.subs(beta, alpha),
              (ThetaCheck("homogeneous-vs-reported", r"derived/reported is free of $D$ and $E$",
                          corner.spend.subs(beta, alpha), REPORTED_SPEND_HOMOGENEOUS, (D, E)),),
              reported=REPORTED_SPEND_HOMOGENEOUS, reported_text=r"$\Theta(D^2/E)$"),
        Claim("binding", r"The cap binds ($d^* = D$) iff $E > E_{\mathrm{bind}}$, the larger "
              r"root of $E^2 \Pi'(n(D)) = 0$.", sp.Eq(E_bind, corner.binding_threshold),
              (SwitchCheck("switch-at-threshold", r"regime at $E_{\mathrm{bind}} (1 \mp 10^{-6})$",
                           corner.explicit(corner.binding_threshold), E, "compute-bound", "data-bound",
                           capped_box(8, 12), sp.Rational(1, 10**6)),)),
        *(_direction_claim(claim_id, statement, variable, el[variable], sign, role, text, seed)
          for claim_id, statement, variable, sign, role, text, seed in DIRECTIONS),
    )
    return Derivation(
        ID, "Profit-optimal training under a data cap", "Theorem", "Theorem 3",
        r"With $d \leq D$ and the cap binding, $d^* = D$, $n^* = (b D^\beta/a)^{1/\alpha}$ and "
        r"training spend is $6 D (b D^\beta/a)^{1/\alpha}/E$.",
        (Assumption("cap", r"Training data is capped: $d \leq D$.", sp.Le(sp.Symbol("d"), D)),
         Assumption("rho", r"$\rho = (a/b)^{1/\alpha}$, tokens per parameter on the kink when "
                    r"$\alpha = \beta$ (named choice for $\alpha \neq \beta$).",
                    sp.Eq(rho, rho_value)),
         Assumption("profitable", r"$b D^\beta > 1$, so the capped quality clears the "
                    r"threshold floor.", sp.Gt(b * D**beta, 1))),
        steps, claims,
        statement_math=(sp.Eq(n_star, corner.parameters), sp.Eq(C, corner.spend),
                        sp.Gt(E, E_bind)),
        notes=(r"Under this model the spend grows with data efficiency $b$ (elasticity "
               r"$1/\alpha$): a better $b$ raises the quality $D$ tokens support, and matching it "
               r"needs more parameters. It falls with parameter efficiency $a$ (elasticity "
               r"$-1/\alpha$).",))
