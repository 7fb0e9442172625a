"""Talk to a Bareos Director console and File Daemon from Python.

This package is a drop-in replacement for python-bareos 25: the same modules, classes,
constructor keywords, exceptions and messages, implemented on the bareos-rs client
library (Rust, with OpenSSL). TLS-PSK works on every supported Python, with TLS 1.3.

Example:

    >>> import bareos.bsock
    >>> director = bareos.bsock.DirectorConsole(address="localhost", port=9101, password="secret")
    >>> print(director.call("help").decode("utf-8"))

``__version__`` is the python-bareos version whose interface this package provides;
``implementation_version`` is the version of this package itself, and
``__implementation__`` is ``"bareos-rs"`` (python-bareos has no such attribute:
``getattr(bareos, "__implementation__", "python-bareos")`` tells them apart).

python-bareos and this package (distribution ``bareos-rs``) both install the package
``bareos``; in one environment the one installed last overwrites the other's files. When
python-bareos is found installed next to this package, importing ``bareos`` warns
(``UserWarning``) and says how to fix it.
"""

import os as _os
from typing import Optional as _Optional

from bareos._bareos import __version__ as implementation_version

#: Which implementation of the ``bareos`` package this is.
__implementation__ = "bareos-rs"

#: The python-bareos interface level implemented (scripts compare against it).
__version__ = "25.1.1"

#: The package's folder (python-bareos has this name too).
base_dir = _os.path.dirname(_os.path.abspath(__file__))


def _python_bareos_next_to_us() -> _Optional[str]:
    """The metadata folder of a python-bareos installed into our site-packages, or None."""
    site = _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))
    try:
        with _os.scandir(site) as entries:
            for entry in entries:
                name = entry.name.lower()
                if name.startswith(("python_bareos-", "python-bareos-")) and name.endswith(
                    (".dist-info", ".egg-info")
                ):
                    return _os.path.join(site, entry.name)
    except OSError:
        pass
    return None


def _warn_if_python_bareos_installed() -> None:
    found = _python_bareos_next_to_us()
    if found is None:
        return
    import warnings

    warnings.warn(
        "python-bareos ({0}) is installed in the same environment as bareos-rs: both "
        "provide the package 'bareos', so each overwrote files of the other, and "
        "uninstalling either one breaks the other. 'import bareos' is bareos-rs now. "
        "To fix: 'pip uninstall -y python-bareos bareos-rs' then 'pip install bareos-rs' "
        "(the wheel), or keep python-bareos in its own virtual environment.".format(
            _os.path.basename(found)
        ),
        UserWarning,
        stacklevel=2,
    )


_warn_if_python_bareos_installed()

from bareos.exceptions import *  # noqa: E402,F401,F403
from bareos.util.password import Password  # noqa: E402

__all__ = ["bsock", "exceptions", "util", "Password"]
