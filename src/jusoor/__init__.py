"""Jusoor: software for the national bodies that fight trafficking in persons and migrant smuggling."""

__version__ = "0.1.0"
