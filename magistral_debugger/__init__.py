"""Magistral Debugger: paste a flawed proof, watch Magistral reason about it, read the verdict."""

__version__ = "0.1.0"
