"""Named model outputs on a frozen result: a model's FLOP counts and cost terms.

Which outputs a solution has depends on the model's cost terms (the paper:
train_flops, train_cost, infer_cost; the data-price variant adds data_cost), so a
result keeps them as an ordered tuple of (name, value) and answers attribute
access by name.
"""

from __future__ import annotations


class NamedOutputs:
    """Mixin: ``result.<name>`` reads ``result.costs``, the ordered (name, value) pairs."""

    __slots__ = ()

    def __getattr__(self, name: str):
        # only called for names that are not fields; "costs" itself missing means the
        # object is still being built (unpickling), not a model output
        if name == "costs" or name.startswith("__"):
            raise AttributeError(name)
        for key, value in self.costs:
            if key == name:
                return value
        raise AttributeError(f"{type(self).__name__} has no output {name!r}")
