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
    bareos.bsock.DirectorConsoleJson.argparser_add_default_command_line_arguments(
        parser
    )
    _common.add_positional_address(parser)
    args = parser.parse_args()
    _common.take_positional_address(parser, args)
    return args


def main() -> int:
    """Runs the console; returns the exit status."""
    logger = _common.setup_logging()
    args = get_arguments()
    if args.debug:
        logger.setLevel("DEBUG")
    parameters = bareos.bsock.DirectorConsoleJson.argparser_get_bareos_parameter(args)
    logger.debug("options: %s" % (_common.redacted(parameters),))
    _common.prepare_stdin()
    director = _common.connect(
        _common.with_line_input(bareos.bsock.DirectorConsoleJson), parameters
    )
    logger.debug("authentication successful")
    return _common.run_interactive(director)


def run() -> None:
    """Console-script entry point."""
    _common.exit_quietly_on_broken_pipe(main)


if __name__ == "__main__":
    run()
