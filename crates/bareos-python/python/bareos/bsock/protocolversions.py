"""Bareos console protocol versions."""

from enum import IntEnum


class ProtocolVersions(IntEnum):
    """Console protocol versions: 1 (hello without version, Bareos 12.4) and 2 (18.2)."""

    bareos_12_4 = 1
    bareos_18_2 = 2
    last = 2
