"""``ArgumentParser`` that reads config files too when ``configargparse`` is installed.

With ``configargparse`` it adds ``-c/--config`` (a config file path); otherwise it is the
standard library's ``argparse.ArgumentParser``.
"""

from pprint import pformat

try:
    import configargparse as _argparse

    HAVE_CONFIG_ARG_PARSE_MODULE = True
except ImportError:
    import argparse as _argparse

    HAVE_CONFIG_ARG_PARSE_MODULE = False


class ArgumentParser(_argparse.ArgumentParser):
    """An ``ArgumentParser`` with optional config file support."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if HAVE_CONFIG_ARG_PARSE_MODULE:
            self.add_argument(
                "-c", "--config", is_config_file=True, help="Config file path."
            )

    def format_values(self):
        """The parsed values, for ``--debug`` output (passwords hidden)."""
        try:
            return super().format_values()
        except AttributeError:
            values = dict(vars(self.parse_args()))
            for key in list(values):
                if "password" in key.lower() and values[key] is not None:
                    values[key] = "****"
            return pformat(values)
