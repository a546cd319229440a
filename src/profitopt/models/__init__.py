"""Model files: the TOML format, its loader and the paper's model as paper.toml."""
