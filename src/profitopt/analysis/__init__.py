"""The analyses the command line and the API present.

Each module computes data from the solver and the symbolic laws: the exponent
report (:mod:`.exponents`).  Nothing here parses arguments, prints, renders or draws.
"""
