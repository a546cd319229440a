"""profitopt: derive, verify and typeset the theory of profit-optimal LLM training."""

__version__ = "0.1.0"
