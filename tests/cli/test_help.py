"""profitopt --version and --help: what they print, and that they name what reproduce writes."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from profitopt.cli import REPRODUCE_FILES, main

ROOT = Path(__file__).resolve().parents[2]


def _run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


class TestVersion:
    """--version prints 'profitopt <the project's version>' and exits 0."""

    def test_version(self, capsys):
        version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
        code, out, err = _run(capsys, ["--version"])
        assert code == 0 and err == "" and out.strip() == f"profitopt {version}"


class TestHelp:
    """--help exits 0; the top-level and reproduce help name every file reproduce writes,
    and those are the files reproduce's own docstring lists."""

    @pytest.mark.parametrize("argv", [pytest.param(["--help"], id="top"),
                                      pytest.param(["reproduce", "--help"], id="reproduce")])
    def test_names_reproduce_outputs(self, capsys, argv):
        code, out, _ = _run(capsys, argv)
        assert code == 0
        flat = " ".join(out.split())
        for name in REPRODUCE_FILES:
            assert name in flat, name

    def test_list_matches_reproduce(self):
        from profitopt.reproduce import reproduce

        doc = " ".join(reproduce.__doc__.split())
        assert all(name in doc for name in REPRODUCE_FILES)

    @pytest.mark.parametrize("words", [
        pytest.param("NAME=lo:hi[:lin|:log]:count", id="grid-format"),
        pytest.param("--force", id="force"),
        pytest.param("invalid", id="invalid-rows"),
        pytest.param("0.001 <= alpha, beta <= 10", id="domain"),
    ])
    def test_sweep_help_documents_rules(self, capsys, words):
        code, out, _ = _run(capsys, ["sweep", "--help"])
        assert code == 0 and words in " ".join(out.split())
