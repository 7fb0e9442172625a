"""Every public name of python-bareos 25 imports, with the same hierarchy and helpers."""

import argparse
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


def test_bareos_base64():
    b64 = BareosBase64()
    assert b64.string_to_base64(b"\x00\x01\x02") == bytearray(b"AAEC")
    digest = bytes(range(250, 256)) + bytes(range(10))
    signed = b64.string_to_base64(digest)
    unsigned = b64.string_to_base64(digest, compatible=True)
    assert signed != unsigned
    import base64

    assert bytes(unsigned) == base64.b64encode(digest).rstrip(b"=")
    assert b64.base64_to_int(b64.int_to_base64(123456789)) == 123456789
    assert b64.base64_to_int(b64.int_to_base64(-42)) == -42
    assert b64.int_to_base64(0) == "A"


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
