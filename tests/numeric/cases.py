"""Parameter sets shared by the numeric tests (each chosen for a reason given in its id)."""

from __future__ import annotations

import pytest

#: Interior (compute-bound) optima, diverse in exponents, gamma and scale.
INTERIOR = [
    pytest.param(dict(alpha=0.3, beta=0.3, gamma=-0.5, a=10.0, b=10.0, omega=1.0, delta=1e-10,
                      E=1e18), id="alpha=beta,gamma=-1/2"),
    pytest.param(dict(alpha=0.3, beta=0.3, gamma=0.0, a=10.0, b=10.0, omega=1.0, delta=1e-10,
                      E=1e18), id="gamma=0-log-demand"),
    pytest.param(dict(alpha=0.34, beta=0.28, gamma=0.5, a=406.4, b=410.7, omega=1.0, delta=1e-12,
                      E=1e20), id="chinchilla-exponents,gamma=1/2"),
    pytest.param(dict(alpha=0.25, beta=0.21, gamma=-1.0, a=100.0, b=50.0, omega=1.0, delta=1e-12,
                      E=1e20), id="olmo-exponents,gamma=-1-linear"),
    pytest.param(dict(alpha=0.18, beta=0.23, gamma=1.0, a=5.0, b=500.0, omega=2.0, delta=1e-8,
                      E=1e16), id="gamma=1-bounded,omega=2"),
    pytest.param(dict(alpha=0.5, beta=0.1, gamma=-3.0, a=10.0, b=10.0, omega=1.0, delta=1e-10,
                      E=1e18), id="margin-grows-forever,1+alpha*gamma<0"),
    pytest.param(dict(alpha=0.3, beta=0.3, gamma=-0.5, a=10.0, b=10.0, omega=1.0, delta=1e-10,
                      E=1e18, D=1e20), id="cap-not-binding"),
]

#: Data-bound corners: E is 7e6x, 1e11x and 24x above E_bind (~1.4e11, 9.0e8, 4.1e26).
CORNER = [
    pytest.param(dict(alpha=0.3, beta=0.3, gamma=-0.5, a=10.0, b=10.0, omega=1.0, delta=1e-10,
                      E=1e18, D=1e12), id="alpha=beta,gamma=-1/2"),
    pytest.param(dict(alpha=0.25, beta=0.2, gamma=0.0, a=40.0, b=7.0, omega=2.0, delta=1e-12,
                      E=1e20, D=1e13), id="alpha>beta,gamma=0"),
    pytest.param(dict(alpha=0.2, beta=0.5, gamma=-1.0, a=3.0, b=100.0, omega=1.0, delta=1e-8,
                      E=1e28, D=1e10), id="alpha<beta,gamma=-1"),
]

#: Parameter sets (gamma left out) probed at gamma = 0 and +-1e-14: the demand link's
#: textbook form is 0/0 or loses digits there, the solver's must not.
GAMMA_CONTINUITY = [
    pytest.param(dict(alpha=0.3, beta=0.3, a=10.0, b=10.0, omega=1.0, delta=1e-10, E=1e18),
                 id="alpha=beta"),
    pytest.param(dict(alpha=0.25, beta=0.21, a=100.0, b=50.0, omega=1.0, delta=1e-12,
                      E=1e20), id="olmo-exponents"),
    pytest.param(dict(alpha=0.5, beta=0.2, a=2.0, b=900.0, omega=1.0, delta=1e-14, E=1e13),
                 id="alpha>beta,small-E"),
]
