"""The command-line tools of python-bareos (bconsole.py, bconsole-json.py,
bareos-fd-connect.py, bareos-jsonrpc-server.py), run as a user runs them: the scripts
that `pip install` put next to the Python interpreter, in a subprocess, against the test
director."""

import http.client
import json
import os
import pathlib
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest

import conftest
from conftest import DIR_PASSWORD, FD_DIRECTOR

BIN = pathlib.Path(sys.executable).parent
TOOLS = {
    "bconsole.py": "Console to Bareos Director.",
    "bconsole-json.py": "Console to Bareos Director.",
    "bareos-fd-connect.py": "Connect to Bareos File Daemon.",
    "bareos-jsonrpc-server.py": "Run Bareos Director JSON-RPC proxy.",
}
# A password that appears nowhere else, to find it in any output.
SECRET = "Pw-7kQz-unique-9x"


def tool(name):
    path = BIN / name
    assert path.is_file(), "{0} was not installed next to {1}".format(name, sys.executable)
    return str(path)


def run(name, *args, stdin=b""):
    """Runs an installed tool; output as text (bytes replaced), stdin as bytes or text."""
    if isinstance(stdin, str):
        stdin = stdin.encode("utf-8")
    result = subprocess.run(
        [tool(name), *args], input=stdin, capture_output=True, timeout=120
    )
    result.stdout = result.stdout.decode("utf-8", "replace")
    result.stderr = result.stderr.decode("utf-8", "replace")
    return result


#: A test director with the named console user1 (password SECRET).
user1 = conftest.module_director("--console", "user1:" + SECRET)


def director_args(director, name="admin", password="secret"):
    return ["--address", director.host, "--port", str(director.port), "--name", name,
            "-p", password]


# -- installed as python-bareos names them --------------------------------------------


@pytest.mark.parametrize("name", sorted(TOOLS))
def test_tool_installed_with_its_options(name):
    result = run(name, "--help")
    assert result.returncode == 0, result.stderr
    assert TOOLS[name] in result.stdout
    for option in ["-d, --debug", "--name", "-p", "--password", "--port",
                   "--address", "--tls-psk-require", "--tls-version"]:
        assert option in result.stdout, (name, option)
    first_line = pathlib.Path(tool(name)).read_text().splitlines()[0]
    assert first_line.startswith("#!") and "python" in first_line


@pytest.mark.parametrize("module", ["bconsole", "bconsole_json", "fd_connect",
                                    "jsonrpc_server"])
def test_tool_runs_as_python_module(module):
    result = subprocess.run([sys.executable, "-m", "bareos.tools." + module, "--help"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "--password" in result.stdout


def test_password_is_required():
    result = run("bconsole.py", "--address", "127.0.0.1")
    assert result.returncode == 2
    assert "the following arguments are required: -p/--password" in result.stderr


# -- bconsole.py ----------------------------------------------------------------------


def test_bconsole_reads_piped_commands(director):
    result = run("bconsole.py", *director_args(director), stdin="whoami\nversion\nquit\n")
    assert result.returncode == 0, result.stderr
    # input(">>") prints its prompt for each line read, as python-bareos's console does.
    assert result.stdout.count(">>") == 3
    assert ">>admin\n" in result.stdout
    assert "Version:" in result.stdout
    assert result.stderr == ""


def test_bconsole_end_of_input_ends_with_status_0(director):
    result = run("bconsole.py", *director_args(director), stdin="whoami\n")
    assert result.returncode == 0, result.stderr
    assert "admin" in result.stdout


def test_bconsole_default_console_and_invalid_command(director):
    result = run(
        "bconsole.py", "--address", director.host, "--port", str(director.port),
        "--password", DIR_PASSWORD, stdin="foo\nwhoami\n",
    )
    assert result.returncode == 0, result.stderr
    assert "foo: is an invalid command." in result.stdout
    assert "*UserAgent*" in result.stdout or "root" in result.stdout


def test_bconsole_positional_address_and_debug_hide_the_password(user1):
    result = run(
        "bconsole.py", "--debug", "--name=user1", "--password=" + SECRET, user1.host,
        "--port", str(user1.port), stdin="whoami\n",
    )
    assert result.returncode == 0, result.stderr
    assert ">>user1" in result.stdout
    output = result.stdout + result.stderr
    assert SECRET not in output
    # the parsed values (format_values) and the connection options are shown...
    assert "****" in result.stdout
    assert "DEBUG bconsole.main: options: {" in result.stderr
    assert "'password': '****'" in result.stderr
    assert "'address': '{0}'".format(user1.host) in result.stderr
    assert "DEBUG bconsole.main: authentication successful" in result.stderr


def test_bconsole_debug_short_password_option_hidden(user1):
    result = run(
        "bconsole.py", "-d", "--name", "user1", "-p", SECRET, "--address", user1.host,
        "--port", str(user1.port), stdin="whoami\n",
    )
    assert result.returncode == 0, result.stderr
    assert ">>user1" in result.stdout
    assert SECRET not in result.stdout + result.stderr


def test_bconsole_config_file_and_debug_hide_the_password(user1, tmp_path):
    # python-bareos's tools read -c/--config when configargparse is installed.
    config = tmp_path / "bconsole.conf"
    config.write_text(
        "name = user1\npassword = {0}\naddress = {1}\nport = {2}\n".format(
            SECRET, user1.host, user1.port
        )
    )
    result = run("bconsole.py", "--debug", "-c", str(config), stdin="whoami\n")
    assert result.returncode == 0, result.stderr
    assert ">>user1" in result.stdout
    assert "Config File ({0})".format(config) in result.stdout
    assert SECRET not in result.stdout + result.stderr


def test_debug_without_configargparse_hides_the_password(user1):
    # Without configargparse, format_values() shows the parsed namespace.
    code = (
        "import sys; sys.modules['configargparse'] = None\n"
        "from bareos.tools import bconsole\n"
        "sys.argv = ['bconsole.py'] + sys.argv[1:]\n"
        "bconsole.run()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "-d", "--name", "user1", "--password", SECRET,
         user1.host, "--port", str(user1.port)],
        input=b"whoami\n", capture_output=True, timeout=120,
    )
    out, err = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 0, err
    assert "'BAREOS_password': '****'" in out
    assert ">>user1" in out
    assert SECRET not in out + err


def test_bconsole_wrong_password_prints_the_error_and_exits_1(user1):
    result = run("bconsole.py", *director_args(user1, "user1", "wrong-" + SECRET),
                 stdin="whoami\n")
    assert result.returncode == 1
    assert result.stdout.strip(), "the error is printed"
    assert "Traceback" not in result.stderr
    assert ">>" not in result.stdout
    assert SECRET not in result.stdout + result.stderr


def test_bconsole_connection_refused_exits_1():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run("bconsole.py", "--address", "127.0.0.1", "--port", str(port), "-p", "x")
    assert result.returncode == 1
    assert result.stdout.strip()
    assert "Traceback" not in result.stderr


def test_bconsole_two_different_addresses_are_refused(director):
    result = run("bconsole.py", "--address", "192.0.2.1", "-p", "x", director.host)
    assert result.returncode == 2
    assert "two addresses" in result.stderr


def test_bconsole_non_utf8_line_is_skipped_and_the_rest_runs(director):
    result = run("bconsole.py", *director_args(director),
                 stdin=b"whoami\nlist \xff\xfe jobs\nversion\n")
    assert result.returncode == 1
    assert "input line is not valid UTF-8: skipped" in result.stderr
    assert ">>admin" in result.stdout
    assert "Version:" in result.stdout
    assert "Traceback" not in result.stderr


def test_bconsole_connection_lost_during_the_session_exits_1(test_director):
    broken = test_director("--console", "admin:secret", "--fault", "close-mid-frame@list")
    result = run("bconsole.py", *director_args(broken), stdin="whoami\nlist jobs\nwhoami\n")
    assert result.returncode == 1
    assert ">>admin" in result.stdout
    assert result.stderr.strip(), "the error is printed"
    assert "Traceback" not in result.stderr


def test_bconsole_closed_stdout_ends_quietly(director):
    process = subprocess.Popen(
        [tool("bconsole.py"), *director_args(director)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    process.stdout.close()
    _, err = process.communicate(b"list jobs\nlist jobs\nlist jobs\n", timeout=120)
    assert process.returncode == 1
    assert b"Traceback" not in err


# -- bconsole-json.py -----------------------------------------------------------------


def test_bconsole_json_prints_results_and_goes_on_after_an_error(director):
    result = run("bconsole-json.py", *director_args(director),
                 stdin="list pools\nfoo\nwhoami\nquit\n")
    assert result.returncode == 0, result.stderr
    assert "{'pools': [" in result.stdout
    assert "failed: foo: is an invalid command." in result.stdout
    assert result.stdout.count(">>") == 4


def test_bconsole_json_positional_address(user1):
    result = run("bconsole-json.py", "--name=user1", "--password=" + SECRET, user1.host,
                 "--port", str(user1.port), "--debug", stdin="list pools\n")
    assert result.returncode == 0, result.stderr
    assert "'pools'" in result.stdout
    assert "'password': '****'" in result.stderr
    assert SECRET not in result.stdout + result.stderr


def test_bconsole_json_wrong_password_exits_1(user1):
    result = run("bconsole-json.py", *director_args(user1, "user1", "nope"))
    assert result.returncode == 1
    assert result.stdout.strip()
    assert "Traceback" not in result.stderr


# -- bareos-fd-connect.py -------------------------------------------------------------


def fd_args(director, password=FD_DIRECTOR[1]):
    return ["--address", director.host, "--port", str(director.fd_port),
            "--name", FD_DIRECTOR[0], "-p", password]


def test_fd_connect_command_on_the_command_line(director):
    result = run("bareos-fd-connect.py", *fd_args(director), "status")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    assert ">>" not in result.stdout


def test_fd_connect_reads_piped_commands(director):
    result = run("bareos-fd-connect.py", *fd_args(director), stdin="status\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(">>")
    assert len(result.stdout.strip()) > len(">>>>")


def test_fd_connect_wrong_password_exits_1(director):
    result = run("bareos-fd-connect.py", *fd_args(director, "wrong"), "status")
    assert result.returncode == 1
    assert result.stdout.strip()
    assert "Traceback" not in result.stderr


def test_fd_connect_debug_hides_the_password(director):
    result = run("bareos-fd-connect.py", "--debug", *fd_args(director), "status")
    assert result.returncode == 0, result.stderr
    assert "'password': '****'" in result.stderr
    assert "'" + FD_DIRECTOR[1] + "'" not in result.stderr


# -- bareos-jsonrpc-server.py ---------------------------------------------------------


class JsonRpcServer:
    def __init__(self, *args):
        self.process = subprocess.Popen(
            [tool("bareos-jsonrpc-server.py"), "--http-port", "0", *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )
        self.banner = []
        for line in self.process.stdout:
            self.banner.append(line.rstrip("\n"))
            if line.startswith("URL: "):
                self.url = line[len("URL: "):].strip()
                break
        else:
            self.process.wait(timeout=30)
            pytest.fail("server did not start: {0}".format(self.process.stderr.read()))

    def post(self, body, headers=None):
        if not isinstance(body, bytes):
            body = json.dumps(body).encode()
        request = urllib.request.Request(
            self.url, data=body, method="POST",
            headers=dict({"Content-Type": "application/json"}, **(headers or {})),
        )
        with urllib.request.urlopen(request, timeout=60) as answer:
            assert answer.status == 200
            assert answer.headers["Content-Type"] == "application/json"
            text = answer.read()
        return json.loads(text) if text else None

    def rpc(self, method, *params, request_id=1):
        return self.post({"jsonrpc": "2.0", "method": method, "params": list(params),
                          "id": request_id})

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        stderr = self.process.stderr.read()
        self.process.stderr.close()
        return stderr


@pytest.fixture(scope="module")
def jsonrpc(user1):
    server = JsonRpcServer("--name", "user1", "--password", SECRET, "--debug", user1.host,
                           "--port", str(user1.port))
    yield server
    stderr = server.stop()
    # --debug logs each command, but no password of any kind
    assert "DEBUG jsonrpc_server.execute: list pools" in stderr
    for secret in [SECRET, COMMAND_SECRET]:
        assert secret not in stderr + "\n".join(server.banner)


COMMAND_SECRET = "Cmd-Secret-31x"


def test_jsonrpc_server_banner(jsonrpc):
    banner = jsonrpc.banner
    # the method names, the method table, the last jobs, then where it serves
    assert banner[:4] == ["call", "execute", "execute_fullresult", "list"]
    assert banner[4].startswith("{'add': <function add at ")
    assert "'execute': <bound method BconsoleMethods.execute of " in banner[4]
    assert banner[5].startswith("{'jobs': [")
    assert banner[6] == "Starting HTTP server ..."
    assert urllib.parse.urlsplit(jsonrpc.url).hostname == "localhost"
    assert urllib.parse.urlsplit(jsonrpc.url).port > 0


def test_jsonrpc_methods(jsonrpc):
    assert jsonrpc.rpc("add", 1, 2) == {"jsonrpc": "2.0", "id": 1, "result": 3}
    pools = jsonrpc.rpc("execute", "list pools")["result"]
    assert [pool["name"] for pool in pools["pools"]]
    assert jsonrpc.rpc("call", "list pools")["result"] == pools
    assert jsonrpc.rpc("list", "pools")["result"] == pools
    full = jsonrpc.rpc("execute_fullresult", "list pools", request_id="abc")
    assert full["id"] == "abc"
    assert full["result"]["jsonrpc"] == "2.0"
    assert full["result"]["result"] == pools
    named = jsonrpc.post({"jsonrpc": "2.0", "method": "add", "params": {"a": "x", "b": "y"},
                          "id": 2})
    assert named["result"] == "xy"


def test_jsonrpc_get_request(jsonrpc):
    query = urllib.parse.urlencode(
        {"jsonrpc": "2.0", "method": "add", "params": "[20, 22]", "id": "7"})
    with urllib.request.urlopen(jsonrpc.url + "/?" + query, timeout=60) as answer:
        assert json.loads(answer.read()) == {"jsonrpc": "2.0", "id": "7", "result": 42}


def test_jsonrpc_director_error(jsonrpc):
    answer = jsonrpc.rpc("execute", "foo")
    assert answer["error"]["code"] == -32603
    assert answer["error"]["message"] == "failed: foo: is an invalid command."
    # the connection is still usable
    assert "pools" in jsonrpc.rpc("execute", "list pools")["result"]


def test_jsonrpc_command_with_a_password(jsonrpc):
    answer = jsonrpc.rpc(
        "execute", "configure add console name=x password={0}".format(COMMAND_SECRET))
    assert "result" in answer or answer["error"]["code"] == -32603
    # the fixture checks that the password was not logged


def test_jsonrpc_protocol_errors(jsonrpc):
    assert jsonrpc.rpc("nosuch")["error"]["code"] == -32601
    assert jsonrpc.rpc("__init__", None)["error"]["code"] == -32601
    assert jsonrpc.rpc("add", 1)["error"]["code"] == -32602
    assert jsonrpc.rpc("execute", 5)["error"]["code"] == -32602
    assert jsonrpc.rpc("list", ["pools"])["error"]["code"] == -32602
    assert jsonrpc.rpc("add", 2, "abc")["error"]["code"] == -32603
    assert jsonrpc.post(b"{not json")["error"]["code"] == -32700
    assert jsonrpc.post(b"\xff\xfe")["error"]["code"] == -32700
    assert jsonrpc.post(b"[" * 100000 + b"]" * 100000)["error"]["code"] == -32700
    assert jsonrpc.post([])["error"]["code"] == -32600
    assert jsonrpc.post("add")["error"]["code"] == -32600
    assert jsonrpc.post({"jsonrpc": "1.0", "method": "add", "id": 1})["error"]["code"] \
        == -32600
    assert jsonrpc.post({"jsonrpc": "2.0", "method": "add", "params": 3, "id": 1})[
        "error"]["code"] == -32602


def test_jsonrpc_batch_and_notifications(jsonrpc):
    answers = jsonrpc.post([
        {"jsonrpc": "2.0", "method": "add", "params": [1, 1], "id": 1},
        {"jsonrpc": "2.0", "method": "add", "params": [5, 5]},
        {"jsonrpc": "2.0", "method": "add", "params": [2, 2], "id": 2},
        17,
    ])
    assert answers == [
        {"jsonrpc": "2.0", "id": 1, "result": 2},
        {"jsonrpc": "2.0", "id": 2, "result": 4},
        {"jsonrpc": "2.0", "id": None,
         "error": {"code": -32600, "message": "Invalid Request", "data": "not an object"}},
    ]
    assert jsonrpc.post({"jsonrpc": "2.0", "method": "add", "params": [1, 2]}) is None


def test_jsonrpc_http_limits(jsonrpc):
    # a body over 1 MiB is refused from its Content-Length, before it is sent
    split = urllib.parse.urlsplit(jsonrpc.url)
    connection = http.client.HTTPConnection(split.hostname, split.port, timeout=60)
    try:
        connection.putrequest("POST", "/")
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Content-Length", str(1024 * 1024 + 1))
        connection.endheaders()
        answer = connection.getresponse()
        assert answer.status == 413
        answer.read()
    finally:
        connection.close()
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(jsonrpc.url + "/", timeout=60)
    assert error.value.code == 400
    with pytest.raises(urllib.error.HTTPError) as error:
        jsonrpc.post(b"{}", headers={"Content-Encoding": "gzip"})
    assert error.value.code == 415
    assert jsonrpc.rpc("add", 1, 2)["result"] == 3


def test_jsonrpc_server_wrong_password_exits_1(user1):
    result = run("bareos-jsonrpc-server.py", *director_args(user1, "user1", "bad"),
                 "--http-port", "0")
    assert result.returncode == 1
    assert result.stdout.strip()
    assert "Starting HTTP server" not in result.stdout


def test_jsonrpc_server_port_in_use_exits_1(jsonrpc, user1):
    port = str(urllib.parse.urlsplit(jsonrpc.url).port)
    result = run("bareos-jsonrpc-server.py", *director_args(user1, "user1", SECRET),
                 "--http-port", port)
    assert result.returncode == 1
    assert "cannot serve on localhost:" + port in result.stderr
    assert SECRET not in result.stdout + result.stderr


def test_jsonrpc_server_bad_http_port_exits_2(user1):
    result = run("bareos-jsonrpc-server.py", *director_args(user1, "user1", SECRET),
                 "--http-port", "70000")
    assert result.returncode == 2
    assert "not a TCP port" in result.stderr


@pytest.mark.parametrize("address", ["127.0.0.1", "::1"])
def test_jsonrpc_server_http_address(user1, address):
    server = JsonRpcServer("--name", "user1", "-p", SECRET, "--address", user1.host,
                           "--port", str(user1.port), "--http-address", address)
    try:
        split = urllib.parse.urlsplit(server.url)
        assert split.hostname == address
        assert server.rpc("add", 2, 3)["result"] == 5
    finally:
        server.stop()


# -- against the Bacula 9.6 real peer (scripts/test starts it) ------------------------

needs_bacula = pytest.mark.skipif(
    not os.environ.get("BACULA_DIR_PORT"), reason="Bacula peer not running")


@needs_bacula
@pytest.mark.parametrize("protocol", ["1", "0"])
def test_bconsole_against_bacula(protocol):
    port = os.environ["BACULA_DIR_PORT"]
    result = run("bconsole.py", "--protocolversion", protocol, "-p", "dirsecret",
                 "127.0.0.1", "--port", port, stdin="version\nlist pools\nquit\n")
    assert result.returncode == 0, result.stderr
    assert ">>bacula-dir Version: 9.6" in result.stdout
    assert "Scratch" in result.stdout
    # no TLS on that director: the fallback to cleartext is announced
    assert "not encrypted" in result.stderr
    assert "dirsecret" not in result.stdout + result.stderr


@needs_bacula
def test_bconsole_against_bacula_refusals():
    port = os.environ["BACULA_DIR_PORT"]
    wrong = run("bconsole.py", "--protocolversion", "1", "-p", "wrong", "--name", "admin",
                "--address", "127.0.0.1", "--port", port, stdin="version\n")
    assert wrong.returncode == 1
    assert wrong.stdout.strip() and ">>" not in wrong.stdout
    required = run("bconsole.py", "--tls-psk-require", "-p", "dirsecret",
                   "--address", "127.0.0.1", "--port", port, "--timeout", "10",
                   stdin="version\n")
    assert required.returncode == 1
    assert ">>" not in required.stdout


@needs_bacula
def test_fd_connect_against_bacula():
    port = os.environ["BACULA_FD_PORT"]
    result = run("bareos-fd-connect.py", "--address", "127.0.0.1", "--port", port,
                 "--name", "bacula-dir", "-p", "fdsecret", "status")
    assert result.returncode == 0, result.stderr
    assert "Daemon started" in result.stdout
    assert "fdsecret" not in result.stdout + result.stderr


def test_jsonrpc_connection_limit(jsonrpc):
    import socket
    import time

    split = urllib.parse.urlsplit(jsonrpc.url)
    address = (split.hostname, split.port)
    # 32 clients that connect and send nothing hold every slot...
    idle = [socket.create_connection(address, timeout=60) for _ in range(32)]
    try:
        # ...and the next connection is accepted after them (in order) and refused
        # at once, before it sends anything.
        with socket.create_connection(address, timeout=60) as extra:
            answer = b""
            while True:
                chunk = extra.recv(4096)
                if not chunk:
                    break
                answer += chunk
        assert answer.startswith(b"HTTP/1.0 503 ")
    finally:
        for sock in idle:
            sock.close()
    # the slots come back when those clients go away
    for _ in range(200):
        try:
            assert jsonrpc.rpc("add", 1, 1)["result"] == 2
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    else:
        pytest.fail("the server did not take requests again")
