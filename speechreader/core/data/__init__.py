"""Data files shipped with the core: phrase overrides and the political word list."""
