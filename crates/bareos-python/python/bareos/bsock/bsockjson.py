"""Deprecated alias; use :py:class:`bareos.bsock.DirectorConsoleJson`."""

from bareos.bsock.directorconsolejson import DirectorConsoleJson


class BSockJson(DirectorConsoleJson):
    """Deprecated since 15.2.0: use :py:class:`bareos.bsock.DirectorConsoleJson`."""
