"""Numeric codes of the director's response messages."""


class ProtocolMessageIds:
    """Codes that start the director's (and file daemon's) response messages."""

    Unknown = 0
    ProtokollError = 1
    ReceiveError = 2
    Ok = 1000
    PamRequired = 1001
    InfoMessage = 1002
    PamInteractive = 4001
    PamUserCredentials = 4002

    FdOk = 2000
