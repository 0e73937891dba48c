"""Exports: the session bundle and the formats qualitative analysis programs import."""
