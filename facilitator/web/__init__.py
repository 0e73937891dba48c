"""Serving the tagger to browsers on the local network (off unless asked for)."""
