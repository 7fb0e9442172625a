"""Exceptions raised by the ``bareos`` package.

The hierarchy and messages are those of python-bareos::

    Error
     +-- ConnectionError
     |    +-- AuthenticationError
     |    |    +-- PamAuthenticationError
     |    +-- ConnectionTimeoutError   (also a builtins.TimeoutError)
     +-- ConnectionLostError
     +-- SocketEmptyHeader
     +-- SignalReceivedException
     +-- JsonRpcErrorReceivedException
     |    +-- JsonRpcInvalidJsonReceivedException
     +-- ProtocolError

``ConnectionTimeoutError`` and ``ProtocolError`` are additions: python-bareos waits
forever where this package raises them.
"""

import builtins as _builtins
from typing import Any as _Any

# Also reachable as bareos.exceptions.Constants and bareos.Constants, as in python-bareos.
from bareos._constants import Constants


class Error(Exception):
    """Base class of every Bareos error."""


class ConnectionError(Error):
    """The connection could not be established (or a parameter is missing)."""


class ConnectionLostError(Error):
    """The connection broke; ``reconnect()`` opens a new one."""


class SocketEmptyHeader(Error):
    """An empty header was received (kept for compatibility; not raised)."""


class AuthenticationError(ConnectionError):
    """The director or file daemon refused the login."""


class PamAuthenticationError(AuthenticationError):
    """PAM login problem: required but no credentials, not offered, or rejected."""


class TlsCertificateError(AuthenticationError):
    """Certificate TLS failed: the peer's certificate cannot be verified (unknown CA,
    expired, not for this host and not an allowed CN), or the peer refused our client
    certificate or wants one. An addition: python-bareos has no certificate TLS."""


class ConnectionTimeoutError(ConnectionError, _builtins.TimeoutError):
    """A deadline passed: connecting, logging in, or waiting for a response.

    The connection is unusable afterwards; ``reconnect()`` opens a new one.
    """


class ProtocolError(Error):
    """The peer broke the Bareos protocol (e.g. an oversized or malformed frame)."""


class SignalReceivedException(Error):
    """A Bareos signal was received where data was expected.

    Attributes:
        signal (int): the signal code (negative, see :py:class:`Constants`).
    """

    def __init__(self, signal: int) -> None:
        description = Constants.get_description(signal)
        super().__init__("{0} ({1})".format(description, signal))
        self.signal = signal


def _json_error_message(jsondata: _Any) -> str:
    try:
        message = jsondata["error"]["message"]
    except (KeyError, TypeError):
        message = ""
    try:
        details = "".join(jsondata["error"]["data"]["messages"]["error"])
    except (KeyError, TypeError):
        details = str(jsondata)
    return "{0}: {1}".format(message, details)


class JsonRpcErrorReceivedException(Error):
    """The director answered with a JSON-RPC error object.

    The message is ``"<error.message>: <error.data.messages.error joined>"``, e.g.
    ``failed: foo: is an invalid command.``

    Attributes:
        jsondata (dict): the whole JSON-RPC envelope.
    """

    def __init__(self, jsondata: _Any) -> None:
        super().__init__(_json_error_message(jsondata))
        self.jsondata: _Any = jsondata


class JsonRpcInvalidJsonReceivedException(JsonRpcErrorReceivedException):
    """The director's answer is not a valid JSON-RPC document.

    ``jsondata`` is ``{"error": {"code": 2, "message": <reason>, "data": <raw bytes>}}``
    and the message is ``"<reason>: <raw data>"``.
    """

    def __init__(self, jsondata: _Any) -> None:
        try:
            message = jsondata["error"]["message"]
        except (KeyError, TypeError):
            message = ""
        try:
            data = str(jsondata["error"]["data"])
        except (KeyError, TypeError):
            data = ""
        Error.__init__(self, "{0}: {1}".format(message, data))
        self.jsondata = jsondata
