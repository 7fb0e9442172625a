"""Constants of the Bareos network protocol (see :py:class:`Constants`)."""

from bareos._constants import Constants

__all__ = ["Constants"]
