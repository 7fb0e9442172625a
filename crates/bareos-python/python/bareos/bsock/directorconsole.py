"""Console connection to a Bareos Director."""

import warnings
from typing import Any, Optional, Tuple, Union

import bareos.exceptions
from bareos import _bareos
from bareos.bsock.connectiontype import ConnectionType
from bareos.bsock.constants import Constants
from bareos.bsock.lowlevel import (
    LowLevel,
    _NamesArg,
    _PathArg,
    _certificates,
    _tls_max_version,
)
from bareos.bsock.protocolversions import ProtocolVersions
from bareos.bsock.tlsversionparser import TlsVersionParser
from bareos.bsock.protocolmessageids import ProtocolMessageIds  # noqa: F401
from bareos.bsock.protocolmessages import ProtocolMessages  # noqa: F401
from bareos.util.password import Password


class DirectorConsole(LowLevel):
    """A console connection to a Bareos Director.

    Example:
       >>> import bareos.bsock
       >>> directorconsole = bareos.bsock.DirectorConsole(address='localhost', port=9101, name='user1', password='secret')
       >>> print(directorconsole.call('help').decode("utf-8"))

    TLS-PSK: by default (``tls_psk_enable=True, tls_psk_require=False``) TLS-PSK is
    tried first; only if the TLS handshake itself fails, a warning is logged and the
    login is retried in cleartext. ``tls_psk_require=True`` never falls back;
    ``tls_psk_enable=False`` connects in cleartext.

    Protocol version: ``protocolversion`` 1 or 2 is used as given; ``None`` (or 0)
    means 2. There is no silent fallback to protocol 1 after a failed login (a wrong
    password must not cost a second, cleartext login); pass ``protocolversion=1`` for
    directors older than Bareos 18.2.
    """

    _native: Optional[_bareos.Director]

    @staticmethod
    def argparser_add_default_command_line_arguments(argparser: Any) -> None:
        """Adds the options to connect to a director to an ``ArgumentParser``.

        Their values are stored as ``BAREOS_<keyword>``; get the keyword arguments for
        :py:class:`DirectorConsole` with
        :py:meth:`~bareos.bsock.lowlevel.LowLevel.argparser_get_bareos_parameter`.

        Example:
           >>> argparser = argparse.ArgumentParser(description="Console to Bareos Director.")
           >>> DirectorConsole.argparser_add_default_command_line_arguments(argparser)
           >>> args = argparser.parse_args()
           >>> bareos_args = DirectorConsole.argparser_get_bareos_parameter(args)
           >>> director = DirectorConsole(**bareos_args)

        Args:
          argparser (argparse.ArgumentParser): the parser to extend.
        """
        group = argparser.add_argument_group(title="Bareos Director connection options")
        group.add_argument(
            "--name",
            default="*UserAgent*",
            help='Named console to log in as; default: the default console ("%(default)s").',
            dest="BAREOS_name",
        )
        group.add_argument(
            "-p",
            "--password",
            help="Password of the director console.",
            required=True,
            dest="BAREOS_password",
        )
        group.add_argument(
            "--port",
            default=9101,
            help="Director TCP port. Default: %(default)s.",
            dest="BAREOS_port",
        )
        group.add_argument(
            "--address",
            default="localhost",
            help="Director host name or address. Default: %(default)s.",
            dest="BAREOS_address",
        )
        group.add_argument(
            "--timeout",
            type=int,
            help="Timeout in seconds for connecting and for each wait for the director.",
            dest="BAREOS_timeout",
        )
        group.add_argument(
            "--protocolversion",
            type=int,
            choices=sorted({int(v) for v in ProtocolVersions} | {0}),
            default=ProtocolVersions.last.value,
            help="Console protocol version (0: the latest, %(default)s). Default: %(default)s.",
            dest="BAREOS_protocolversion",
        )
        group.add_argument(
            "--pam-username",
            help="PAM user name, for consoles with PAM authentication.",
            dest="BAREOS_pam_username",
        )
        group.add_argument(
            "--pam-password",
            help="PAM password, for consoles with PAM authentication.",
            dest="BAREOS_pam_password",
        )
        group.add_argument(
            "--tls-psk-require",
            help="Refuse unencrypted connections. Default: %(default)s.",
            action="store_true",
            dest="BAREOS_tls_psk_require",
        )
        TlsVersionParser().add_argument(group)

    def __init__(
        self,
        address: str = "localhost",
        port: Union[int, str] = 9101,
        timeout: Optional[float] = None,
        dirname: Optional[str] = None,
        name: Union[str, bytes, None] = "*UserAgent*",
        password: Union[str, bytes, Password, None] = None,
        protocolversion: Optional[int] = None,
        pam_username: Optional[str] = None,
        pam_password: Optional[str] = None,
        tls_psk_enable: bool = True,
        tls_psk_require: bool = False,
        tls_version: Any = None,
        call_timeout: Optional[float] = None,
        pam_allow_cleartext: bool = False,
        tls_ca_file: _PathArg = None,
        tls_ca_dir: _PathArg = None,
        tls_cert_file: _PathArg = None,
        tls_key_file: _PathArg = None,
        tls_verify_peer: Optional[bool] = True,
        tls_allowed_cn: _NamesArg = None,
        tls_cipher_list: Optional[str] = None,
    ) -> None:
        """Connects and logs in.

        Args:
           address (str): director host name or address.
           port (int): director port.
           timeout (float, optional): seconds for connecting and logging in. A command
              runs as long as the director needs (``wait``, ``.bvfs_update``, tape
              ``mount``); a dead director is still noticed within about a minute.
           dirname (str, optional): unused, kept for compatibility.
           name (str, optional): named console; default: the default console.
           password (str or bareos.util.Password): console password.
           protocolversion (int, optional): 1 or 2; ``None`` or 0 (the default) means
              2, and if the director refuses a cleartext protocol-2 login before
              authentication, protocol 1 in cleartext is tried once (never after a
              wrong password, never from TLS-PSK, never with ``tls_psk_require``).
           pam_username (str, optional): PAM user, for consoles with PAM login.
           pam_password (str, optional): PAM password.
           tls_psk_enable (bool): use TLS-PSK.
           tls_psk_require (bool): refuse cleartext.
           tls_version (optional): ``ssl.PROTOCOL_TLSv1_2`` caps TLS at 1.2; others
              negotiate TLS 1.3 or 1.2.
           call_timeout (float, optional): an addition: a deadline for each call, in
              seconds (see :py:meth:`set_call_timeout`). Default: none.
           pam_allow_cleartext (bool): an addition: send the PAM password even over a
              cleartext connection (python-bareos does; refused by default).
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
          bareos.exceptions.ConnectionError: on connection errors (see the subclasses).
        """
        super().__init__()
        self.pam_username = pam_username
        self.pam_password = pam_password
        self.pam_allow_cleartext = bool(pam_allow_cleartext)
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
        self.timeout = timeout
        self.call_timeout = None if call_timeout is None else float(call_timeout)
        self.tls_version = tls_version
        self.identity_prefix = "R_CONSOLE"
        if protocolversion is not None and int(protocolversion) > 0:
            self.requested_protocol_version = int(protocolversion)
            self.protocol_messages.set_version(self.requested_protocol_version)
        else:
            self.protocol_messages.set_version(ProtocolVersions.last)
        self.connect(
            address, port, dirname, ConnectionType.DIRECTOR, name, password, timeout
        )
        self._init_connection()
        self.max_reconnects = 1

    def _open_native(self, tls: str, password_md5: str) -> _bareos.Director:
        pam: Optional[Tuple[str, str]] = None
        if self.pam_username is not None or self.pam_password is not None:
            if not self.pam_username or not self.pam_password:
                raise bareos.exceptions.PamAuthenticationError(
                    "PAM authentication needs both pam_username and pam_password."
                )
            pam = (str(self.pam_username), str(self.pam_password))
        name = self.name
        if isinstance(name, bytes):
            name = name.decode("utf-8")
        if name == "*UserAgent*":
            name = None
        assert self.port is not None  # set by connect()
        return _bareos.Director(
            str(self.address),
            self.port,
            name,
            password_md5,
            int(self.get_protocol_version()),
            tls,
            tls_max_version=_tls_max_version(self.tls_version),
            pam=pam,
            timeout=float(self.timeout) if self.timeout else None,
            json=False,
            protocol_fallback=self.requested_protocol_version is None,
            call_timeout=self.call_timeout,
            allow_cleartext_pam=self.pam_allow_cleartext,
            certificates=self.tls_certificates,
        )

    def _after_connect(self) -> None:
        used = self._native.protocol_version() if self._native is not None else None
        asked = int(self.get_protocol_version())
        if used != asked:
            # The native client fell back (see ``protocolversion``): report it as
            # python-bareos does, and remember it for reconnects.
            self.logger.warning("socket error: Conversation terminated (-4)")
            self.logger.warning(
                "Failed to connect using protocol version {0}. Trying protocol version {1}. ".format(
                    asked, ProtocolVersions.bareos_12_4
                )
            )
            self.protocol_messages.set_version(ProtocolVersions.bareos_12_4)
            warnings.warn(
                "Connection to {0}:{1} uses the old protocol version 1 without "
                "encryption: the director refused protocol version 2 in cleartext "
                "(pass tls_psk_require=True to refuse this).".format(
                    self.address, self.port
                ),
                UserWarning,
                stacklevel=5,
            )

    def _end_signal(self) -> int:
        if self._native is not None and self._native.at_prompt():
            return Constants.BNET_SUB_PROMPT
        if self._native is not None and self._native.api_mode() != 0:
            return Constants.BNET_MAIN_PROMPT
        return Constants.BNET_EOD

    def is_at_prompt(self) -> bool:
        """Whether the director waits for an answer (the next ``call`` answers it).

        An addition to python-bareos, which cannot tell.
        """
        return self._native is not None and self._native.at_prompt()

    def _init_connection(self) -> None:
        # As python-bareos: swallows the director's "You have messages." notice, which
        # would otherwise end up in the result of the first command.
        self._setup_call(self.call, "autodisplay off")

    def _get_to_prompt(self) -> bool:
        self.send(b".")
        return super()._get_to_prompt()
