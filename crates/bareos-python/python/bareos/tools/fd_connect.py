"""``bareos-fd-connect.py``: talk to a Bareos File Daemon as one of its directors.

With commands on the command line, sends them as one command line (the words joined
by spaces) and prints the answer; without, reads commands from standard input as
``bconsole.py`` does.

    bareos-fd-connect.py --address=client.example.com --name=bareos-dir -p secret status

The positional arguments are the command, so the address is given with ``--address``.

Exit status: 0 on success; 1 if the connection, the login or the command fails (the
error is printed) or an input line was not UTF-8 (it is skipped); 2 for bad options.
"""

import argparse
import sys

import bareos.bsock
import bareos.exceptions
from bareos.bsock.filedaemon import FileDaemon
from bareos.tools import _common


def get_arguments() -> argparse.Namespace:
    """Parses the command line."""
    parser = _common.new_parser("Connect to Bareos File Daemon.")
    bareos.bsock.FileDaemon.argparser_add_default_command_line_arguments(parser)
    parser.add_argument(
        "command", nargs="*", help="Command to send to the Bareos File Daemon"
    )
    return parser.parse_args()


def main() -> int:
    """Runs the command or the interactive loop; returns the exit status."""
    logger = _common.setup_logging()
    args = get_arguments()
    parameters = _common.connection_parameters(FileDaemon, args, logger)
    try:
        " ".join(args.command).encode("utf-8")
    except UnicodeEncodeError:
        print("the command is not valid UTF-8", file=sys.stderr)
        return 1
    _common.prepare_stdin()
    bsock = _common.login(_common.with_line_input(FileDaemon), parameters, logger)
    if not args.command:
        return _common.run_interactive(bsock)
    try:
        result = bsock.call(args.command)
    except bareos.exceptions.Error as error:
        print(str(error), file=sys.stderr)
        return 1
    print(result.decode("utf-8", "replace"))
    return 0


def run() -> None:
    """Console-script entry point."""
    _common.exit_quietly_on_broken_pipe(main)


if __name__ == "__main__":
    run()
