"""Quartier: a platform for neighbourhood and social-space work."""

__version__ = "0.1.0"
