"""``bconsole.py``: a console to a Bareos Director (text mode).

Reads commands from standard input (a terminal or a pipe) with the prompt ``>>`` and
prints each result; ``exit`` or ``quit`` ends, as does the end of input.

    bconsole.py --name=user1 --password=secret localhost
    printf 'list jobs\\nquit\\n' | bconsole.py --address=bareos.example.com -p secret

Exit status: 0 after ``exit``/``quit`` or the end of input; 1 if the connection or
login fails (the error is printed), the connection fails later, or an input line was
not UTF-8 (it is skipped); 2 for bad options.
"""

import argparse

import bareos.bsock
from bareos.tools import _common


def get_arguments() -> argparse.Namespace:
    """Parses the command line; with ``--debug`` prints the values (passwords hidden)."""
    parser = _common.new_parser("Console to Bareos Director.")
    bareos.bsock.DirectorConsole.argparser_add_default_command_line_arguments(parser)
    args = _common.parse_with_positional_address(parser)
    if args.debug:
        print(parser.format_values())
    return args


def main() -> int:
    """Runs the console; returns the exit status."""
    return _common.run_console(bareos.bsock.DirectorConsole, get_arguments)


def run() -> None:
    """Console-script entry point."""
    _common.exit_quietly_on_broken_pipe(main)


if __name__ == "__main__":
    run()
