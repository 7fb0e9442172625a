"""Connection to a Bareos File Daemon, acting as its director."""

import shlex
from typing import Any, List, Optional, Tuple, Union

from bareos import _bareos
from bareos.bsock.connectiontype import ConnectionType
from bareos.bsock.lowlevel import (
    LowLevel,
    _NamesArg,
    _PathArg,
    _certificates,
    _tls_max_version,
)
from bareos.bsock.tlsversionparser import TlsVersionParser
from bareos.bsock.protocolmessageids import ProtocolMessageIds  # noqa: F401
from bareos.util.password import Password


class FileDaemon(LowLevel):
    """A connection to a Bareos File Daemon, authenticated as one of its directors.

    Example:
       >>> import bareos.bsock
       >>> fd = bareos.bsock.FileDaemon(address='localhost', port=9102, name='bareos-dir', password='secret')
       >>> print(fd.call('status').decode('utf-8'))
    """

    @staticmethod
    def argparser_add_default_command_line_arguments(argparser: Any) -> None:
        """Adds the options to connect to a file daemon to an ``ArgumentParser``.

        Values are stored as ``BAREOS_<keyword>``; see
        :py:meth:`~bareos.bsock.lowlevel.LowLevel.argparser_get_bareos_parameter`.

        Args:
          argparser (argparse.ArgumentParser): the parser to extend.
        """
        argparser.add_argument(
            "--name",
            help="Name of the Director resource in the File Daemon.",
            required=True,
            dest="BAREOS_name",
        )
        argparser.add_argument(
            "-p",
            "--password",
            help="Password of that Director resource.",
            required=True,
            dest="BAREOS_password",
        )
        argparser.add_argument(
            "--port",
            default=9102,
            help="File Daemon TCP port.",
            dest="BAREOS_port",
        )
        argparser.add_argument(
            "--address",
            default="localhost",
            help="File Daemon host name or address.",
            dest="BAREOS_address",
        )
        argparser.add_argument(
            "--tls-psk-require",
            help="Refuse unencrypted connections. Default: False.",
            action="store_true",
            dest="BAREOS_tls_psk_require",
        )
        TlsVersionParser().add_argument(argparser)

    def __init__(
        self,
        address: str = "localhost",
        port: Union[int, str] = 9102,
        dirname: Optional[str] = None,
        name: Union[str, bytes, None] = None,
        password: Union[str, bytes, Password, None] = None,
        tls_psk_enable: bool = True,
        tls_psk_require: bool = False,
        tls_version: Any = None,
        timeout: Optional[float] = None,
        call_timeout: Optional[float] = None,
        tls_ca_file: _PathArg = None,
        tls_ca_dir: _PathArg = None,
        tls_cert_file: _PathArg = None,
        tls_key_file: _PathArg = None,
        tls_verify_peer: Optional[bool] = True,
        tls_allowed_cn: _NamesArg = None,
        tls_cipher_list: Optional[str] = None,
    ) -> None:
        """Connects and authenticates.

        Args:
           address (str): file daemon host name or address.
           port (int): file daemon port.
           dirname (str, optional): unused, kept for compatibility.
           name (str): name of the Director resource in the file daemon.
           password (str or bareos.util.Password): its password.
           tls_psk_enable (bool): use TLS-PSK.
           tls_psk_require (bool): refuse cleartext.
           tls_version (optional): ``ssl.PROTOCOL_TLSv1_2`` caps TLS at 1.2.
           timeout (float, optional): an addition: seconds for connecting and
              authenticating (a command runs as long as the file daemon needs).
           call_timeout (float, optional): an addition: a deadline for each call.
           tls_ca_file (str or path, optional): an addition: certificate TLS. The CA
              certificate(s) (PEM) that signed the peer's certificate. With a CA (file
              or directory) the connection uses certificate TLS instead of TLS-PSK and
              TLS is required; the password is still checked.
           tls_ca_dir (str or path, optional): an addition: a hashed CA directory.
           tls_cert_file (str or path, optional): an addition: our certificate (PEM),
              for peers that require one (``TLS Verify Peer = yes``).
           tls_key_file (str or path, optional): an addition: its private key (PEM).
           tls_verify_peer (bool): an addition: the peer's certificate must name the
              address (or one of ``tls_allowed_cn``); default ``True``. The CA chain is
              always verified.
           tls_allowed_cn (str or list of str, optional): an addition: accepted common
              names instead of the address check.
           tls_cipher_list (str, optional): an addition: OpenSSL cipher list for TLS 1.2.

        Raises:
          bareos.exceptions.ConnectionError: on connection errors.
        """
        super().__init__()
        self.call_timeout = None if call_timeout is None else float(call_timeout)
        self.tls_psk_enable = tls_psk_enable
        self.tls_psk_require = tls_psk_require
        self.tls_certificates = _certificates(
            tls_ca_file,
            tls_ca_dir,
            tls_cert_file,
            tls_key_file,
            tls_verify_peer,
            tls_allowed_cn,
            tls_cipher_list,
        )
        self.tls_version = tls_version
        self.identity_prefix = "R_DIRECTOR"
        self.connect(
            address, port, dirname, ConnectionType.FILEDAEMON, name, password, timeout
        )
        self._init_connection()

    def _open_native(self, tls: str, password_md5: str) -> _bareos.FileDaemon:
        assert self.port is not None  # set by connect()
        name = self.name
        if isinstance(name, bytes):
            name = name.decode("utf-8")
        return _bareos.FileDaemon(
            str(self.address),
            self.port,
            name,
            password_md5,
            tls,
            tls_max_version=_tls_max_version(self.tls_version),
            timeout=float(self.timeout) if self.timeout else None,
            call_timeout=self.call_timeout,
            certificates=self.tls_certificates,
        )

    def call(self, command: Union[str, List[Any], Tuple[Any, ...]]) -> bytes:
        """Runs a command on the file daemon and returns its result.

        As python-bareos: a string is split like a shell does (``shlex``), and spaces
        inside one word are sent in the file daemon's bashed form (``\\x01``).

        Args:
           command (str or list): the command, or its words.

        Returns:
            bytes: the result.
        """
        words = list(command) if isinstance(command, (list, tuple)) else shlex.split(command)
        bashed = [str(word).replace(" ", "\x01") for word in words]
        # The native client splits the line again: quote each word so it comes back
        # unchanged.
        return super().call(" ".join(shlex.quote(word) for word in bashed))
