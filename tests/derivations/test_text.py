"""Record text is LaTeX text mode with its mathematics in $...$, and no form is a stand-in.

The appendix typesets every text field as it is and claims.json carries the
same string (see ``profitopt.derivations.record``), so a researcher can paste
either into a paper.  These tests read every record of the registry.
"""

from __future__ import annotations

import pickle
import re

import pytest
import sympy as sp
from sympy.core.function import AppliedUndef

from profitopt.derivations.record import Derivation, Role
from profitopt.derivations.registry import all_derivations
from profitopt.derivations.text import number_latex

RECORDS = all_derivations()
IDS = [d.id for d in RECORDS]

#: ASCII spellings of relations and arrows: wrong in text and in math alike.
ASCII_OPERATORS = ("**", "!=", "<~", "~<", ">~", "<=", ">=", "=>", "->", "<-")
#: Characters that are mathematics (or a LaTeX error) in text mode.
MATH_CHARACTERS = set("^_*=<>|")
#: Names that must be typeset as symbols or macros, not written out in text mode.
SPELLED_OUT = re.compile(r"\\?\b(alpha|beta|gamma|delta|omega|rho|epsilon|infinity|oo)\b")
#: Operator names that must carry their backslash inside math.
BARE_OPERATORS = re.compile(r"(?<![\\A-Za-z])(log|exp|min|max|lim|sqrt|alpha|beta|gamma|delta|"
                            r"omega|rho|pi|infty)(?![A-Za-z])")
#: Macros of LaTeX, amsmath and amssymb the records may use.
ALLOWED_MACROS = frozenset("""
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu
    xi pi rho varrho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi
    Pi Sigma Upsilon Phi Psi Omega
    mathcal mathrm mathit mathbf mathbb boldsymbol operatorname text textrm textit textbf emph
    texttt textsf textsc textup textnormal mbox
    frac tfrac dfrac sqrt left right big Big bigl bigr Bigl Bigr quad qquad
    cdot times ldots dots cdots pm mp prime partial nabla ell
    lesssim gtrsim ll gg sim simeq approx propto neq ne geq leq ge le equiv
    to infty in notin subset subseteq setminus cup cap emptyset mid colon
    iff implies Rightarrow Leftrightarrow rightarrow leftarrow mapsto
    forall exists neg land lor wedge vee langle rangle lfloor rfloor lceil rceil
    log ln exp min max sup inf lim limsup liminf
    hat bar tilde widehat widetilde overline underline dot ddot ref eqref
""".split())


def _text_fields(record: Derivation) -> list[tuple[str, str]]:
    """(where, text) for every human-text field of a record."""
    fields = [("title", record.title), ("statement", record.statement)]
    fields += [(f"notes[{i}]", note) for i, note in enumerate(record.notes)]
    fields += [(f"assumption {a.id}", a.statement) for a in record.assumptions]
    fields += [(f"step {s.id}", s.justification) for s in record.steps]
    for claim in record.claims:
        fields += [(f"claim {claim.id} statement", claim.statement),
                   (f"claim {claim.id} reported_text", claim.reported_text),
                   (f"claim {claim.id} window", claim.window)]
        fields += [(f"claim {claim.id} check {c.id}", c.description) for c in claim.checks]
    return fields


def _split(text: str) -> tuple[list[str], list[str]]:
    """Text-mode pieces and math pieces of a field (math between unescaped $)."""
    pieces = re.split(r"(?<!\\)\$", text)
    return pieces[0::2], pieces[1::2]


def problems(text: str) -> list[str]:
    """Everything that is not LaTeX text with $...$ mathematics, in words."""
    found = []
    if "$$" in text or len(re.findall(r"(?<!\\)\$", text)) % 2:
        return ["unbalanced or display math delimiters"]
    prose, maths = _split(text)
    found += [f"ASCII operator {op!r}" for op in ASCII_OPERATORS if op in text]
    for piece in prose:
        unescaped = re.sub(r"\\[_&%#{}]", "", piece)
        found += [f"{ch!r} outside math" for ch in sorted(MATH_CHARACTERS & set(unescaped))]
        found += [f"{m.group(0)!r} outside math" for m in SPELLED_OUT.finditer(piece)]
    for piece in maths:
        stars = re.sub(r"\^\{?\*\}?", "", piece)
        if "*" in stars:
            found.append(f"'*' as multiplication in ${piece}$")
        found += [f"{m.group(0)!r} without backslash in ${piece}$"
                  for m in BARE_OPERATORS.finditer(re.sub(r"\\(mathrm|text|operatorname)"
                                                          r"\{[^}]*\}", "", piece))]
    found += [f"macro \\{name} is not in LaTeX, amsmath or amssymb"
              for name in sorted(set(re.findall(r"\\([A-Za-z]+)", text)) - ALLOWED_MACROS)]
    return found


def _stand_in(expr: sp.Basic | None) -> bool:
    """A bare number, truth value or undefined function in place of a statement.

    Also after a pickle round trip, which rebuilds (and so evaluates) every part: a
    relation built with ``evaluate=False`` that SymPy can decide is a truth value there.
    """
    return any(isinstance(form, (sp.logic.boolalg.BooleanAtom, AppliedUndef))
               or (isinstance(form, sp.Expr) and form.is_number)
               for form in (expr, pickle.loads(pickle.dumps(expr))))


class TestTextIsLatex:
    """Every text field is LaTeX text mode: mathematics only inside balanced $...$."""

    @pytest.mark.parametrize("record", RECORDS, ids=IDS)
    def test_no_ascii_mathematics(self, record: Derivation):
        bad = {where: problems(text) for where, text in _text_fields(record) if problems(text)}
        assert bad == {}, f"{record.id}: ASCII mathematics in its text fields"

    @pytest.mark.parametrize("text,expected", [
        pytest.param(r"For $\gamma = 0$, $n^* = \mathcal{O}(aE/\rho)$.", [], id="latex"),
        pytest.param(r"$C^*_{train} \lesssim E^{1.86}$ and $\varepsilon_{b} > 0$", [],
                     id="starred-superscript"),
        pytest.param("For gamma = 0, n* = O(aE/rho).",
                     ["'*' outside math", "'=' outside math", "'gamma' outside math",
                      "'rho' outside math"], id="ascii"),
        pytest.param("$q^-gamma$ and $x != 0$",
                     ["ASCII operator '!='", "'gamma' without backslash in $q^-gamma$"],
                     id="ascii-in-math"),
        pytest.param("E -> infinity", ["ASCII operator '->'", "'>' outside math",
                                       "'infinity' outside math"], id="arrow"),
        pytest.param("$6*(b/a)**(1/alpha)$", ["ASCII operator '**'",
                                              "'*' as multiplication in $6*(b/a)**(1/alpha)$",
                                              "'alpha' without backslash in "
                                              "$6*(b/a)**(1/alpha)$"], id="python-power"),
        pytest.param(r"$x$ is $\mathscr{O}$", [r"macro \mathscr is not in LaTeX, amsmath or "
                                               r"amssymb"], id="unknown-macro"),
        pytest.param("a $x", ["unbalanced or display math delimiters"], id="unbalanced"),
        pytest.param(r"costs \$5 and $x$", [], id="escaped-dollar"),
        pytest.param(r"see \texttt{parameter\_efficiency}", [], id="escaped-underscore"),
        pytest.param(r"see \texttt{train_cost}", ["'_' outside math"], id="bare-underscore"),
    ])
    def test_the_rules_catch_ascii(self, text: str, expected: list[str]):
        assert problems(text) == expected


class TestFormsAreStatements:
    """No derived or reported form is a bare number or stand-in; no assumption is a truth value."""

    @pytest.mark.parametrize("record", RECORDS, ids=IDS)
    def test_claim_forms_are_not_stand_ins(self, record: Derivation):
        bare = [f"{c.id}.{field}" for c in record.claims
                for field, expr in (("derived", c.derived), ("reported", c.reported))
                if _stand_in(expr)]
        assert bare == []

    @pytest.mark.parametrize("record", RECORDS, ids=IDS)
    def test_assumptions_are_not_truth_values(self, record: Derivation):
        truth = [a.id for a in record.assumptions if a.expr is not None and _stand_in(a.expr)]
        assert truth == []

    @pytest.mark.parametrize("form,stand_in", [
        pytest.param(sp.Integer(-1), True, id="number"),
        pytest.param(sp.Function("f")(sp.Symbol("q")), True, id="undefined-function"),
        pytest.param(sp.Gt(sp.Symbol("t", positive=True), 0, evaluate=False), True,
                     id="decidable-relation"),
        pytest.param(sp.Gt(sp.Symbol("gamma", real=True), -1), False, id="relation"),
        pytest.param(sp.Eq(sp.Symbol("k"), 1), False, id="equation"),
    ])
    def test_stand_ins_are_recognized(self, form: sp.Basic, stand_in: bool):
        assert _stand_in(form) is stand_in


class TestReportedFormsAreCompared:
    """A reported form has a REPORTED check; a REPORTED check has something reported."""

    @pytest.mark.parametrize("record", RECORDS, ids=IDS)
    def test_reported_form_has_a_reported_check(self, record: Derivation):
        unchecked = [c.id for c in record.claims if c.reported is not None
                     and not any(k.role is Role.REPORTED for k in c.checks)]
        assert unchecked == []

    @pytest.mark.parametrize("record", RECORDS, ids=IDS)
    def test_reported_check_has_a_reported_form(self, record: Derivation):
        unsaid = [c.id for c in record.claims if c.reported is None and not c.reported_text
                  and any(k.role is Role.REPORTED for k in c.checks)]
        assert unsaid == []


class TestNumbers:
    """Computed numbers enter text rounded, in LaTeX."""

    @pytest.mark.parametrize("value,expected", [
        pytest.param(sp.Rational(5, 9) * 10**12, r"5.56 \times 10^{11}", id="large"),
        pytest.param(sp.Rational(5, 7), "0.714", id="fraction"),
        pytest.param(10**16, "10^{16}", id="power-of-ten"),
        pytest.param(-2 * sp.Rational(1, 10**7), r"-2 \times 10^{-7}", id="small-negative"),
        pytest.param(999.6, "1000", id="rounds-up"),
        pytest.param(0, "0", id="zero"),
    ])
    def test_number_latex(self, value, expected: str):
        assert number_latex(value) == expected
