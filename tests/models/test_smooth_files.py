"""A model file may name a smooth law: examples/chinchilla.toml is the built-in additive model
with Hoffmann et al.'s fit as defaults, it solves like `--law additive --preset hoffmann2022`,
and reproduce gives it its own appendix whose claims all verify."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from profitopt.cli import main
from profitopt.models.loader import load, read_model_file
from profitopt.models.presets import preset
from profitopt.symbolic.variants import model_named

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "chinchilla.toml"
MARKET = ["--gamma", "-0.5", "--omega", "1", "--delta", "1e-12", "--E", "1e20"]


def test_parts_are_the_built_in_additive_model():
    """Law, costs, caps and the demand link equal the built-in model's; the file adds the
    fit's values as its parameters' defaults, and they are the preset's."""
    loaded, built = read_model_file(EXAMPLE), model_named("additive")
    assert loaded.law == built.law
    assert (loaded.costs, loaded.caps, loaded.shape, loaded.omega, loaded.delta) == \
        (built.costs, built.caps, built.shape, built.omega, built.delta)
    defaults = {spec.name: spec.default for spec in loaded.parameters if spec.default}
    assert defaults == {k: v for k, v in preset("hoffmann2022").values().items() if k != "E0"}
    assert [replace(s, default=None) for s in loaded.parameters] == list(built.parameters)


def test_solves_like_the_preset(capsys):
    """The same optimum, bit for bit, as the built-in law with the preset's coefficients."""
    assert main(["solve", "--json", "--model", str(EXAMPLE), *MARKET]) == 0
    from_file = json.loads(capsys.readouterr().out)
    assert main(["solve", "--json", "--law", "additive", "--preset", "hoffmann2022",
                 *MARKET]) == 0
    from_preset = json.loads(capsys.readouterr().out)
    for key in ("n", "d", "t", "q", "profit", "regime"):
        assert from_file[key] == from_preset[key]
    assert from_preset["tokens_per_parameter"] == pytest.approx(from_file["d"] / from_file["n"],
                                                                rel=1e-15)


def test_reproduce_gives_its_own_appendix(tmp_path):
    """Served tokens and the 50-digit optimum with its KKT cases apply to a smooth law (the
    kink records do not); every claim verifies."""
    name = load(EXAMPLE)
    assert main(["reproduce", "--no-pdf", "--model", str(EXAMPLE), "--out",
                 str(tmp_path)]) == 0
    document = json.loads((tmp_path / "claims.json").read_text())
    assert document["model"]["name"] == name
    ids = [d["id"] for d in document["derivations"]]
    assert ids == ["model_served_tokens", "model_optimum"]
    statuses = [c["status"] for d in document["derivations"] for c in d["claims"]]
    assert statuses and set(statuses) == {"verified"}


def test_api_fills_the_file_defaults():
    """profitopt.solve(model=FILE) takes the file's defaults for the parameters not given,
    as the command line does."""
    import profitopt

    from_file = profitopt.solve(model=str(EXAMPLE), gamma=-0.5, omega=1.0, delta=1e-12,
                                E=1e20)
    values = {k: v for k, v in preset("hoffmann2022").values().items() if k != "E0"}
    built = profitopt.solve(model="additive", **values, gamma=-0.5, omega=1.0, delta=1e-12,
                            E=1e20)
    assert (from_file.n, from_file.d, from_file.regime) == (built.n, built.d, built.regime)
