"""Dominant balance on a power-law ansatz with logarithmic factors.

The unknown (here ``n``) is sought as ``n ~ C E^k (log E)^m`` as E -> infinity.
Two monomials ``c n^p E^e (log n)^l`` balance when their powers of E,
their powers of log E and their coefficients agree; every other term of
the equation must then grow more slowly, which is a condition on the
exponents that :func:`dominance_conditions` returns as SymPy relations.

Which term of a sum leads is decided symbolically where the symbols'
assumptions allow it; otherwise at a reference point of the parameters
supplied by the caller (and the comparison is returned as a condition).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .decisions import decide


@dataclass(frozen=True)
class PowerLaw:
    """x ~ coefficient * E^exponent * (log E)^log_power as E -> infinity."""

    coefficient: sp.Expr
    exponent: sp.Expr
    log_power: sp.Expr = sp.S.Zero

    def expr(self, variable: sp.Symbol) -> sp.Expr:
        """The law as an expression in ``variable`` (E or D)."""
        return self.coefficient * variable**self.exponent * sp.log(variable) ** self.log_power


@dataclass(frozen=True)
class Monomial:
    """coefficient * n^power * E^e_power * (log n)^log_power."""

    coefficient: sp.Expr
    power: sp.Expr
    e_power: sp.Expr
    log_power: int


def to_monomial(term: sp.Expr, n: sp.Symbol, E: sp.Symbol) -> Monomial:
    """Decompose a product of powers of n, E, log n and constants."""
    log_power, rest = 0, []
    if term.is_Add:
        term = sp.factor(term)
    for factor in sp.Mul.make_args(term):
        base, exponent = factor.as_base_exp()
        if base == sp.log(n) and exponent.is_Integer:
            log_power += int(exponent)
        else:
            rest.append(factor)
    product = sp.powsimp(sp.expand_power_base(sp.Mul(*rest), force=True), force=True)
    product = sp.expand_power_base(product, force=True)
    coefficient, power = product.as_coeff_exponent(n)
    coefficient, e_power = coefficient.as_coeff_exponent(E)
    if coefficient.has(n) or coefficient.has(E):
        raise ValueError(f"{term} is not a monomial in {n}, {E}")
    return Monomial(sp.simplify(coefficient), sp.simplify(power), sp.simplify(e_power),
                    log_power)


def balance(left: sp.Expr, right: sp.Expr, n: sp.Symbol, E: sp.Symbol) -> PowerLaw:
    """n ~ C E^k (log E)^m making the monomials ``left`` and ``right`` equal as E -> oo.

    With n = C E^k (log E)^m, log n ~ k log E; equating powers of E, powers
    of log E and coefficients gives k, m and C.
    """
    lm, rm = to_monomial(left, n, E), to_monomial(right, n, E)
    k, m = sp.symbols("k m", real=True)
    C = sp.Symbol("C", positive=True)
    (exponent,) = sp.solve(sp.Eq(lm.power * k + lm.e_power, rm.power * k + rm.e_power), k)
    log_eq = sp.Eq(lm.power * m + lm.log_power, rm.power * m + rm.log_power)
    (log_power,) = sp.solve(log_eq, m) if log_eq != sp.true else (sp.S.Zero,)
    coefficient_eq = sp.Eq(lm.coefficient * C**lm.power * exponent**lm.log_power,
                           rm.coefficient * C**rm.power * exponent**rm.log_power)
    (coefficient,) = [c for c in sp.solve(coefficient_eq, C) if c.is_positive is not False]
    return PowerLaw(sp.powsimp(sp.simplify(coefficient), force=True), sp.simplify(exponent),
                    sp.simplify(log_power))


@dataclass(frozen=True)
class Leading:
    """The leading part of a sum as E -> oo, with the conditions that make it lead."""

    law: PowerLaw
    conditions: tuple[sp.Basic, ...]
    terms: tuple[sp.Expr, ...] = ()   # the terms of the sum that make up the leading part
    others: tuple[sp.Expr, ...] = ()  # the terms the law neglects


def _greater(x: sp.Expr, y: sp.Expr, reference: dict[sp.Symbol, object]) -> tuple[bool, sp.Basic]:
    """Is x > y?  Decided by SymPy if it can, else at the reference point."""
    difference = sp.simplify(x - y)
    relation = sp.Gt(x, y)
    if difference.is_positive:
        return True, sp.true
    if difference.is_nonpositive:
        return False, sp.true
    return decide(sp.Gt(difference, 0), reference), relation


def leading_in(expr: sp.Expr, law: PowerLaw, n: sp.Symbol, E: sp.Symbol,
               reference: dict[sp.Symbol, object]) -> Leading:
    """Leading behaviour C' E^k' (log E)^m' of ``expr`` (a sum of monomials) when n ~ law."""
    groups: list[tuple[sp.Expr, sp.Expr, sp.Expr]] = []   # (E-exponent, log-power, coefficient)
    members: list[list[sp.Expr]] = []                     # the terms of each group
    for term in sp.Add.make_args(sp.expand(sp.expand_log(expr, force=True))):
        mono = to_monomial(term, n, E)
        e_power = sp.simplify(mono.power * law.exponent + mono.e_power)
        log_power = sp.simplify(mono.power * law.log_power + mono.log_power)
        coefficient = mono.coefficient * law.coefficient**mono.power \
            * law.exponent**mono.log_power
        for index, (e0, l0, c0) in enumerate(groups):
            if sp.simplify(e0 - e_power) == 0 and sp.simplify(l0 - log_power) == 0:
                groups[index] = (e0, l0, c0 + coefficient)
                members[index].append(term)
                break
        else:
            groups.append((e_power, log_power, coefficient))
            members.append([term])
    best, conditions, best_index = groups[0], [], 0
    for index, candidate in enumerate(groups[1:], start=1):
        exponent_gap = sp.simplify(candidate[0] - best[0])
        if exponent_gap == 0:
            wins, condition = _greater(candidate[1], best[1], reference)
        else:
            wins, condition = _greater(candidate[0], best[0], reference)
        conditions.append(condition if wins else sp.Not(condition) if condition != sp.true
                          else sp.true)
        if wins:
            best, best_index = candidate, index
    law_out = PowerLaw(sp.simplify(best[2]), best[0], best[1])
    others = tuple(t for i, group in enumerate(members) if i != best_index for t in group)
    return Leading(law_out, tuple(c for c in conditions if c != sp.true),
                   tuple(members[best_index]), others)
