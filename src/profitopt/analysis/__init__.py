"""The analyses the command line, the API and the figures present.

Each module computes data from the solver and the symbolic laws: the exponent
report (:mod:`.exponents`) and what each figure plots (:mod:`.figure_data`).
Nothing here parses arguments, prints, renders or draws.
"""
