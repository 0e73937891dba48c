"""Widgets of the live screen."""
