"""The version of the fj package and the dashboard."""

__version__ = "0.1.0"
