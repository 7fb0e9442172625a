"""Every public name of python-bareos 25 imports, with the same hierarchy and helpers."""

import argparse
import base64
import importlib
import json
import pathlib
import hashlib
import ssl

import pytest

import bareos
import bareos.bsock
import bareos.exceptions
import bareos.util
from bareos.bsock.constants import Constants
from bareos.bsock.lowlevel import LowLevel
from bareos.bsock.protocolmessageids import ProtocolMessageIds
from bareos.bsock.protocolmessages import ProtocolMessages
from bareos.bsock.protocolversions import ProtocolVersions
from bareos.util import BareosBase64, Password, Path, Version


def test_public_names():
    assert bareos.__version__.startswith("25.")
    for name in [
        "DirectorConsole",
        "DirectorConsoleJson",
        "FileDaemon",
        "Password",
        "ConnectionType",
        "Constants",
        "ProtocolVersions",
        "TlsVersionParser",
        "BSock",
        "BSockJson",
    ]:
        assert hasattr(bareos.bsock, name), name
    for name in ["ArgumentParser", "BareosBase64", "Password", "Path", "Version"]:
        assert hasattr(bareos.util, name), name
    assert bareos.Password is bareos.util.Password
    assert issubclass(bareos.bsock.BSock, bareos.bsock.DirectorConsole)
    assert issubclass(bareos.bsock.BSockJson, bareos.bsock.DirectorConsoleJson)
    assert issubclass(bareos.bsock.DirectorConsoleJson, bareos.bsock.DirectorConsole)
    assert issubclass(bareos.bsock.DirectorConsole, LowLevel)
    assert issubclass(bareos.bsock.FileDaemon, LowLevel)
    assert bareos.bsock.DirectorConsole.is_tls_psk_available() is True


def test_exception_hierarchy():
    e = bareos.exceptions
    assert issubclass(e.Error, Exception)
    for name in [
        "ConnectionError",
        "ConnectionLostError",
        "SocketEmptyHeader",
        "SignalReceivedException",
        "JsonRpcErrorReceivedException",
    ]:
        assert issubclass(getattr(e, name), e.Error), name
    assert issubclass(e.AuthenticationError, e.ConnectionError)
    assert issubclass(e.PamAuthenticationError, e.AuthenticationError)
    assert issubclass(e.JsonRpcInvalidJsonReceivedException, e.JsonRpcErrorReceivedException)
    assert issubclass(e.ConnectionTimeoutError, e.ConnectionError)
    assert issubclass(e.ConnectionTimeoutError, TimeoutError)
    # bareos.exceptions.ConnectionError is not the builtin one, as in python-bareos.
    assert not issubclass(e.ConnectionError, ConnectionError)
    # Star imports of python-bareos work.
    assert bareos.AuthenticationError is e.AuthenticationError
    assert bareos.bsock.ConnectionLostError is e.ConnectionLostError


def test_exception_messages():
    e = bareos.exceptions
    signal = e.SignalReceivedException(-4)
    assert str(signal) == "Conversation terminated (-4)"
    assert signal.signal == -4
    data = {
        "jsonrpc": "2.0",
        "id": None,
        "error": {
            "code": 1,
            "message": "failed",
            "data": {"result": {}, "messages": {"error": ["foo: is an invalid command.\n"]}},
        },
    }
    error = e.JsonRpcErrorReceivedException(data)
    assert str(error) == "failed: foo: is an invalid command.\n"
    assert error.jsondata is data
    invalid = e.JsonRpcInvalidJsonReceivedException(
        {"error": {"code": 2, "message": "bad", "data": bytearray(b"x")}}
    )
    assert str(invalid) == "bad: bytearray(b'x')"
    assert str(e.JsonRpcErrorReceivedException({"x": 1})) == ": {'x': 1}"


def test_constants_and_protocol_messages():
    assert Constants.BNET_EOD == -1
    assert Constants.BNET_MAIN_PROMPT == -18
    assert Constants.BNET_TEXT_INPUT == -28
    assert Constants.get_description(-1) == "End of data stream, new data may follow"
    assert Constants.get_description(42) is None
    assert Constants.record_separator == "\x1e"
    assert ProtocolVersions.last == ProtocolVersions.bareos_18_2 == 2
    assert ProtocolVersions.bareos_12_4 == 1
    assert ProtocolMessageIds.Ok == 1000 and ProtocolMessageIds.FdOk == 2000
    messages = ProtocolMessages(ProtocolVersions.bareos_12_4)
    assert messages.hello("*UserAgent*") == bytearray(b"Hello *UserAgent* calling\n")
    messages.set_version(ProtocolVersions.bareos_18_2)
    assert messages.hello("admin") == bytearray(b"Hello admin calling version 25.1.1\n")
    fd = messages.hello("bareos-dir", type=bareos.bsock.ConnectionType.FILEDAEMON)
    assert fd == bytearray(b"Hello Director bareos-dir calling\n")
    assert ProtocolMessages.is_auth_ok(b"1000 OK auth\n")
    assert ProtocolMessages.pam_user_credentials("u", "p") == bytearray(b"4002\x1eu\x1ep")


def test_password():
    password = Password("secret")
    assert password.plaintext() == "secret"
    assert password.md5() == hashlib.md5(b"secret").hexdigest().encode()
    assert "secret" not in repr(password)
    assert hashlib.md5(b"secret").hexdigest() not in repr(password)
    md5_only = Password()
    md5_only.set_md5(b"5ebe2294ecd0e0f08eab7690d2a6ee69")
    assert md5_only.md5() == b"5ebe2294ecd0e0f08eab7690d2a6ee69"


DATA = pathlib.Path(__file__).resolve().parent / "data"


def test_bareos_base64_gives_python_bareos_outputs(capsys):
    """Every recorded input gives python-bareos 25.1.1's output, quirks included."""
    vectors = json.loads((DATA / "bareosbase64_vectors.json").read_text())
    b64 = BareosBase64()
    for data, signed, unsigned in vectors["string_to_base64"]:
        raw = bytes.fromhex(data)
        assert b64.string_to_base64(raw) == bytearray(signed.encode()), data
        assert b64.string_to_base64(raw, True) == bytearray(unsigned.encode()), data
        assert b64.string_to_base64(bytearray(raw)) == bytearray(signed.encode())
    for value, text in vectors["int_to_base64"]:
        assert b64.int_to_base64(value) == text, value
    for text, value, printed in vectors["base64_to_int"]:
        capsys.readouterr()
        assert b64.base64_to_int(text) == value, text
        assert capsys.readouterr().out == printed, text
    # The unsigned variant is standard base64 without padding.
    digest = bytes(range(250, 256)) + bytes(range(10))
    assert bytes(b64.string_to_base64(digest, compatible=True)) == base64.b64encode(
        digest
    ).rstrip(b"=")


def test_every_python_bareos_name_exists():
    """Each module, module-level name and class member of python-bareos is here too
    (also the accidental ones scripts reach for: ``bareos.Constants``,
    ``bareos.bsock.lowlevel.bash``, the private helpers of ``LowLevel``)."""
    inventory = json.loads((DATA / "python_bareos_api.json").read_text())
    missing = []
    for module_name, names in inventory.items():
        module = importlib.import_module(module_name)
        for name, members in names.items():
            if not hasattr(module, name):
                missing.append("{0}.{1}".format(module_name, name))
                continue
            for member in members or []:
                if not hasattr(getattr(module, name), member):
                    missing.append("{0}.{1}.{2}".format(module_name, name, member))
    assert not missing, missing


def test_low_level_attributes_of_python_bareos():
    """The instance attributes python-bareos's ``LowLevel.__init__`` sets."""
    expected = (
        "logger status address timeout password pam_username pam_password port "
        "dirname socket auth_credentials_valid max_reconnects tls_psk_enable "
        "tls_psk_require tls_version connection_type requested_protocol_version "
        "protocol_messages identity_prefix receive_buffer"
    ).split()
    low = LowLevel()
    for name in expected:
        assert hasattr(low, name), name
    assert low.socket is None and low.receive_buffer == b""
    assert bareos.bsock.lowlevel.bash("a b") == "a\x01b"
    assert bareos.bsock.lowlevel.bash(b"a b") == b"a\x01b"
    assert bareos.Constants is Constants


def test_path_and_version():
    path = Path("/usr/bin/python")
    assert path.shift() == "usr"
    assert str(path) == "/bin/python"
    assert Path("/a/b/").is_directory() and str(Path("/a/b/")) == "/a/b/"
    assert str(Path("/")) == "/"
    assert Path("a/b").is_root() is False
    assert Version("23.0.0~pre1234.abc").as_python_version() == "23.0.0.dev+1234.abc"
    assert str(Version("25.1.1")) == "25.1.1"


def test_argparse_helpers():
    parser = bareos.util.ArgumentParser(description="x")
    bareos.bsock.DirectorConsole.argparser_add_default_command_line_arguments(parser)
    args = parser.parse_args(["-p", "pw", "--address", "h", "--tls-psk-require"])
    params = bareos.bsock.DirectorConsole.argparser_get_bareos_parameter(args)
    assert params == {
        "name": "*UserAgent*",
        "password": "pw",
        "port": 9101,
        "address": "h",
        "protocolversion": 2,
        "tls_psk_require": True,
    }
    fd_parser = argparse.ArgumentParser()
    bareos.bsock.FileDaemon.argparser_add_default_command_line_arguments(fd_parser)
    fd_args = fd_parser.parse_args(["--name", "bareos-dir", "-p", "s", "--tls-version", "v1.2"])
    fd_params = bareos.bsock.FileDaemon.argparser_get_bareos_parameter(fd_args)
    assert fd_params["name"] == "bareos-dir"
    assert fd_params["tls_version"] == ssl.PROTOCOL_TLSv1_2
    assert fd_params["port"] == 9102


def test_missing_password_and_conflicting_tls_options():
    with pytest.raises(bareos.exceptions.ConnectionError, match="password"):
        bareos.bsock.DirectorConsole(address="127.0.0.1", port=1)
    with pytest.raises(bareos.exceptions.ConnectionError, match="not enabled"):
        bareos.bsock.DirectorConsole(
            address="127.0.0.1", port=1, password="x", tls_psk_enable=False, tls_psk_require=True
        )
