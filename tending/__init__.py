"""Tending: a self-hosted practice for staying close."""

from importlib.metadata import PackageNotFoundError, version

try:
    # One source for the version: the package's metadata, from pyproject.toml.
    __version__ = version("tending")
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0+unknown"
