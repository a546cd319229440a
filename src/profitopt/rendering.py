"""Thin jinja2 renderer: LaTeX-safe delimiters, a SymPy-to-LaTeX filter, nothing computed."""

from __future__ import annotations

from importlib.resources import files

import jinja2

from .derivations.verification import Report
from .notation import escape_text, to_latex


def environment() -> jinja2.Environment:
    """Templates use \\BLOCK{...}, \\VAR{...} and \\#{...} so TeX braces stay readable."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(files("profitopt.report_templates"))),
        block_start_string=r"\BLOCK{", block_end_string="}",
        variable_start_string=r"\VAR{", variable_end_string="}",
        comment_start_string=r"\#{", comment_end_string="}",
        line_statement_prefix="%%", line_comment_prefix="%#",
        trim_blocks=True, lstrip_blocks=True, autoescape=False,
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
    )
    env.filters["latex"] = to_latex
    env.filters["tex"] = escape_text
    return env


def render_derivations(reports: tuple[Report, ...]) -> str:
    """derivations.tex: every record with its proof steps and verification table."""
    return environment().get_template("derivations.tex.j2").render(reports=reports)
