"""Facilitator: run live focus groups from the terminal."""

__version__ = "0.1.0"
