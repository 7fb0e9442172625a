"""Connections to a Bareos Director console and a Bareos File Daemon.

TLS-PSK (the default transport of Bareos >= 18.2) is built in and works on every
supported Python version, with TLS 1.3 where the daemon offers it: the ``ssl`` module
and the ``sslpsk``/``sslpsk3`` add-ons are not used.

Example:

    >>> import bareos.bsock
    >>> directorconsole = bareos.bsock.DirectorConsole(address='localhost', port=9101, name='user1', password='secret')
    >>> print(directorconsole.call('help').decode("utf-8"))

    >>> directorconsole = bareos.bsock.DirectorConsoleJson(address='localhost', port=9101, password='secret')
    >>> pools = directorconsole.call('list pools')

``tls_psk_require=True`` refuses cleartext; ``tls_psk_enable=False`` uses cleartext
(for consoles configured with ``TlsEnable = no``).
"""

# The ``X as X`` form re-exports each name for type checkers too.

from bareos.exceptions import *  # noqa: F401,F403
from bareos.util.password import Password as Password
from bareos.bsock.connectiontype import ConnectionType as ConnectionType
from bareos.bsock.constants import Constants as Constants
from bareos.bsock.filedaemon import FileDaemon as FileDaemon
from bareos.bsock.directorconsole import DirectorConsole as DirectorConsole
from bareos.bsock.directorconsolejson import DirectorConsoleJson as DirectorConsoleJson
from bareos.bsock.protocolversions import ProtocolVersions as ProtocolVersions
from bareos.bsock.tlsversionparser import TlsVersionParser as TlsVersionParser

# compat
from bareos.bsock.bsock import BSock as BSock
from bareos.bsock.bsockjson import BSockJson as BSockJson
