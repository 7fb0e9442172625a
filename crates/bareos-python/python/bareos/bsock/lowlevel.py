"""Common base of the Bareos connection classes.

The network work (TCP, TLS-PSK, CRAM-MD5 login, framing, end-of-response detection) is
done by the native client ``bareos._bareos``, which releases the GIL while it waits.
This module adapts it to python-bareos's interface: the argparse helpers, ``call``,
the low-level ``send`` / ``recv`` / ``recv_msg``, ``interactive``, ``get_cipher`` and
the exceptions of :py:mod:`bareos.exceptions`.
"""

import logging
import ssl
import sys

import bareos.exceptions
from bareos import _bareos
from bareos.bsock.connectiontype import ConnectionType
from bareos.bsock.constants import Constants
from bareos.bsock.protocolmessages import ProtocolMessages
from bareos.bsock.protocolversions import ProtocolVersions
from bareos.util.password import Password


def _tls_max_version(tls_version):
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


def _translate(error, address=None, port=None, json=False):
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
        return exc.PamAuthenticationError(message)
    if kind in ("auth", "tls"):
        return exc.AuthenticationError(message)
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


class LowLevel:
    """Base of :py:class:`DirectorConsole` and :py:class:`FileDaemon`.

    Not meant to be instantiated by itself.
    """

    #: Whether connections switch to API mode 2 (JSON) right after the login.
    _json_mode = False

    @staticmethod
    def argparser_get_bareos_parameter(args):
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

    def __init__(self):
        self.logger = logging.getLogger("bareos.bsock")
        self.status = None
        self.address = None
        self.port = None
        self.timeout = None
        self.dirname = None
        self.name = None
        self.password = None
        self.pam_username = None
        self.pam_password = None
        self.auth_credentials_valid = False
        self.max_reconnects = 0
        self.tls_psk_enable = True
        self.tls_psk_require = False
        self.tls_version = None
        self.connection_type = None
        self.requested_protocol_version = None
        self.protocol_messages = ProtocolMessages()
        self.identity_prefix = "R_NONE"
        self._native = None

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001 - never raise from a finalizer
            pass

    def __repr__(self):
        return "<{0} {1}:{2} name={3!r} {4}>".format(
            type(self).__name__,
            self.address,
            self.port,
            self.name,
            "connected" if self._native is not None else "closed",
        )

    # -- connection ----------------------------------------------------------------

    def connect(
        self,
        address,
        port,
        dirname,
        connection_type,
        name=None,
        password=None,
        timeout=None,
    ):
        """Connects and logs in.

        Args:
           address (str): host name or IP address.
           port (int): TCP port.
           dirname (str, optional): unused (kept for compatibility).
           connection_type (int): see :py:class:`ConnectionType`.
           name (str, optional): console name (director) or director name (file daemon).
           password (str or bareos.util.Password): the password.
           timeout (float, optional): seconds allowed for connecting, logging in, and
              each wait for data from the peer. Default: 10 s to connect, 30 s to log
              in, 120 s of silence during a response.

        Returns:
           bool: True (failures raise).

        Raises:
           bareos.exceptions.ConnectionError: the peer cannot be reached.
           bareos.exceptions.AuthenticationError: the login was refused.
           bareos.exceptions.PamAuthenticationError: PAM login failed.
           bareos.exceptions.ConnectionTimeoutError: a deadline passed.
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

    def _tls_mode(self):
        if self.tls_psk_require:
            if not self.tls_psk_enable:
                raise bareos.exceptions.ConnectionError(
                    "TLS-PSK is required, but not enabled."
                )
            return "required"
        return "prefer" if self.tls_psk_enable else "disabled"

    def _open_native(self, tls, password_md5):
        raise NotImplementedError

    def __connect(self):
        tls = self._tls_mode()
        md5 = self.password.md5()
        if isinstance(md5, (bytes, bytearray)):
            md5 = bytes(md5).decode("ascii")
        try:
            self._native = self._open_native(tls, md5)
        except _bareos.NativeError as error:
            raise _translate(error, self.address, self.port, json=self._json_mode) from None
        cipher = self._native.cipher()
        self.logger.debug("Encryption: {0}".format(cipher))
        self.auth_credentials_valid = True
        self.status = None
        return True

    def _native_call(self, method, *args):
        if self._native is None:
            if self.auth_credentials_valid:
                raise bareos.exceptions.ConnectionLostError(
                    "currently no network connection"
                )
            raise RuntimeError("should connect to director first before send data")
        try:
            return getattr(self._native, method)(*args)
        except _bareos.NativeError as error:
            raise _translate(error, self.address, self.port, json=self._json_mode) from None

    def get_tls_psk_identity(self):
        """The TLS-PSK identity: ``<prefix><RS><name>`` as bytes."""
        name = self.name
        if isinstance(name, bytes):
            name = name.decode("utf-8")
        identity = "{0}{1}{2}".format(
            self.identity_prefix, Constants.record_separator, name
        )
        return identity.encode("utf-8")

    @staticmethod
    def is_tls_psk_available():
        """TLS-PSK is always available (built in, independent of the ``ssl`` module)."""
        return True

    def get_protocol_version(self):
        """The console protocol version in use (see :py:class:`ProtocolVersions`)."""
        return self.protocol_messages.get_version()

    def get_cipher(self):
        """The TLS cipher in use, like ``ssl.SSLSocket.cipher()``.

        Returns:
           tuple or None: ``(cipher name, TLS version, secret bits)``, e.g.
           ``("TLS_CHACHA20_POLY1305_SHA256", "TLSv1.3", 256)``; ``None`` on a
           cleartext or closed connection.
        """
        if self._native is None:
            return None
        return self._native.cipher()

    def close(self):
        """Ends the session (``quit`` for a director) and closes the connection."""
        native, self._native = self._native, None
        if native is not None:
            native.close()

    def reconnect(self):
        """Opens a new connection with the same settings and logs in again.

        Unlike python-bareos it works, and it is never done behind the caller's back:
        a command that failed because the connection broke is not repeated.

        Returns:
           bool: True if the new connection is up, False otherwise (logged).
        """
        self.close()
        try:
            self.__connect()
            self._init_connection()
        except bareos.exceptions.Error as error:
            self.logger.warning("failed to reconnect: {0}".format(error))
            return False
        return True

    def _init_connection(self):
        pass

    # -- commands ------------------------------------------------------------------

    def call(self, command):
        """Runs a command and returns its result.

        The result ends on the protocol's end signals only (never on its text). If the
        director waits at a prompt (e.g. "OK to run? (yes/mod/no):"), the next call's
        command is the answer.

        Args:
           command (str or list): the command; a list is joined with spaces, each
              element containing whitespace quoted.

        Returns:
           bytes: the result.
        """
        if isinstance(command, (list, tuple)):
            command = " ".join(_quote_argument(str(arg)) for arg in command)
        return bytes(self._native_call("call", command))

    def send_command(self, command):
        """Deprecated alias of :py:meth:`call`."""
        return self.call(command)

    def send(self, msg=None):
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
        self._native_call("send", msg)
        self.status = None

    def recv(self):
        """Receives the next message of the answer in progress (low level).

        Returns:
           bytearray: the message.

        Raises:
           bareos.exceptions.SignalReceivedException: the answer has ended; ``signal``
              is the end signal.
        """
        chunk = self._native_call("read_chunk")
        if chunk is None:
            signal = self._end_signal()
            self.status = signal
            raise bareos.exceptions.SignalReceivedException(signal)
        return bytearray(chunk)

    def recv_msg(self, regex=None):
        """Receives the rest of the answer in progress (low level).

        The end is recognised by the protocol's signals only; ``regex`` is accepted for
        compatibility and ignored (text can never end an answer early).

        Returns:
           bytearray: the answer.
        """
        data = self._native_call("read_response")
        self.status = self._end_signal()
        return bytearray(data)

    def _end_signal(self):
        return Constants.BNET_EOD

    def is_end_of_message(self, data):
        """Whether signal ``data`` ends an answer (EOD, TERMINATE, MAIN/SUB_PROMPT)."""
        return (not self.is_connected()) or data in (
            Constants.BNET_EOD,
            Constants.BNET_TERMINATE,
            Constants.BNET_MAIN_PROMPT,
            Constants.BNET_SUB_PROMPT,
        )

    def is_connected(self):
        """Whether the connection is open."""
        return self._native is not None and self.status != Constants.BNET_TERMINATE

    # -- interactive ---------------------------------------------------------------

    def interactive(self):
        """A simple console: reads commands, prints results; ``exit``/``quit`` ends.

        Returns:
           bool: True if ended by ``exit``/``quit``, False at end of input.
        """
        command = ""
        while self.is_connected():
            try:
                command = self._get_input()
            except EOFError:
                return False
            if command in ("exit", "quit"):
                return True
            try:
                result = self.call(command)
                self._show_result(result)
            except bareos.exceptions.JsonRpcErrorReceivedException as error:
                print(str(error))
        return True

    def _get_input(self):
        return input(">>")

    def _show_result(self, msg):
        text = msg.decode("utf-8", "replace")
        sys.stdout.write(text)
        if len(msg) >= 2 and msg[-2] != ord(b"\n"):
            sys.stdout.write("\n")


def _quote_argument(arg):
    """Quotes one element of a command list so it stays one argument."""
    if arg and not any(c.isspace() for c in arg):
        return arg
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"')
    key, sep, value = arg.partition("=")
    if sep and key and not any(c.isspace() for c in key):
        escaped_value = value.replace("\\", "\\\\").replace('"', '\\"')
        return '{0}="{1}"'.format(key, escaped_value)
    return '"{0}"'.format(escaped)


__all__ = ["LowLevel", "ConnectionType", "ProtocolVersions"]
