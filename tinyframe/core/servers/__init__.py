"""Servers that run a tinyframe project; chapter 01 has the development server, ``basehttp``."""
