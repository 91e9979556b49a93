"""Safeguarding learning repository generator: content model, rules, retention and site."""

__version__ = "0.1.0"
