"""Bareos version numbers."""

import re


class Version:
    """A Bareos version string such as ``23.0.0~pre1234.abcdef``."""

    def __init__(self, version: str) -> None:
        self.version = version

    def __str__(self) -> str:
        return self.version

    def __repr__(self) -> str:
        return "Version({0!r})".format(self.version)

    def as_python_version(self) -> str:
        """The version in PEP 440 form (``~preN.`` becomes ``.dev+N.``)."""
        return re.sub(r"~pre([0-9]+\.)", r".dev+\1", self.version)
