"""Kaohe (考核): target-performance assessment and supervision for government assessment offices."""

__version__ = "0.1.0"
