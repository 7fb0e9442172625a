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

from bareos.exceptions import *  # noqa: F401,F403
from bareos.util.password import Password
from bareos.bsock.connectiontype import ConnectionType
from bareos.bsock.constants import Constants
from bareos.bsock.filedaemon import FileDaemon
from bareos.bsock.directorconsole import DirectorConsole
from bareos.bsock.directorconsolejson import DirectorConsoleJson
from bareos.bsock.protocolversions import ProtocolVersions
from bareos.bsock.tlsversionparser import TlsVersionParser

# compat
from bareos.bsock.bsock import BSock
from bareos.bsock.bsockjson import BSockJson
