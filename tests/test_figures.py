"""Figures draw the data they are given: no solver runs, the captions state its numbers."""

from __future__ import annotations

import numpy as np
import pytest

from profitopt import figures
from profitopt.analysis.figure_data import (STATUS_ORDER, ClaimCounts, DataBoundData,
                                            ExponentData, GrowthData, LawCurve,
                                            LocalExponentSeries, OvertrainingData, SpendCurve,
                                            TokensPerParameterCurve, TrendsData)

#: Made-up data of the right shapes: the figures must draw whatever they are handed.
ENERGY = np.geomspace(1e6, 1e40, 9)
GROWTH = GrowthData(alpha=0.3, E=ENERGY, n=ENERGY ** 0.7, train_cost=ENERGY ** 0.4,
                    inference=LawCurve("inference-dominated", 1.25, ENERGY ** 1.25),
                    training=LawCurve("training-dominated", 0.5, ENERGY ** 0.5),
                    crossover=3e11)
EXPONENTS = ExponentData((
    LocalExponentSeries(gamma=-1.0, E=ENERGY, exponent=np.linspace(1.25, 0.5, 9),
                        inference=1.25, training=0.5, training_log=False, crossover=3e11),
    LocalExponentSeries(gamma=0.0, E=ENERGY,
                        exponent=np.r_[np.linspace(1.0, 0.6, 8), np.nan],
                        inference=1.0, training=0.6, training_log=True, crossover=2e9),
))
CAPS = np.geomspace(1e5, 1e12, 8)
DATA_BOUND = DataBoundData(alpha=0.3, D=CAPS,
                           curves=(SpendCurve(1e16, CAPS[:5], CAPS[:5] ** 2),
                                   SpendCurve(1e20, CAPS[:0], CAPS[:0])),
                           slope=2.0, elasticity_E=-1.0, guide=30 * CAPS ** 2)
OVERTRAINING = OvertrainingData("hoffmann2022", 0.34, 0.28, (
    TokensPerParameterCurve(-1.0, ENERGY, 20 * ENERGY ** 0.2, 19 * ENERGY ** 0.2,
                            40 * ENERGY ** 0.2),
    TokensPerParameterCurve(0.0, ENERGY[:0], ENERGY[:0], ENERGY[:0], ENERGY[:0]),
))
SHAPES = np.linspace(-1.0, 0.5, 7)
TRENDS = TrendsData("baseline", SHAPES, 2.0 ** -SHAPES * 4, 2.0 ** -SHAPES * 3,
                    np.r_[2.0 ** -SHAPES[:4] * 4, np.nan, 2.0 ** -SHAPES[5:] * 4], 5.6, 5.0,
                    (-0.62,), (), 1.37, 1.73, 1.73, 0.3, 0.3)
CLAIMS = ClaimCounts(("theorem1", "data_bound"), STATUS_ORDER,
                     np.array([[2, 0], [0, 1], [1, 0], [0, 0]]))


class TestDrawsGivenData:
    """Each figure writes a PDF from its data alone and names that data's numbers."""

    @pytest.mark.parametrize("draw, data, expected", [
        pytest.param(figures.growth_figure, GROWTH, ["E^{1.25}", "E^{0.5}",
                                                     r"3 \times 10^{11}"], id="growth"),
        pytest.param(figures.exponent_figure, EXPONENTS, ["logarithmic factor",
                                                          r"2 \times 10^{9}"], id="exponents"),
        pytest.param(figures.data_bound_figure, DATA_BOUND, ["= 2$", "E^{-1}"],
                     id="data-bound"),
        pytest.param(figures.overtraining_figure, OVERTRAINING,
                     [r"\texttt{hoffmann2022}", r"\alpha = 0.34", "over-training factor"],
                     id="overtraining"),
        pytest.param(figures.trends_figure, TRENDS,
                     [r"\texttt{baseline}", "bound $-0.62$", "tight rate none"],
                     id="trends"),
        pytest.param(figures.claims_figure, CLAIMS, ["2 verified, 1 bound only, 1 refuted."],
                     id="claims"),
    ])
    def test_draws(self, tmp_path, draw, data, expected):
        path = tmp_path / "figure.pdf"
        caption = draw(data, path)
        assert path.read_bytes().startswith(b"%PDF")
        assert all(text in caption for text in expected), caption

    def test_draws_without_guide(self, tmp_path):
        """No curve is data-bound anywhere: there is no guide to draw."""
        import dataclasses
        data = dataclasses.replace(DATA_BOUND, curves=DATA_BOUND.curves[1:], guide=None)
        figures.data_bound_figure(data, tmp_path / "figure.pdf")
        assert (tmp_path / "figure.pdf").read_bytes().startswith(b"%PDF")


class TestFigureTable:
    """make_figures draws every figure of FIGURES, under its own file name."""

    def test_names(self):
        assert [name for name, _, _ in figures.FIGURES] == ["growth", "exponents",
                                                             "data-bound", "overtraining",
                                                             "trends", "claims"]
