"""Kinds of Bareos connections."""


class ConnectionType:
    """Kinds of Bareos connections (the peer we talk to)."""

    DIRECTOR = 1001
    STORAGE = 1002
    FILEDAEMON = 1003
