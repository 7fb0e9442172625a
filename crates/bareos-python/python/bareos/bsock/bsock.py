"""Deprecated alias; use :py:class:`bareos.bsock.DirectorConsole`."""

from bareos.bsock.directorconsole import DirectorConsole


class BSock(DirectorConsole):
    """Deprecated since 15.2.0: use :py:class:`bareos.bsock.DirectorConsole`."""
