"""``bareos-jsonrpc-server.py``: a JSON-RPC 2.0 over HTTP proxy to a Bareos Director.

Logs in to the director in API mode 2 (JSON), then serves JSON-RPC 2.0 over HTTP on
``localhost:8080`` (``--http-address``, ``--http-port``) with these methods:

``execute(command)``
    runs a console command, returns its ``result`` object;
``execute_fullresult(command)``
    the same, returns the director's whole JSON-RPC answer;
``list(command)``
    ``execute("list " + command)``;
``call(command)``
    the same as ``execute`` (older name);
``add(a, b)``
    ``a + b``, to try the service.

Requests are HTTP ``POST`` with a JSON-RPC request (or a batch) as the body, or ``GET``
with ``?jsonrpc=2.0&method=...&params=<JSON>&id=...``. A request without ``id`` is a
notification: it runs, and gets no answer. A console command that fails answers the
JSON-RPC error -32603 with the director's message. All calls go through the one director
connection, one after the other.

Anyone who can reach the port can run console commands with the rights of the console
that the server logged in as: keep it on loopback (the default) or behind a proxy with
authentication.

Exit status: 1 if the connection or login fails (the error is printed) or the HTTP port
cannot be opened; 2 for bad options; 0 when stopped with Ctrl-C.
"""

import argparse
import http.server
import inspect
import json
import logging
import socket
import socketserver
import sys
import threading
import urllib.parse
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

import bareos.bsock
import bareos.exceptions
from bareos.tools import _common

#: Largest request body accepted (HTTP 413 above).
MAX_BODY_BYTES = 1024 * 1024
#: Largest number of requests in one batch.
MAX_BATCH = 100
#: Seconds a client may take to send its request.
CLIENT_TIMEOUT = 30
#: HTTP connections handled at once; more are refused with HTTP 503.
MAX_CONNECTIONS = 32

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603

#: A JSON-RPC answer object.
Answer = Dict[str, Any]


def add(a: Any, b: Any) -> Any:
    """Test function: ``a + b``."""
    return a + b


class BconsoleMethods:
    """The console methods offered over JSON-RPC, on one director connection."""

    def __init__(self, bconsole: bareos.bsock.DirectorConsoleJson) -> None:
        self.logger = logging.getLogger()
        self.logger.debug("init")
        self.conn = bconsole
        self._lock = threading.Lock()

    def execute(self, command: Union[str, List[str]]) -> Any:
        """Runs any console command and returns its result."""
        self.logger.debug(_common.redacted_command(command))
        _check_command(command)
        with self._lock:
            return self.conn.call(command)

    def execute_fullresult(self, command: Union[str, List[str]]) -> Any:
        """Runs any console command and returns the director's whole JSON-RPC answer."""
        self.logger.debug(_common.redacted_command(command))
        _check_command(command)
        with self._lock:
            return self.conn.call_fullresult(command)

    def list(self, command: str) -> Any:
        """The console ``list`` command: ``list(command)`` runs ``list <command>``."""
        if not isinstance(command, str):
            raise _RpcError(INVALID_PARAMS, "Invalid params", "command must be a string")
        return self.execute("list " + command)

    def call(self, command: Union[str, List[str]]) -> Any:
        """Older name of :py:meth:`execute`."""
        return self.execute(command)


class _RpcError(Exception):
    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data


def _check_command(command: object) -> None:
    if isinstance(command, str):
        return
    if isinstance(command, list) and all(isinstance(word, str) for word in command):
        return
    raise _RpcError(
        INVALID_PARAMS, "Invalid params", "command must be a string or a list of strings"
    )


def public_methods(bconsole_methods: object) -> Dict[str, Callable[..., Any]]:
    """``{name: bound method}`` of the console methods (not the constructor)."""
    return {
        name: method
        for name, method in inspect.getmembers(bconsole_methods, inspect.ismethod)
        if not name.startswith("_")
    }


def _json_default(value: object) -> str:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def _error(request_id: Any, code: int, message: str, data: Any = None) -> Answer:
    error: Dict[str, Any] = {"code": code, "message": message}
    if data is not None:
        error["data"] = data
    return {"jsonrpc": "2.0", "id": request_id, "error": error}


class JsonRpcService:
    """JSON-RPC 2.0 dispatch over a table of methods (no HTTP in here)."""

    def __init__(self, methods: Dict[str, Callable[..., Any]]) -> None:
        self.methods = dict(methods)
        self.logger = logging.getLogger()

    def handle_text(self, body: bytes) -> Optional[str]:
        """Answers a request body (bytes); returns the answer text or None (no answer)."""
        try:
            document = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as error:
            return self._dump(_error(None, PARSE_ERROR, "Parse error", str(error)))
        return self.handle_document(document)

    def handle_document(self, document: Any) -> Optional[str]:
        """Answers a parsed request or batch; returns the answer text or None."""
        if isinstance(document, list):
            if not document:
                return self._dump(
                    _error(None, INVALID_REQUEST, "Invalid Request", "empty batch")
                )
            if len(document) > MAX_BATCH:
                return self._dump(
                    _error(
                        None,
                        INVALID_REQUEST,
                        "Invalid Request",
                        "at most {0} requests in a batch".format(MAX_BATCH),
                    )
                )
            answers = [self.handle_request(request) for request in document]
            present = [answer for answer in answers if answer is not None]
            return self._dump(present) if present else None
        answer = self.handle_request(document)
        return None if answer is None else self._dump(answer)

    def handle_request(self, request: Any) -> Optional[Answer]:
        """Answers one request object (a dict), or None for a notification."""
        if not isinstance(request, dict):
            return _error(None, INVALID_REQUEST, "Invalid Request", "not an object")
        request_id = request.get("id")
        if not isinstance(request_id, (str, int, float, type(None))) or isinstance(
            request_id, bool
        ):
            return _error(None, INVALID_REQUEST, "Invalid Request", "invalid id")
        notification = "id" not in request
        answer = self._run(request, request_id)
        return None if notification else answer

    def _run(self, request: Dict[str, Any], request_id: Any) -> Answer:
        if request.get("jsonrpc", "2.0") != "2.0":
            return _error(request_id, INVALID_REQUEST, "Invalid Request", "jsonrpc must be 2.0")
        name = request.get("method")
        if not isinstance(name, str):
            return _error(request_id, INVALID_REQUEST, "Invalid Request", "no method name")
        method = self.methods.get(name)
        if method is None:
            return _error(
                request_id,
                METHOD_NOT_FOUND,
                "Method not found",
                "Method name: '{0}'".format(name),
            )
        params = request.get("params", [])
        args: List[Any]
        kwargs: Dict[str, Any]
        if isinstance(params, list):
            args, kwargs = params, {}
        elif isinstance(params, dict):
            args, kwargs = [], params
        else:
            return _error(
                request_id, INVALID_PARAMS, "Invalid params", "params must be an array or an object"
            )
        try:
            inspect.signature(method).bind(*args, **kwargs)
        except TypeError as error:
            return _error(request_id, INVALID_PARAMS, "Invalid params", str(error))
        try:
            result = method(*args, **kwargs)
        except _RpcError as error:
            return _error(request_id, error.code, error.message, error.data)
        except bareos.exceptions.JsonRpcErrorReceivedException as error:
            self.logger.error("%s: %s", name, error)
            data = error.jsondata.get("error") if isinstance(error.jsondata, dict) else None
            return _error(request_id, INTERNAL_ERROR, str(error).rstrip(), data)
        except bareos.exceptions.Error as error:
            self.logger.error("%s: %s", name, error)
            return _error(request_id, INTERNAL_ERROR, str(error).rstrip())
        except Exception as error:  # a bad argument of add(), for example
            self.logger.error("%s: %s: %s", name, type(error).__name__, error)
            return _error(
                request_id, INTERNAL_ERROR, "{0}: {1}".format(type(error).__name__, error)
            )
        return {"jsonrpc": "2.0", "id": request_id, "result": result}

    @staticmethod
    def _dump(answer: Any) -> str:
        return json.dumps(answer, default=_json_default)


class RequestHandler(http.server.BaseHTTPRequestHandler):
    """HTTP front of a :py:class:`JsonRpcService` (set as ``server.service``)."""

    timeout = CLIENT_TIMEOUT
    content_type = "application/json"
    server: "ThreadingHttpServer"

    def do_POST(self) -> None:
        if self.headers.get("Content-Encoding", "identity").lower() != "identity":
            self.send_error(415, "Content-Encoding is not supported")
            return
        header = self.headers.get("Content-Length")
        if header is None:
            self.send_error(411, "Content-Length required")
            return
        try:
            length = int(header)
        except ValueError:
            self.send_error(400, "bad Content-Length")
            return
        if length < 0:
            self.send_error(400, "bad Content-Length")
            return
        if length > MAX_BODY_BYTES:
            self.send_error(413, "at most {0} bytes".format(MAX_BODY_BYTES))
            return
        body = self.rfile.read(length)
        if len(body) < length:
            self.close_connection = True
            return
        self._answer(self.server.service.handle_text(body))

    def do_GET(self) -> None:
        query = urllib.parse.urlsplit(self.path).query
        if not query:
            self.send_error(400, "no JSON-RPC request in the query")
            return
        fields = urllib.parse.parse_qs(query)
        request: Dict[str, Any] = {}
        for key in ("jsonrpc", "id", "method"):
            if key in fields:
                request[key] = fields[key][0]
        if "method" not in request:
            self.send_error(400, "no method in the query")
            return
        if "params" in fields:
            try:
                request["params"] = json.loads(fields["params"][0])
            except (ValueError, RecursionError) as error:
                self._answer(
                    JsonRpcService._dump(
                        _error(None, PARSE_ERROR, "Parse error", str(error))
                    )
                )
                return
        self._answer(self.server.service.handle_document(request))

    def _answer(self, text: Optional[str]) -> None:
        body = (text or "").encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Pragma", "no-cache")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class ThreadingHttpServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    """HTTP server with a thread per connection, at most ``MAX_CONNECTIONS`` at once."""

    daemon_threads = True

    def __init__(self, server_address: Tuple[str, int], service: JsonRpcService) -> None:
        if ":" in server_address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(server_address, RequestHandler)
        self.service = service
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            try:
                request.sendall(
                    b"HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"
                )
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


def get_arguments() -> argparse.Namespace:
    """Parses the command line."""
    parser = _common.new_parser("Run Bareos Director JSON-RPC proxy.")
    bareos.bsock.DirectorConsoleJson.argparser_add_default_command_line_arguments(parser)
    group = parser.add_argument_group(title="HTTP server options")
    group.add_argument(
        "--http-address",
        default="localhost",
        help="Address to serve JSON-RPC on. Default: %(default)s.",
    )
    group.add_argument(
        "--http-port",
        type=int,
        default=8080,
        help="TCP port to serve JSON-RPC on (0: any free port). Default: %(default)s.",
    )
    args = _common.parse_with_positional_address(parser)
    if not 0 <= args.http_port <= 65535:
        parser.error("--http-port: {0} is not a TCP port".format(args.http_port))
    return args


def main() -> int:
    """Connects, prints the methods and the last jobs, then serves; returns the status."""
    logger = _common.setup_logging()
    args = get_arguments()
    parameters = _common.connection_parameters(bareos.bsock.DirectorConsoleJson, args, logger)
    director = _common.login(bareos.bsock.DirectorConsoleJson, parameters, logger)

    bconsole_methods = BconsoleMethods(director)
    methods: Dict[str, Callable[..., Any]] = {"add": add}
    for name, method in public_methods(bconsole_methods).items():
        methods[name] = method
        print(name)
    print(methods)

    try:
        print(bconsole_methods.call("list jobs last"))
    except bareos.exceptions.Error as error:
        print(str(error))

    try:
        http_server = ThreadingHttpServer(
            (args.http_address, args.http_port), JsonRpcService(methods)
        )
    except OSError as error:
        print(
            "cannot serve on {0}:{1}: {2}".format(args.http_address, args.http_port, error),
            file=sys.stderr,
        )
        return 1
    port = http_server.server_address[1]
    host = args.http_address
    if ":" in host:
        host = "[{0}]".format(host)
    print("Starting HTTP server ...")
    print("URL: http://{0}:{1}".format(host, port), flush=True)
    try:
        http_server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        http_server.server_close()
    return 0


def run() -> None:
    """Console-script entry point."""
    _common.exit_quietly_on_broken_pipe(main)


if __name__ == "__main__":
    run()
