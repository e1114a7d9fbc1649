"""Helpers for samples/generate.py: the forgekit sample case generator."""
