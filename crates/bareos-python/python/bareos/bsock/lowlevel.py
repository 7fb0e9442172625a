"""Common base of the Bareos connection classes.

The network work (TCP, TLS-PSK, CRAM-MD5 login, framing, end-of-response detection) is
done by the native client ``bareos._bareos``, which releases the GIL while it waits.
This module adapts it to python-bareos's interface: the argparse helpers, ``call``,
the low-level ``send`` / ``recv`` / ``recv_msg`` / ``recv_bytes`` / ``has_data``,
``socket``, ``interactive``, ``get_cipher``, reconnecting, and the exceptions of
:py:mod:`bareos.exceptions`.
"""

import hashlib
import hmac
import logging
import os
import secrets
import select
import socket as _socket_module
import ssl
import struct
import sys
import time
import warnings
from typing import (
    Any,
    Callable,
    Dict,
    List,
    NoReturn,
    Optional,
    Sequence,
    Tuple,
    TypeVar,
    Union,
    overload,
)

import bareos.exceptions
from bareos import _bareos
from bareos.bsock.connectiontype import ConnectionType
from bareos.bsock.constants import Constants
from bareos.bsock.protocolmessageids import ProtocolMessageIds  # noqa: F401 - as python-bareos
from bareos.bsock.protocolmessages import ProtocolMessages
from bareos.bsock.protocolversions import ProtocolVersions
from bareos.util.bareosbase64 import BareosBase64
from bareos.util.password import Password

#: The native connection under a :py:class:`LowLevel` object.
_Native = Union[_bareos.Director, _bareos.FileDaemon]
_T = TypeVar("_T")


@overload
def bash(name: None) -> None: ...


@overload
def bash(name: str) -> str: ...


@overload
def bash(name: bytes) -> bytes: ...


def bash(name: Union[str, bytes, None]) -> Union[str, bytes, None]:
    """A name as the daemons expect it in a hello: spaces replaced by ``\\x01``.

    Args:
       name (str, bytes or None): the name.

    Returns:
       str, bytes or None: the same type, bashed.
    """
    if name is None:
        return None
    if isinstance(name, str):
        return name.replace(" ", "\x01")
    if isinstance(name, bytes):
        return name.replace(b" ", b"\x01")
    raise TypeError("name has to be None/str/bytes")


def _tls_max_version(tls_version: object) -> Optional[str]:
    """Translates python-bareos's ``tls_version`` into the native client's cap."""
    if tls_version is None:
        return None
    names = {"PROTOCOL_TLSv1_2": "1.2", "TLSv1_2": "1.2", "TLSv1_3": "1.3"}
    for name, value in names.items():
        for module in (ssl, getattr(ssl, "TLSVersion", None)):
            if module is not None and getattr(module, name, object()) == tls_version:
                return value
    if tls_version in ("1.2", "v1.2"):
        return "1.2"
    if tls_version in ("1.3", "v1.3"):
        return "1.3"
    # PROTOCOL_TLS / PROTOCOL_TLS_CLIENT and older versions: negotiate (TLS 1.3 or 1.2).
    return None


_PathArg = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]", None]
"""A file or directory path keyword (certificate TLS)."""
_NamesArg = Union[str, bytes, Sequence[Union[str, bytes]], None]
"""One name or a list of names (``tls_allowed_cn``)."""


def _certificates(
    tls_ca_file: _PathArg,
    tls_ca_dir: _PathArg,
    tls_cert_file: _PathArg,
    tls_key_file: _PathArg,
    tls_verify_peer: Optional[bool],
    tls_allowed_cn: _NamesArg,
    tls_cipher_list: Optional[str],
) -> Optional[Dict[str, Any]]:
    """The certificate TLS keywords of a connection class (their defaults are the
    classes') as the native client takes them, ``None`` when none is given (then TLS-PSK
    is used)."""
    paths = (tls_ca_file, tls_ca_dir, tls_cert_file, tls_key_file)
    if all(p is None for p in paths) and tls_cipher_list is None and not tls_allowed_cn:
        if tls_verify_peer is not True and tls_verify_peer is not None:
            raise ValueError("tls_verify_peer needs tls_ca_file or tls_ca_dir")
        return None
    names: Sequence[Union[str, bytes]]
    if isinstance(tls_allowed_cn, (str, bytes)):
        names = [tls_allowed_cn]
    else:
        names = tls_allowed_cn or []
    allowed = [
        name.decode("utf-8") if isinstance(name, bytes) else str(name) for name in names
    ]

    def path(value: _PathArg) -> Optional[str]:
        return None if value is None else os.fsdecode(os.fspath(value))

    return {
        "ca_file": path(tls_ca_file),
        "ca_dir": path(tls_ca_dir),
        "cert_file": path(tls_cert_file),
        "key_file": path(tls_key_file),
        "verify_peer": True if tls_verify_peer is None else bool(tls_verify_peer),
        "allowed_cn": allowed,
        "cipher_list": None if tls_cipher_list is None else str(tls_cipher_list),
    }


def _tls_mode_for(
    tls_psk_enable: bool, tls_psk_require: bool, certificates: Optional[Dict[str, Any]]
) -> str:
    """``required``, ``prefer`` or ``disabled``: with a CA configured (certificate TLS)
    TLS is required, since falling back to cleartext would defeat the verification."""
    if tls_psk_require and not tls_psk_enable:
        raise bareos.exceptions.ConnectionError("TLS-PSK is required, but not enabled.")
    if not tls_psk_enable:
        return "disabled"
    uses_ca = certificates is not None and (
        certificates["ca_file"] is not None
        or certificates["ca_dir"] is not None
        or certificates["cert_file"] is not None
    )
    if tls_psk_require or uses_ca:
        return "required"
    return "prefer"


def _breaks_connection(error: _bareos.NativeError) -> bool:
    """Whether a native error leaves the connection unusable (lost, timed out, or a
    protocol violation; not a reply that is merely not what was expected)."""
    kind, _message, raw = error.args
    return kind in ("lost", "timeout") or (kind == "protocol" and raw is None)


def _translate(
    error: _bareos.NativeError, address: object = None, port: object = None, json: bool = False
) -> bareos.exceptions.Error:
    """Turns a native error into the python-bareos exception for the same failure."""
    kind, message, raw = error.args
    exc = bareos.exceptions
    if kind == "connect":
        return exc.ConnectionError(
            "Failed to connect to host {0}, port {1}: {2}".format(address, port, message)
        )
    if kind == "config":
        return exc.ConnectionError(message)
    if kind == "pam":
        return exc.PamAuthenticationError(_pam_message(message))
    if kind == "certificate":
        return exc.TlsCertificateError(message)
    if kind in ("auth", "tls"):
        return exc.AuthenticationError(_auth_message(message))
    if kind == "timeout":
        return exc.ConnectionTimeoutError(message)
    if kind == "lost":
        return exc.ConnectionLostError(message)
    if raw is not None and (json or kind == "director"):
        return exc.JsonRpcInvalidJsonReceivedException(
            {"error": {"code": 2, "message": message, "data": bytearray(raw)}}
        )
    if kind == "protocol":
        return exc.ProtocolError(message)
    return exc.Error(message)


def _auth_message(message: str) -> str:
    """python-bareos's text for a refused login, followed by our detail.

    python-bareos says ``failed (in response)`` when the director rejects the answer to
    its challenge (wrong password, unknown console), ``failed (in challenge)`` when the
    director's own answer is wrong (an impostor), and reports the signal when the
    director hangs up before authentication.
    """
    if "impostor" in message:
        return "failed (in challenge): {0}".format(message)
    if "refused before authentication" in message:
        return "Received unexcepted signal: Conversation terminated (-4): {0}".format(
            message
        )
    return "failed (in response): {0}".format(message)


def _pam_message(message: str) -> str:
    """python-bareos's PAM messages where they apply, followed by our detail."""
    if "no PAM username and password were given" in message:
        return "PAM authentication is requested, but no PAM credentials given. Giving up.\n{0}".format(
            message
        )
    if "does not use PAM authentication" in message:
        return "PAM credentials provided, but this Director console does not offer PAM login. Giving up.\n{0}".format(
            message
        )
    if "over an unencrypted connection" in message:
        return (
            "refusing to send the PAM password over an unencrypted connection: use "
            "TLS-PSK, or pass pam_allow_cleartext=True to send it anyway"
        )
    if "PAM authentication failed" in message:
        return "PAM authentication failed. {0}".format(message)
    return message


class _Socket:
    """What ``.socket`` is on a cleartext connection: the parts of a ``socket.socket``
    that scripts look at (addresses, ``fileno()`` for ``select``, timeouts).

    Reading and writing go through the connection object (``call``, ``send``,
    ``recv``), never through this one.
    """

    def __init__(self, connection: "LowLevel") -> None:
        self._connection = connection

    def _native(self) -> _Native:
        native = self._connection._native
        if native is None:
            raise OSError(9, "Bad file descriptor")
        return native

    def getpeername(self) -> Tuple[str, int]:
        """``(host, port)`` of the director or file daemon."""
        return self._native().addresses()[1]

    def getsockname(self) -> Tuple[str, int]:
        """``(host, port)`` of our end."""
        return self._native().addresses()[0]

    def fileno(self) -> int:
        """The file descriptor (for ``select``; -1 once closed)."""
        native = self._connection._native
        return -1 if native is None else native.fileno()

    def gettimeout(self) -> Optional[float]:
        """The deadline of each call in seconds, ``None`` for none (the default)."""
        return self._connection.call_timeout

    def settimeout(self, value: Optional[float]) -> None:
        """Sets the deadline of each call (``None``: a command runs as long as needed)."""
        self._connection.set_call_timeout(value)

    def close(self) -> None:
        """Closes the connection (like ``connection.close()``)."""
        self._connection.close()

    def __repr__(self) -> str:
        try:
            return "<{0} fd={1} laddr={2} raddr={3}>".format(
                type(self).__name__, self.fileno(), self.getsockname(), self.getpeername()
            )
        except OSError:
            return "<{0} [closed]>".format(type(self).__name__)


class _TlsSocket(_Socket):
    """What ``.socket`` is on a TLS-PSK connection: also ``cipher()`` and ``version()``
    as an ``ssl.SSLSocket`` gives them."""

    def cipher(self) -> Optional[Tuple[str, str, int]]:
        """``(cipher name, TLS version, secret bits)``."""
        return self._native().cipher()

    def version(self) -> Optional[str]:
        """The TLS version, e.g. ``"TLSv1.3"``."""
        cipher = self.cipher()
        return cipher[1] if cipher else None


class LowLevel:
    """Base of :py:class:`DirectorConsole` and :py:class:`FileDaemon`.

    Not meant to be instantiated by itself.
    """

    #: Whether connections switch to API mode 2 (JSON) right after the login.
    _json_mode = False

    @staticmethod
    def argparser_get_bareos_parameter(args: Any) -> Dict[str, Any]:
        """The connection keywords from parsed arguments.

        Takes every attribute of ``args`` named ``BAREOS_<keyword>`` whose value is not
        ``None`` and returns ``{keyword: value}``; used together with
        ``argparser_add_default_command_line_arguments``.

        Args:
           args (argparse.Namespace): the result of ``ArgumentParser.parse_args()``.

        Returns:
           dict: keyword arguments for the connection class.
        """
        prefix = "BAREOS_"
        return {
            key[len(prefix) :]: value
            for key, value in vars(args).items()
            if key.startswith(prefix) and value is not None
        }

    def __init__(self) -> None:
        self.logger = logging.getLogger("bareos.bsock")
        self.status: Optional[int] = None
        self.address: Optional[str] = None
        self.port: Optional[int] = None
        self.timeout: Optional[float] = None
        self.call_timeout: Optional[float] = None
        self.dirname: Optional[str] = None
        self.name: Union[str, bytes, None] = None
        self.password: Optional[Password] = None
        self.pam_username: Optional[str] = None
        self.pam_password: Optional[str] = None
        self.pam_allow_cleartext = False
        self.auth_credentials_valid = False
        self.max_reconnects = 0
        self.tls_psk_enable = True
        self.tls_psk_require = False
        self.tls_certificates: Optional[Dict[str, Any]] = None
        self.tls_version: Any = None
        self.connection_type: Optional[int] = None
        self.requested_protocol_version: Optional[int] = None
        self.protocol_messages = ProtocolMessages()
        self.identity_prefix = "R_NONE"
        self.receive_buffer = b""
        self._wire = bytearray()
        self._native: Optional[_Native] = None
        self._lost = False

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - never raise from a finalizer
            pass

    def __repr__(self) -> str:
        return "<{0} {1}:{2} name={3!r} {4}>".format(
            type(self).__name__,
            self.address,
            self.port,
            self.name,
            "connected" if self._native is not None else "closed",
        )

    # -- connection ----------------------------------------------------------------

    @property
    def socket(self) -> Optional[_Socket]:
        """The connection's socket, like python-bareos's attribute: ``None`` when not
        connected; on TLS-PSK it has ``cipher()`` and ``version()`` (an
        ``ssl.SSLSocket`` would), on cleartext it has not."""
        if self._native is None:
            return None
        if self._native.cipher() is None:
            return _Socket(self)
        return _TlsSocket(self)

    def connect(
        self,
        address: str,
        port: Union[int, str],
        dirname: Optional[str],
        connection_type: int,
        name: Union[str, bytes, None] = None,
        password: Union[str, bytes, Password, None] = None,
        timeout: Optional[float] = None,
    ) -> bool:
        """Connects and logs in.

        Args:
           address (str): host name or IP address.
           port (int): TCP port.
           dirname (str, optional): unused (kept for compatibility).
           connection_type (int): see :py:class:`ConnectionType`.
           name (str, optional): console name (director) or director name (file daemon).
           password (str or bareos.util.Password): the password.
           timeout (float, optional): seconds allowed for connecting and logging in.
              Commands run as long as the peer needs (see ``call_timeout``).

        Returns:
           bool: True (failures raise).

        Raises:
           bareos.exceptions.ConnectionError: the peer cannot be reached.
           bareos.exceptions.AuthenticationError: the login was refused.
           bareos.exceptions.PamAuthenticationError: PAM login failed.
           bareos.exceptions.ConnectionTimeoutError: connecting or logging in took
              longer than ``timeout``.
        """
        self.address = address
        self.port = int(port)
        self.dirname = dirname if dirname else address
        if timeout:
            self.timeout = timeout
        self.connection_type = connection_type
        self.name = name
        if password is None:
            raise bareos.exceptions.ConnectionError("Parameter 'password' is required.")
        if isinstance(password, Password):
            self.password = password
        else:
            self.password = Password(password)
        return self.__connect()

    def _tls_mode(self) -> str:
        return _tls_mode_for(self.tls_psk_enable, self.tls_psk_require, self.tls_certificates)

    def _open_native(self, tls: str, password_md5: str) -> _Native:
        raise NotImplementedError

    def __connect(self) -> bool:
        tls = self._tls_mode()
        md5 = _md5_hex(self.password)
        try:
            native = self._native = self._open_native(tls, md5)
        except _bareos.NativeError as error:
            raise _translate(error, self.address, self.port, json=self._json_mode) from None
        self._wire = bytearray()
        self.receive_buffer = b""
        cipher = native.cipher()
        if cipher is None:
            self.logger.debug("Encryption: None")
            if tls == "prefer":
                self._warn_cleartext()
        else:
            self.logger.debug("Encryption: {0}".format(cipher))
        self._after_connect()
        self.auth_credentials_valid = True
        self.status = None
        return True

    def _warn_cleartext(self) -> None:
        message = (
            "Connection to {0}:{1} is not encrypted: TLS-PSK failed, "
            "using a plain connection (pass tls_psk_require=True to refuse this)."
        ).format(self.address, self.port)
        self.logger.warning("Failed to connect via TLS-PSK. Trying plain connection.")
        warnings.warn(message, UserWarning, stacklevel=5)

    def _after_connect(self) -> None:
        """Hook run after each successful login (the protocol fallback report)."""

    def _native_call(self, method: str, *args: Any) -> Any:
        if self._native is None:
            if self.auth_credentials_valid:
                raise bareos.exceptions.ConnectionLostError(
                    "currently no network connection"
                )
            raise RuntimeError("should connect to director first before send data")
        try:
            return getattr(self._native, method)(*args)
        except _bareos.NativeError as error:
            raise self._native_error(error) from None

    def _native_error(self, error: "_bareos.NativeError") -> bareos.exceptions.Error:
        """The python-bareos exception for a failed native call; the connection is
        closed first if the failure broke it."""
        if _breaks_connection(error):
            self._handleSocketError(error.args[1])
        return _translate(error, self.address, self.port, json=self._json_mode)

    def set_call_timeout(self, timeout: Optional[float]) -> None:
        """Sets the deadline of each following call, in seconds (an addition).

        ``None`` (the default) lets a command run as long as the peer needs (``wait``,
        ``.bvfs_update``, tape ``mount``); a dead peer is still noticed within about a
        minute. A call that passes its deadline raises
        :py:class:`~bareos.exceptions.ConnectionTimeoutError` and closes the
        connection (the next call reconnects when ``max_reconnects`` allows).

        Args:
           timeout (float or None): seconds.
        """
        if timeout is not None:
            timeout = float(timeout)
        if self._native is not None:
            self._native.set_call_timeout(timeout)
        self.call_timeout = timeout

    def get_tls_psk_identity(self) -> bytes:
        """The TLS-PSK identity: ``<prefix><RS><name>`` as bytes."""
        name = self.name
        if isinstance(name, bytes):
            name = name.decode("utf-8")
        identity = "{0}{1}{2}".format(
            self.identity_prefix, Constants.record_separator, name
        )
        return identity.encode("utf-8")

    @staticmethod
    def is_tls_psk_available() -> bool:
        """TLS-PSK is always available (built in, independent of the ``ssl`` module)."""
        return True

    def get_protocol_version(self) -> Union[ProtocolVersions, int]:
        """The console protocol version in use (see :py:class:`ProtocolVersions`)."""
        return self.protocol_messages.get_version()

    def get_cipher(self) -> Optional[Tuple[str, str, int]]:
        """The TLS cipher in use, like ``ssl.SSLSocket.cipher()``.

        Returns:
           tuple or None: ``(cipher name, TLS version, secret bits)``, e.g.
           ``("TLS_CHACHA20_POLY1305_SHA256", "TLSv1.3", 256)``; ``None`` on a
           cleartext or closed connection.
        """
        if self._native is None:
            return None
        return self._native.cipher()

    def auth(self) -> bool:
        """Logs in (python-bareos's login step).

        The login runs as part of connecting here, so on a connected object this only
        reports it; on a closed one it connects and logs in again.

        Returns:
           bool: True (failures raise :py:class:`~bareos.exceptions.AuthenticationError`).
        """
        if self._native is None:
            self.__connect()
        return self.auth_credentials_valid

    def _finalize_authentication(self) -> None:
        """Kept for compatibility: the native client checks the welcome itself."""

    def _cram_md5_challenge(
        self,
        clientname: Union[str, bytes],
        password: Union[bytes, bytearray],
        tls_local_need: int = 0,
        compatible: bool = True,
    ) -> bool:
        """Challenges the peer with CRAM-MD5 and checks its answer (login step).

        The native client runs the whole login, both directions, when connecting; this
        is python-bareos's step for callers that drive a login by hand with
        :py:meth:`send` / :py:meth:`recv`. Sends ``auth cram-md5 <challenge> ssl=N``,
        reads the answer, replies ``1000 OK auth`` or ``1999 Authorization failed.``.

        Returns:
           bool: whether the peer knows the password.
        """
        if isinstance(clientname, bytes):
            clientname = clientname.decode("utf-8")
        challenge = "<{0}.{1}@{2}>".format(
            secrets.randbelow(9000000000) + 1000000000, int(time.time()), clientname
        )
        self.send("auth cram-md5 {0} ssl={1}\n".format(challenge, tls_local_need).encode())
        answer = bytes(self.recv()).rstrip(b"\0")
        digest = hmac.new(bytes(password), challenge.encode(), hashlib.md5).digest()
        expected = (
            bytes(BareosBase64().string_to_base64(digest, True)),
            bytes(BareosBase64().string_to_base64(digest, False)),
        )
        correct = hmac.compare_digest(answer, expected[0]) or hmac.compare_digest(
            answer, expected[1]
        )
        self.send(ProtocolMessages.auth_ok() if correct else ProtocolMessages.auth_failed())
        return correct

    def _cram_md5_respond(
        self, password: Union[bytes, bytearray], tls_remote_need: int = 0, compatible: bool = True
    ) -> Tuple[int, bool, bool]:
        """Answers the peer's CRAM-MD5 challenge (login step, see
        :py:meth:`_cram_md5_challenge`).

        Returns:
           tuple: ``(peer's ssl level, True, whether the peer accepted the answer)``.
        """
        message = bytes(self.recv())
        if ProtocolMessages.is_not_authorized(message):
            self.logger.error("failed: not authorized")
            return (0, True, False)
        words = message.split(b" ")
        if len(words) < 4 or not words[3].startswith(b"ssl="):
            raise bareos.exceptions.ProtocolError(
                "expected a CRAM-MD5 challenge ('auth cram-md5 <...> ssl=N')"
            )
        ssl_level = int(words[3][4:5])
        digest = hmac.new(bytes(password), words[2], hashlib.md5).digest()
        self.send(BareosBase64().string_to_base64(digest))
        accepted = ProtocolMessages.is_auth_ok(bytes(self.recv()))
        return (ssl_level, True, accepted)

    def receive_and_evaluate_response_message(self) -> Tuple[int, bytes]:
        """Reads the rest of the answer in progress as ``(code, text)``.

        The answer must start with a four-digit code, like the login messages
        (``1000 OK: ...``).

        Returns:
           tuple: ``(int code, bytes text)``.

        Raises:
           bareos.exceptions.ProtocolError: the answer has no code.
        """
        message = bytes(self.recv_msg())
        head, text = message[:4], message[4:]
        if not head.isdigit():
            raise bareos.exceptions.ProtocolError(
                "expected a message starting with a 4-digit code, got {0!r}".format(
                    message[:40]
                )
            )
        if text[:1] in (b" ", Constants.record_separator.encode()):
            text = text[1:]
        return (int(head), text.rstrip(b"\n"))

    def close(self) -> None:
        """Ends the session (``quit`` for a director) and closes the connection.

        Later calls raise :py:class:`~bareos.exceptions.ConnectionLostError` until
        :py:meth:`reconnect` (a connection that broke by itself, unlike this, is
        reconnected by the next call).
        """
        self._lost = False
        native, self._native = self._native, None
        self._wire = bytearray()
        if native is not None:
            native.close()

    def reconnect(self) -> bool:
        """Opens a new connection with the same settings and logs in again, as long as
        ``max_reconnects`` allows (each use counts down, as in python-bareos).

        The command that failed when the connection broke is never repeated.

        Returns:
           bool: True if the new connection is up, False otherwise (logged).
        """
        if self.max_reconnects <= 0:
            return False
        self.max_reconnects -= 1
        self.close()
        try:
            self.__connect()
            self._init_connection()
        except bareos.exceptions.Error as error:
            self.logger.warning("failed to reconnect: {0}".format(error))
            self.close()
            return False
        self.logger.info("reconnected to {0}:{1}".format(self.address, self.port))
        return True

    def _init_connection(self) -> None:
        pass

    #: Deadline of the session set-up commands when no ``timeout`` was given (as the
    #: native client's login deadline).
    _SETUP_TIMEOUT = 30.0

    def _setup_call(self, call: Callable[[str], _T], command: str) -> _T:
        """Runs one session set-up command (``autodisplay off``, ``.api json``) within
        the connection's ``timeout``: the set-up belongs to connecting, so a director
        that stalls right after the login cannot hang the constructor."""
        limit = float(self.timeout) if self.timeout else self._SETUP_TIMEOUT
        if self.call_timeout is not None:
            limit = min(limit, self.call_timeout)
        self._native_call("set_call_timeout", limit)
        try:
            return call(command)
        finally:
            if self._native is not None:
                self._native.set_call_timeout(self.call_timeout)

    # -- commands ------------------------------------------------------------------

    def call(self, command: Union[str, List[str], Tuple[str, ...]]) -> bytes:
        """Runs a command and returns its result.

        The result ends on the protocol's end signals only (never on its text). If the
        director waits at a prompt (e.g. "OK to run? (yes/mod/no):"), the next call's
        command is the answer.

        Args:
           command (str or list): the command; a list is joined with spaces, as
              python-bareos does.

        Returns:
           bytes: the result.
        """
        if command.__class__ is not str and isinstance(command, (list, tuple)):
            command = " ".join(command)
        # The common case stays in this one Python frame: for a small command each
        # further frame is a measurable part of the whole call.
        native = self._native
        if native is None:
            return self._send_a_command_and_receive_result(command)
        try:
            return native.call(command)
        except _bareos.NativeError as error:
            self._call_failed(error)

    def _send_a_command_and_receive_result(self, command: str) -> bytes:
        """Sends one command and reads its whole result.

        After the connection was lost, the next command first reconnects (once per
        ``max_reconnects``); the lost command itself is never sent again.
        """
        self._ensure_connection()
        try:
            result: bytes = self._native_call("call", command)
            return result
        except (
            bareos.exceptions.ConnectionLostError,
            bareos.exceptions.ConnectionTimeoutError,
        ) as error:
            self._call_failed(error)

    def _call_failed(self, error: Exception) -> NoReturn:
        """Raises the exception of a failed ``call`` (a native error translated); a lost
        or timed-out connection is logged."""
        if isinstance(error, _bareos.NativeError):
            error = self._native_error(error)
        if isinstance(
            error,
            (bareos.exceptions.ConnectionLostError, bareos.exceptions.ConnectionTimeoutError),
        ):
            self.logger.error(
                "connection problem (%s): %s" % (type(error).__name__, str(error))
            )
        raise error from None

    def _ensure_connection(self) -> None:
        if self._native is None and self._lost:
            if not self.reconnect():
                raise bareos.exceptions.ConnectionLostError(
                    "currently no network connection"
                )

    def send_command(self, command: Union[str, List[str], Tuple[str, ...]]) -> Any:
        """Deprecated alias of :py:meth:`call`."""
        return self.call(command)

    def send(self, msg: Union[bytes, bytearray, str, None] = None) -> None:
        """Sends one message without reading the answer (low level).

        When the director waits at a prompt the message is the answer, otherwise it is
        a command. Read the answer with :py:meth:`recv_msg` or :py:meth:`recv`.

        Args:
           msg (bytes, bytearray or str): the message.
        """
        if isinstance(msg, (bytes, bytearray)):
            msg = bytes(msg).decode("utf-8")
        if msg is None:
            msg = ""
        self._ensure_connection()
        self._wire = bytearray()
        self._native_call("send", msg)
        self.status = None

    def _next_part(self, timeout: Optional[float] = None) -> Union[bytes, int]:
        """The next frame of the answer in progress: bytes, or an int (a signal).

        Raises ``socket.timeout`` if nothing arrives within ``timeout`` seconds or no
        answer is outstanding.
        """
        if timeout is not None and not self._native_call("has_data", float(timeout)):
            raise _socket_module.timeout("timed out")
        part: Union[bytes, int, None] = self._native_call("read_part")
        if part is None:
            raise _socket_module.timeout("timed out (no answer is outstanding)")
        if isinstance(part, int):
            self.__set_status(part)
        return part

    def recv_bytes(self, length: int, timeout: Optional[float] = 10) -> bytes:
        """Receives exactly ``length`` bytes of the wire stream (headers included), as
        python-bareos reads them from its socket.

        Args:
          length (int): number of bytes.
          timeout (float): seconds to wait for more data.

        Raises:
            socket.timeout: nothing arrived within ``timeout`` (or nothing is
               outstanding).
            bareos.exceptions.ConnectionLostError: the connection broke.
        """
        while len(self._wire) < length:
            part = self._next_part(timeout)
            if isinstance(part, int):
                self._wire += struct.pack("!i", part)
            else:
                self._wire += struct.pack("!i", len(part)) + part
        data = bytes(self._wire[:length])
        del self._wire[:length]
        return data

    def recv_submsg(self, length: int) -> bytearray:
        """Receives ``length`` bytes (the payload of a frame whose header was read).

        Returns:
           bytearray: the bytes.
        """
        return bytearray(self.recv_bytes(length))

    def recv(self) -> bytearray:
        """Receives the next message of the answer in progress (low level).

        Returns:
           bytearray: the message.

        Raises:
           bareos.exceptions.SignalReceivedException: a signal came instead (the end
              signal, or an informational one); ``signal`` is its code.
        """
        if len(self._wire) >= 4:
            (header,) = struct.unpack("!i", self.recv_bytes(4))
            if header <= 0:
                self.__set_status(header)
                raise bareos.exceptions.SignalReceivedException(header)
            return self.recv_submsg(header)
        if self._wire:
            raise bareos.exceptions.ProtocolError(
                "a partly read frame header is pending: read it with recv_bytes"
            )
        part = self._next_part()
        if isinstance(part, int):
            raise bareos.exceptions.SignalReceivedException(part)
        return bytearray(part)

    def recv_msg(self, regex: object = None) -> bytearray:
        """Receives the rest of the answer in progress (low level).

        The end is recognised by the protocol's signals only; ``regex`` is accepted for
        compatibility and ignored (text can never end an answer early).

        Returns:
           bytearray: the answer.
        """
        buffer = bytearray(self.receive_buffer)
        if self._wire:
            while self._wire:
                try:
                    buffer += self.recv()
                except bareos.exceptions.SignalReceivedException as signal:
                    if self.is_end_of_message(signal.signal):
                        self.receive_buffer = b""
                        return buffer
        buffer += self._native_call("read_response")
        self.status = self._end_signal()
        self.receive_buffer = b""
        return buffer

    def _end_signal(self) -> int:
        return Constants.BNET_EOD

    def __set_status(self, status: int) -> None:
        self.status = status
        self.logger.debug(
            "{0} ({1})".format(Constants.get_description(status), status)
        )

    def is_end_of_message(self, data: object) -> bool:
        """Whether signal ``data`` ends an answer (EOD, TERMINATE, MAIN/SUB_PROMPT)."""
        return (not self.is_connected()) or data in (
            Constants.BNET_EOD,
            Constants.BNET_TERMINATE,
            Constants.BNET_MAIN_PROMPT,
            Constants.BNET_SUB_PROMPT,
        )

    def is_connected(self) -> bool:
        """Whether the connection is open."""
        return self._native is not None and self.status != Constants.BNET_TERMINATE

    def has_data(self) -> List[Optional[_Socket]]:
        """Whether data from the peer is waiting (within 0.1 s).

        Returns:
           list: ``[socket]`` if data is waiting, ``[]`` otherwise (like ``select``).
        """
        if self._wire:
            return [self.socket]
        if self._native_call("has_data", 0.1):
            return [self.socket]
        return []

    def _get_to_prompt(self) -> bool:
        time.sleep(0.1)
        if self.has_data():
            msg = self.recv_msg()
            self.logger.debug("received message: " + str(msg))
        return True

    def _handleSocketError(self, exception: object) -> None:
        self.logger.warning("socket error: {0}".format(str(exception)))
        self._lost = True
        native, self._native = self._native, None
        self._wire = bytearray()
        if native is not None:
            try:
                native.close()
            except Exception:  # noqa: BLE001 - closing a broken link
                pass

    # -- interactive ---------------------------------------------------------------

    def interactive(self) -> bool:
        """A simple console: reads commands, prints results; ``exit``/``quit`` ends.

        Returns:
           bool: True if ended by ``exit``/``quit``, False at end of input.
        """
        command = ""
        while command != "exit" and command != "quit" and self.is_connected():
            try:
                command = self._get_input()
            except EOFError:
                return False
            try:
                if command == "exit" or command == "quit":
                    return True
                result = self.call(command)
                self._show_result(result)
            except bareos.exceptions.JsonRpcErrorReceivedException as error:
                print(str(error))
        return True

    def _get_input(self) -> str:
        return input(">>")

    def _show_result(self, msg: Any) -> None:
        text = msg.decode("utf-8", "replace")
        sys.stdout.write(text)
        if len(msg) >= 2 and msg[-2] != ord(b"\n"):
            sys.stdout.write("\n")


def _quote_value(value: str) -> str:
    """A keyword value for a director command line: quoted when it has spaces or
    quotes (the director's own quoting rules)."""
    if value and not any(c.isspace() or c in "\"'\\" for c in value):
        return value
    return '"{0}"'.format(value.replace("\\", "\\\\").replace('"', '\\"'))



def _md5_hex(password: Optional[Password]) -> str:
    """The MD5 form of a password as the native client takes it (32 hex digits)."""
    md5: object = None if password is None else password.md5()
    if isinstance(md5, (bytes, bytearray)):
        return bytes(md5).decode("ascii")
    if isinstance(md5, str):
        return md5
    raise TypeError("the password has no value (bareos.util.Password() without one)")


__all__ = ["LowLevel", "ConnectionType", "ProtocolVersions", "bash"]
