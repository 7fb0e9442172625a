"""Talk to a Bareos Director console and File Daemon from Python.

This package is a drop-in replacement for python-bareos 25: the same modules, classes,
constructor keywords, exceptions and messages, implemented on the bareos-rs client
library (Rust, with OpenSSL). TLS-PSK works on every supported Python, with TLS 1.3.

Example:

    >>> import bareos.bsock
    >>> director = bareos.bsock.DirectorConsole(address="localhost", port=9101, password="secret")
    >>> print(director.call("help").decode("utf-8"))

``__version__`` is the python-bareos version whose interface this package provides;
``implementation_version`` is the version of this package itself.
"""

from bareos._bareos import __version__ as implementation_version

#: The python-bareos interface level implemented (scripts compare against it).
__version__ = "25.1.1"

from bareos.exceptions import *  # noqa: E402,F401,F403
from bareos.util.password import Password  # noqa: E402

__all__ = ["bsock", "exceptions", "util", "Password"]
