"""``bconsole-json.py``: a console to a Bareos Director in API mode 2 (JSON).

Like ``bconsole.py``, but each result is the ``result`` object of the director's
JSON-RPC answer, printed with ``pprint``; an error answer prints its message and the
console goes on.

Exit status: as ``bconsole.py``.
"""

import argparse

import bareos.bsock
from bareos.tools import _common


def get_arguments() -> argparse.Namespace:
    """Parses the command line."""
    parser = _common.new_parser("Console to Bareos Director.")
    bareos.bsock.DirectorConsoleJson.argparser_add_default_command_line_arguments(parser)
    return _common.parse_with_positional_address(parser)


def main() -> int:
    """Runs the console; returns the exit status."""
    return _common.run_console(bareos.bsock.DirectorConsoleJson, get_arguments)


def run() -> None:
    """Console-script entry point."""
    _common.exit_quietly_on_broken_pipe(main)


if __name__ == "__main__":
    run()
