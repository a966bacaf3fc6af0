"""Safekeep: keep the evidence of online blackmail safe, offline, in one encrypted case file."""

__version__ = "0.1.0"
