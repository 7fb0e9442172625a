"""Console connection to a Bareos Director in API mode 2 (JSON)."""

import json
from pprint import pprint
from typing import TYPE_CHECKING, Any, List, Optional, Tuple, Union

import bareos.exceptions
from bareos.bsock.directorconsole import DirectorConsole

if TYPE_CHECKING:
    import bareos.models


class DirectorConsoleJson(DirectorConsole):
    """A director console in API mode 2: ``call`` returns the ``result`` as a dict.

    Example:
       >>> import bareos.bsock
       >>> directorconsole = bareos.bsock.DirectorConsoleJson(address='localhost', port=9101, password='secret')
       >>> pools = directorconsole.call('list pools')
       >>> for pool in pools["pools"]:
       ...   print(pool["name"])

    A JSON-RPC error raises :py:class:`~bareos.exceptions.JsonRpcErrorReceivedException`
    (message ``"failed: <director's error text>"``); an answer that is not JSON-RPC
    raises :py:class:`~bareos.exceptions.JsonRpcInvalidJsonReceivedException`.
    """

    _json_mode = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Takes the parameters of :py:class:`DirectorConsole`.

        Raises:
            bareos.exceptions.JsonRpcInvalidJsonReceivedException:
                if the console may not switch to API mode 2.
        """
        super().__init__(*args, **kwargs)

    def _init_connection(self) -> None:
        # As python-bareos: first the plain JSON mode (Bareos >= 15.2.0), then the
        # compact form (>= 15.2.2); both results are logged at debug level.
        self.logger.debug(self._setup_call(self.call, ".api json"))
        self.logger.debug(self._setup_call(self.call, ".api json compact=yes"))

    def call(self, command: Union[str, List[str], Tuple[str, ...]]) -> Any:
        """Runs a command and returns the ``result`` member of the JSON-RPC answer.

        Args:
           command (str or list): the command; a list is joined with spaces.

        Returns:
            dict: the result (``None`` for an empty answer).

        Raises:
            bareos.exceptions.JsonRpcErrorReceivedException: a JSON-RPC error answer.
            bareos.exceptions.JsonRpcInvalidJsonReceivedException: not JSON-RPC, or the
               director stopped at a prompt (the prompt is cancelled, the connection
               stays usable).
        """
        return _result_of(self.call_fullresult(command))

    def call_fullresult(self, command: Union[str, List[str], Tuple[str, ...]]) -> Any:
        """Runs a command and returns the whole JSON-RPC envelope (also on errors).

        Text that a director sends before the JSON document (job messages) is logged at
        debug level, not treated as invalid JSON.

        Returns:
            dict: the envelope ``{"jsonrpc": "2.0", "id": None, "result"|"error": ...}``,
            or ``None`` for an empty answer.

        Raises:
            bareos.exceptions.JsonRpcInvalidJsonReceivedException: not JSON-RPC, or a
               prompt (its text is the exception's ``data``).
        """
        if isinstance(command, (list, tuple)):
            command = " ".join(command)
        if command.split()[:1] == [".api"]:
            # Switching modes: the answer's form depends on the old mode; parse it as
            # python-bareos does.
            return _parse_answer(super().call(command))
        self._ensure_connection()
        try:
            envelope, text = self._native_call("call_json", command)
        except bareos.exceptions.JsonRpcInvalidJsonReceivedException as error:
            if _is_empty_answer(error):
                return None
            raise
        if envelope is None:
            # The director waits at a prompt (already cancelled): what python-bareos
            # reports, the prompt's text as invalid JSON.
            return _parse_answer(text, prompt=True)
        if text:
            self.logger.debug(
                "text before the JSON result: {0}".format(
                    text.decode("utf-8", "replace").rstrip()
                )
            )
        return json.loads(envelope)

    def jobs(
        self,
        client: Optional[str] = None,
        job: Optional[str] = None,
        jobstatus: Optional[str] = None,
        last: bool = False,
        limit: Optional[int] = None,
    ) -> "List[bareos.models.Job]":
        """``list jobs`` with these filters, as typed :py:class:`bareos.models.Job` s.

        Example: ``d.jobs(client="bareos-fd", last=True)``.
        """
        import bareos.models

        command = bareos.models.list_jobs_command(client, job, jobstatus, last, limit)
        return bareos.models.jobs(self.call(command))

    def _show_result(self, msg: Any) -> None:
        pprint(msg)


def _result_of(envelope: Any) -> Any:
    """The ``result`` member of a JSON-RPC envelope (``None`` for none); an error answer
    raises ``JsonRpcErrorReceivedException``, anything else
    ``JsonRpcInvalidJsonReceivedException``."""
    if envelope is None:
        return None
    if "result" in envelope:
        return envelope["result"]
    if "error" in envelope:
        raise bareos.exceptions.JsonRpcErrorReceivedException(envelope)
    raise bareos.exceptions.JsonRpcInvalidJsonReceivedException(envelope)


def _is_empty_answer(error: bareos.exceptions.JsonRpcInvalidJsonReceivedException) -> bool:
    """Whether the director answered nothing at all (python-bareos's ``None`` result)."""
    raw = error.jsondata.get("error", {}).get("data")
    return raw is not None and len(raw) == 0


def _parse_answer(resultstring: Union[bytes, bytearray, None], prompt: bool = False) -> Any:
    """python-bareos's reading of a raw answer as JSON (``None`` when empty; invalid JSON
    raises). With ``prompt``, the answer is a prompt's text: raised as invalid JSON."""
    if not resultstring:
        return None
    try:
        data = json.loads(bytes(resultstring).decode("utf-8"))
    except ValueError as error:
        raise bareos.exceptions.JsonRpcInvalidJsonReceivedException(
            {"error": {"code": 2, "message": str(error), "data": bytearray(resultstring)}}
        ) from None
    if prompt:
        raise _prompt_error(resultstring)
    return data


def _prompt_error(text: Union[bytes, bytearray]) -> bareos.exceptions.JsonRpcInvalidJsonReceivedException:
    """What python-bareos raises when the director stops at a prompt (its ``text``)."""
    return bareos.exceptions.JsonRpcInvalidJsonReceivedException(
        {"error": {"code": 2, "message": "the director stopped at a prompt", "data": bytearray(text)}}
    )
