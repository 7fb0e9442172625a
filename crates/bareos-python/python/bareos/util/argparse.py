"""``ArgumentParser`` that reads config files too when ``configargparse`` is installed.

With ``configargparse`` it adds ``-c/--config`` (a config file path); otherwise it is the
standard library's ``argparse.ArgumentParser``. ``format_values()`` (the ``--debug``
output of the tools) never shows a password: the values of options whose destination
contains ``password`` are shown as ``****``, wherever they came from (command line,
config file, environment).
"""

from pprint import pformat
from typing import TYPE_CHECKING, Any, Dict, List, Set

if TYPE_CHECKING:
    # configargparse has no type hints; its parser is a standard one with more options.
    import argparse as _argparse

    HAVE_CONFIG_ARG_PARSE_MODULE: bool
else:
    try:
        import configargparse as _argparse

        HAVE_CONFIG_ARG_PARSE_MODULE = True
    except ImportError:
        import argparse as _argparse

        HAVE_CONFIG_ARG_PARSE_MODULE = False

_REDACTED = "****"


class ArgumentParser(_argparse.ArgumentParser):
    """An ``ArgumentParser`` with optional config file support."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if HAVE_CONFIG_ARG_PARSE_MODULE:
            self.add_argument(
                "-c", "--config", is_config_file=True, help="Config file path."
            )

    def _password_actions(self) -> List[Any]:
        return [
            action
            for action in self._actions
            if action.dest and "password" in action.dest.lower()
        ]

    def format_values(self) -> str:
        """The parsed values and where they came from (passwords shown as ``****``)."""
        settings = getattr(self, "_source_to_settings", None)
        if HAVE_CONFIG_ARG_PARSE_MODULE and settings is not None:
            try:
                self._source_to_settings = self._redacted_settings(settings)
                return str(super().format_values())  # type: ignore[misc]
            finally:
                self._source_to_settings = settings
        values = dict(vars(self.parse_args()))
        for key in list(values):
            if "password" in key.lower() and values[key] is not None:
                values[key] = _REDACTED
        return pformat(values)

    def _redacted_settings(self, settings: Any) -> Any:
        actions = self._password_actions()
        secrets: Set[str] = set()
        for source in settings.values():
            for action, value in source.values():
                if action in actions and isinstance(value, str) and value:
                    secrets.add(value)
        redacted = type(settings)()
        for name, source in settings.items():
            entries = type(source)()
            for key, (action, value) in source.items():
                if action in actions:
                    value = _REDACTED
                elif not key and isinstance(value, list):
                    value = self._redacted_command_line(value, actions, secrets)
                elif isinstance(value, str):
                    value = _hide(value, secrets)
                entries[key] = (action, value)
            redacted[name] = entries
        return redacted

    def _redacted_command_line(
        self, words: List[str], actions: List[Any], secrets: Set[str]
    ) -> List[str]:
        long_options = [
            option for action in actions for option in action.option_strings
            if option.startswith("--")
        ]
        short_options = [
            option for action in actions for option in action.option_strings
            if not option.startswith("--")
        ]
        result: List[str] = []
        hide_next = False
        for word in words:
            if hide_next:
                result.append(_REDACTED)
                hide_next = False
                continue
            name, equals, _ = word.partition("=")
            if word.startswith("--") and len(name) > 2 and any(
                option.startswith(name) for option in long_options
            ):
                if equals:
                    result.append(name + "=" + _REDACTED)
                else:
                    result.append(word)
                    hide_next = True
                continue
            if word in short_options:
                result.append(word)
                hide_next = True
                continue
            result.append(_hide(word, secrets))
        return result


def _hide(text: str, secrets: Set[str]) -> str:
    """``text`` with every occurrence of a secret replaced by ``****``."""
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, _REDACTED)
    return text
