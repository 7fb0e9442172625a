"""Parts shared by the command-line tools: options, logging, connecting, input."""

import argparse as _stdlib_argparse
import logging
import re
import sys
from typing import Any, Callable, Dict, List, NoReturn, Tuple, Type, TypeVar, Union

import bareos.exceptions
from bareos.util import argparse

_T = TypeVar("_T")

#: The log format of python-bareos's tools.
LOG_FORMAT = "%(levelname)s %(module)s.%(funcName)s: %(message)s"
#: What a password is shown as in ``--debug`` output.
REDACTED = "****"


def setup_logging() -> logging.Logger:
    """Root logger at INFO with the tools' format (``--debug`` lowers it to DEBUG)."""
    logging.basicConfig(format=LOG_FORMAT, level=logging.INFO)
    return logging.getLogger()


def new_parser(description: str) -> argparse.ArgumentParser:
    """An argument parser (config files too with ``configargparse``) with ``-d/--debug``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "-d", "--debug", action="store_true", help="enable debugging output"
    )
    return parser


def add_positional_address(parser: argparse.ArgumentParser) -> None:
    """Lets the address be given as the one positional argument too."""
    parser.add_argument(
        "positional_address",
        nargs="?",
        metavar="address",
        help="Bareos Director network address (the same as --address).",
    )


def take_positional_address(parser: argparse.ArgumentParser, args: Any) -> None:
    """Moves a positional address into ``BAREOS_address`` (``--address``)."""
    address = getattr(args, "positional_address", None)
    if hasattr(args, "positional_address"):
        del args.positional_address
    if address is None:
        return
    option = getattr(args, "BAREOS_address", None)
    if option not in (None, "localhost", address):
        parser.error(
            "two addresses given ({0} and --address {1}): give one".format(
                address, option
            )
        )
    args.BAREOS_address = address


def parse_with_positional_address(parser: argparse.ArgumentParser) -> _stdlib_argparse.Namespace:
    """Parses the command line; the address may be given as the one positional argument."""
    add_positional_address(parser)
    args = parser.parse_args()
    take_positional_address(parser, args)
    return args


def redacted(parameters: Dict[str, Any]) -> Dict[str, Any]:
    """A copy of connection keywords with every password replaced by ``****``."""
    return {
        key: (REDACTED if "password" in key.lower() and value is not None else value)
        for key, value in parameters.items()
    }


_PASSWORD_ARGUMENT = re.compile(r"""(password\s*=\s*)("[^"]*"?|'[^']*'?|\S+)""", re.IGNORECASE)


def redacted_command(command: Union[str, List[Any], Tuple[Any, ...]]) -> str:
    """A console command for a log line: ``password=...`` values shown as ``****``."""
    if isinstance(command, (list, tuple)):
        command = " ".join(str(word) for word in command)
    return _PASSWORD_ARGUMENT.sub(lambda m: m.group(1) + REDACTED, str(command))


def connect(cls: Callable[..., _T], parameters: Dict[str, Any]) -> _T:
    """Opens the connection; on failure prints the error and exits with status 1."""
    try:
        return cls(**parameters)
    except (bareos.exceptions.Error, ValueError, TypeError, OSError) as error:
        print(str(error))
        sys.exit(1)


def connection_parameters(
    cls: Any, args: Any, logger: logging.Logger, stacklevel: int = 2
) -> Dict[str, Any]:
    """The keywords for ``cls`` from the options; ``--debug`` turns on DEBUG logging.

    The options are logged (passwords hidden) as if by the function ``stacklevel - 1``
    calls up, by default the caller: the tool's ``main`` (``bconsole.main``), which
    logs them in python-bareos's tools.
    """
    if args.debug:
        logger.setLevel("DEBUG")
    parameters: Dict[str, Any] = cls.argparser_get_bareos_parameter(args)
    logger.debug("options: %s" % (redacted(parameters),), stacklevel=stacklevel)
    return parameters


def login(
    cls: Callable[..., _T], parameters: Dict[str, Any], logger: logging.Logger, stacklevel: int = 2
) -> _T:
    """:py:func:`connect`, then logs the success as :py:func:`connection_parameters` does."""
    connection = connect(cls, parameters)
    logger.debug("authentication successful", stacklevel=stacklevel)
    return connection


def run_console(cls: Any, get_arguments: Callable[[], Any]) -> int:
    """The ``main`` of the consoles: parses the options, logs in as ``cls`` and reads
    commands from standard input; returns the exit status."""
    logger = setup_logging()
    args = get_arguments()
    parameters = connection_parameters(cls, args, logger, stacklevel=3)
    prepare_stdin()
    director = login(with_line_input(cls), parameters, logger, stacklevel=3)
    return run_interactive(director)


class LineInput:
    """Mixin for a connection class: ``interactive()`` skips lines that are not UTF-8.

    Standard input is read as python-bareos does (``input(">>")``, so piped input works
    and the ``>>`` prompt is printed), but a line with bytes that are not UTF-8 is
    reported on standard error and skipped instead of ending the program with a
    traceback; the rest of the input still runs, and ``skipped_lines`` counts them.
    """

    skipped_lines = 0

    def _get_input(self) -> str:
        while True:
            line = input(">>")
            try:
                line.encode("utf-8")
            except UnicodeEncodeError:
                self.skipped_lines += 1
                print("input line is not valid UTF-8: skipped", file=sys.stderr)
                continue
            return line


def with_line_input(cls: Type[_T]) -> Type[_T]:
    """``cls`` with :py:class:`LineInput`'s reading of standard input."""
    return type(cls.__name__, (LineInput, cls), {"__module__": cls.__module__})


def prepare_stdin() -> None:
    """Undecodable input bytes become surrogates (found and skipped by LineInput)."""
    reconfigure = getattr(sys.stdin, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors="surrogateescape")
        except (ValueError, OSError):
            pass


def run_interactive(connection: Any) -> int:
    """Runs ``connection.interactive()``; returns the exit status.

    0 at ``exit``/``quit`` or end of input; 1 if a line had to be skipped or the
    connection failed (the error is printed on standard error).
    """
    try:
        connection.interactive()
    except bareos.exceptions.Error as error:
        print(str(error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    return 1 if getattr(connection, "skipped_lines", 0) else 0


def exit_quietly_on_broken_pipe(main: Callable[[], int]) -> NoReturn:
    """Runs ``main()`` and exits with its status; a closed standard output ends quietly."""
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        import os

        # Python flushes stdout again at exit: point it at /dev/null first.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        status = 1
    sys.exit(status)
