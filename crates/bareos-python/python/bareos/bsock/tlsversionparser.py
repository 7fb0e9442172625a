"""Command line option ``--tls-version``."""

import argparse
import ssl
from typing import Any, Dict, KeysView, Optional, Sequence, Union


class ArgParserTlsVersionAction(argparse.Action):
    """Stores the ``ssl.PROTOCOL_*`` constant named by the chosen option value."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Union[str, Sequence[Any], None],
        option_string: Optional[str] = None,
    ) -> None:
        choices: Any = self.choices
        setattr(namespace, self.dest, getattr(ssl, choices.get(values)))


class TlsVersionParser:
    """Parses TLS protocol versions given as ``v1.2`` and the like.

    The native client negotiates TLS 1.3 or 1.2 by itself; ``v1.2`` caps it at TLS 1.2.
    """

    def __init__(self) -> None:
        candidates = {
            "v1": "PROTOCOL_TLSv1",
            "v1.1": "PROTOCOL_TLSv1_1",
            "v1.2": "PROTOCOL_TLSv1_2",
        }
        self.tls_version_options: Dict[str, str] = {
            key: value for key, value in candidates.items() if hasattr(ssl, value)
        }

    def add_argument(self, argparser: Any) -> None:
        """Adds ``--tls-version`` (stored as ``BAREOS_tls_version``)."""
        argparser.add_argument(
            "--tls-version",
            help="Highest TLS protocol version to use (default: the newest available).",
            action=ArgParserTlsVersionAction,
            choices=dict(sorted(self.tls_version_options.items())),
            dest="BAREOS_tls_version",
        )

    def get_protocol_version_from_string(self, tls_version: Optional[str]) -> Any:
        """The ``ssl.PROTOCOL_*`` constant for ``"v1.2"`` etc., or ``None``."""
        if tls_version is None:
            return None
        name = self.tls_version_options.get(tls_version.lower())
        return getattr(ssl, name, None) if name else None

    def get_protocol_versions(self) -> KeysView[str]:
        """The accepted option values."""
        return self.tls_version_options.keys()
