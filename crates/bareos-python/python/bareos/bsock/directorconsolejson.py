"""Console connection to a Bareos Director in API mode 2 (JSON)."""

import json
from pprint import pprint

import bareos.exceptions
from bareos.bsock.directorconsole import DirectorConsole


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

    def __init__(self, *args, **kwargs):
        """Takes the parameters of :py:class:`DirectorConsole`.

        Raises:
            bareos.exceptions.JsonRpcInvalidJsonReceivedException:
                if the console may not switch to API mode 2.
        """
        super().__init__(*args, **kwargs)

    def call(self, command):
        """Runs a command and returns the ``result`` member of the JSON-RPC answer.

        Args:
           command (str or list): the command.

        Returns:
            dict: the result.

        Raises:
            bareos.exceptions.JsonRpcErrorReceivedException: a JSON-RPC error answer.
            bareos.exceptions.JsonRpcInvalidJsonReceivedException: not JSON-RPC.
        """
        data = self.call_fullresult(command)
        if data is None:
            return None
        if "result" in data:
            return data["result"]
        if "error" in data:
            raise bareos.exceptions.JsonRpcErrorReceivedException(data)
        raise bareos.exceptions.JsonRpcInvalidJsonReceivedException(data)

    def call_fullresult(self, command):
        """Runs a command and returns the whole JSON-RPC envelope (also on errors).

        Text that a director sends before the JSON document (job messages) is logged at
        debug level, not treated as invalid JSON.

        Returns:
            dict: the envelope ``{"jsonrpc": "2.0", "id": None, "result"|"error": ...}``.

        Raises:
            bareos.exceptions.JsonRpcInvalidJsonReceivedException: not JSON-RPC.
        """
        if isinstance(command, (list, tuple)):
            from bareos.bsock.lowlevel import _quote_argument

            command = " ".join(_quote_argument(str(arg)) for arg in command)
        envelope, leading = self._native_call("call_json", command)
        if leading:
            self.logger.debug(
                "text before the JSON result: {0}".format(
                    leading.decode("utf-8", "replace").rstrip()
                )
            )
        return json.loads(envelope)

    def _show_result(self, msg):
        pprint(msg)
