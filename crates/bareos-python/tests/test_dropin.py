"""python-bareos's behaviour, point by point, against the test director.

Each test names the behaviour of python-bareos (``bareos/bsock/*.py`` of the Bareos
repository) that it checks.
"""

import io
import logging
import socket
import struct
import threading
import time
import warnings

import pytest

import bareos.bsock
import bareos.exceptions
from bareos.bsock.constants import Constants
from bareos.bsock.protocolversions import ProtocolVersions

import conftest
from conftest import DIR_PASSWORD, FD_DIRECTOR

MESSAGE = "01-Dec 10:00 bareos-dir JobId 7: Backup OK\n"


#: A test director with pending messages and consoles of every TLS policy.
td = conftest.module_director(
    *conftest.CONSOLES,
    "--console", "tlsopt:secret:enabled",
    "--console", "pamclear:secret:none:pam",
    "--console", "pamtls:secret:required:pam",
    "--pam-user", "alice:wonderland",
    "--message", MESSAGE,
    "--fault", "delay=3@wait",
    "--fault", "garbage@break",
)


def connect(td, name, password="secret", cls=bareos.bsock.DirectorConsole, **kwargs):
    return conftest.login(td, cls, name, password, **kwargs)


# 1. Session set-up -------------------------------------------------------------------


def test_first_result_has_no_message_notice(td):
    """``_init_connection`` sends ``autodisplay off`` and drops its reply, which carries
    the director's one-time ``You have messages.``."""
    director = connect(td, "admin")
    assert director.call("whoami") == b"admin\n"
    assert director.call("whoami") == b"admin\n"
    # The messages are still there, unread.
    assert director.call("messages") == MESSAGE.encode()


def test_json_session_set_up(td):
    """``DirectorConsoleJson`` sends ``.api json`` then ``.api json compact=yes``."""
    director = connect(td, "admin", cls=bareos.bsock.DirectorConsoleJson)
    assert director.call("whoami") == {"whoami": "admin"}
    assert "pools" in director.call("list pools")


# 2. Protocol fallback --------------------------------------------------------------


def test_refused_cleartext_protocol_2_falls_back_to_protocol_1(td, caplog):
    """``protocolversion=None`` (and 0): a protocol-2 cleartext login refused before
    authentication is retried with protocol 1, logged as python-bareos logs it."""
    for version in (None, 0):
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            with pytest.warns(UserWarning, match="protocol version 1"):
                director = connect(
                    td, "tlsopt", tls_psk_enable=False, protocolversion=version
                )
        assert director.get_protocol_version() == ProtocolVersions.bareos_12_4
        assert director.call("whoami") == b"tlsopt\n"
        assert not hasattr(director.socket, "cipher")
        assert (
            "Failed to connect using protocol version 2. Trying protocol version 1. "
            in caplog.messages
        )


def test_no_fallback_when_asked_for_protocol_2_or_tls_or_after_a_wrong_password(td):
    with pytest.raises(bareos.exceptions.AuthenticationError) as info:
        connect(td, "tlsopt", tls_psk_enable=False, protocolversion=2)
    assert str(info.value).startswith(
        "Received unexcepted signal: Conversation terminated (-4)"
    )
    # TLS-PSK works for this console: no fallback is needed, protocol 2 is used.
    director = connect(td, "tlsopt", tls_psk_require=True)
    assert director.get_protocol_version() == ProtocolVersions.bareos_18_2
    assert director.socket.cipher()[1].startswith("TLSv1.")
    # A wrong password stays wrong: no second attempt with protocol 1.
    with pytest.raises(bareos.exceptions.AuthenticationError) as info:
        connect(td, "notls", password="wrong", tls_psk_enable=False)
    assert str(info.value).startswith("failed (in response)")


def test_tls_failure_then_protocol_fallback(test_director):
    """TLS-PSK fails (the director speaks no TLS), cleartext protocol 2 is refused,
    protocol 1 gets in: two warnings, never silently."""
    td = test_director(
        "--fault", "tls-failure", "--console", "tlsopt:secret:enabled"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        director = connect(td, "tlsopt")
    texts = [str(w.message) for w in caught if w.category is UserWarning]
    assert any("not encrypted" in t for t in texts), texts
    assert any("protocol version 1" in t for t in texts), texts
    assert director.get_protocol_version() == ProtocolVersions.bareos_12_4
    with pytest.raises(bareos.exceptions.AuthenticationError):
        connect(td, "tlsopt", tls_psk_require=True)


# 3. Timeouts ----------------------------------------------------------------------


def test_timeout_bounds_the_connect_not_the_command(td):
    """In python-bareos ``timeout`` bounds the connect; a command may run as long as the
    director needs (the test director thinks 3 s about ``wait``)."""
    director = connect(td, "admin", timeout=1)
    started = time.monotonic()
    director.call("wait")
    assert time.monotonic() - started >= 3
    assert director.call("whoami") == b"admin\n"


def test_call_timeout_keyword(td):
    """An explicit per-call deadline (an addition): the call raises, the connection is
    closed, and the next call reconnects."""
    director = connect(td, "admin", call_timeout=0.5)
    with pytest.raises(bareos.exceptions.ConnectionTimeoutError):
        director.call("wait")
    assert director.call("whoami") == b"admin\n"
    director.set_call_timeout(None)
    director.call("wait")
    assert director.socket.gettimeout() is None


def test_a_command_longer_than_two_minutes(test_director):
    """The old 120 s limit is gone: a command the director answers after 125 s of
    silence completes with the default settings."""
    td = test_director("--console", "admin:secret", "--fault", "delay=125@wait")
    director = connect(td, "admin")
    started = time.monotonic()
    director.call("wait")
    assert time.monotonic() - started >= 125
    assert director.call("whoami") == b"admin\n"


# 4. Attributes and low-level methods ---------------------------------------------


def test_socket_attribute(td):
    clear = connect(td, "notls", tls_psk_enable=False)
    assert not hasattr(clear.socket, "cipher")
    assert clear.socket.getpeername() == (td.host, td.port)
    assert clear.socket.getsockname()[0] == td.host
    assert clear.socket.fileno() > 2
    tls = connect(td, "admin")
    assert tls.socket.cipher() == tls.get_cipher()
    assert tls.socket.version() == "TLSv1.3"
    tls.close()
    assert tls.socket is None


def test_low_level_wire_methods(td):
    """``send``, ``recv_bytes``, ``recv_submsg``, ``recv``, ``has_data``, ``status``,
    ``receive_buffer``, ``auth``, ``receive_and_evaluate_response_message``."""
    director = connect(td, "notls", tls_psk_enable=False)
    assert director.auth() is True
    assert director.receive_buffer == b""
    director.send(b"whoami")
    assert director.has_data()
    (length,) = struct.unpack("!i", director.recv_bytes(4))
    assert length == len(b"notls\n")
    assert director.recv_submsg(length) == bytearray(b"notls\n")
    with pytest.raises(bareos.exceptions.SignalReceivedException) as info:
        director.recv()
    assert info.value.signal == Constants.BNET_EOD
    assert director.status == Constants.BNET_EOD
    assert not director.has_data()
    # Nothing outstanding: recv_bytes times out as on a quiet socket.
    with pytest.raises(socket.timeout):
        director.recv_bytes(4, timeout=0.2)

    director.send("version")
    message = director.recv()
    assert message.startswith(b"bareos-dir Version:")
    assert director.recv_msg() == bytearray()
    director.send("version")
    assert director.recv_msg().startswith(b"bareos-dir Version:")

    # A coded answer, as during the login.
    director.send(".")
    director.send("help")
    assert isinstance(director.recv_msg(), bytearray)


def test_receive_and_evaluate_response_message(td):
    """A coded answer as ``(code, text)``, as python-bareos reads the login messages;
    an answer without a code is a protocol error."""
    fd = bareos.bsock.FileDaemon(
        address=td.host, port=td.fd_port, name=FD_DIRECTOR[0], password=FD_DIRECTOR[1]
    )
    fd.send("RunBeforeNow")
    assert fd.receive_and_evaluate_response_message() == (2000, b"OK RunBeforeNow")
    assert fd.call("status")
    fd.close()
    director = connect(td, "notls", tls_psk_enable=False)
    director.send("version")
    with pytest.raises(bareos.exceptions.ProtocolError):
        director.receive_and_evaluate_response_message()


# 5. Errors ------------------------------------------------------------------------


def test_error_messages_of_python_bareos(td):
    with pytest.raises(bareos.exceptions.AuthenticationError) as info:
        connect(td, "notls", password="wrong", tls_psk_enable=False)
    assert str(info.value).startswith("failed (in response)")
    with pytest.raises(bareos.exceptions.PamAuthenticationError) as info:
        connect(td, "pamtls")
    assert str(info.value).startswith(
        "PAM authentication is requested, but no PAM credentials given. Giving up.\n"
    )
    with pytest.raises(bareos.exceptions.PamAuthenticationError) as info:
        connect(td, "admin", pam_username="alice", pam_password="wonderland")
    assert str(info.value).startswith(
        "PAM credentials provided, but this Director console does not offer PAM login. Giving up.\n"
    )
    with pytest.raises(bareos.exceptions.PamAuthenticationError) as info:
        connect(td, "pamtls", pam_username="alice", pam_password="wrong")
    assert str(info.value).startswith("PAM authentication failed.")
    with pytest.raises(bareos.exceptions.ConnectionError) as info:
        bareos.bsock.DirectorConsole(address=td.host, port=td.port)
    assert str(info.value) == "Parameter 'password' is required."


# 6. JSON at a prompt ------------------------------------------------------------------


def test_json_prompt_raises_and_leaves_the_connection_usable(td):
    director = connect(td, "admin", cls=bareos.bsock.DirectorConsoleJson)
    with pytest.raises(bareos.exceptions.JsonRpcInvalidJsonReceivedException) as info:
        director.call("restore")
    data = info.value.jsondata["error"]
    assert data["code"] == 2
    assert b"Select item:  (1-13): " in data["data"]
    assert str(info.value).startswith("Expecting value: line 1 column 1 (char 0): ")
    assert "List last 20 Jobs run" in str(info.value)
    assert "pools" in director.call("list pools")


def test_json_interactive_prints_the_prompt_and_goes_on(td, monkeypatch, capsys):
    director = connect(td, "admin", cls=bareos.bsock.DirectorConsoleJson)
    lines = iter(["restore", "13", "whoami", "quit"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(lines))
    assert director.interactive() is True
    out = capsys.readouterr().out
    assert "Select the most recent backup for a client" in out
    assert "'whoami': 'admin'" in out


# 7. call(list) ----------------------------------------------------------------------


def test_call_list_joins_with_spaces(td):
    director = connect(td, "admin")
    result = director.call(["run job=backup-bareos-fd", "yes"])
    assert b"Job queued. JobId=" in result
    assert director.call(["whoami"]) == b"admin\n"


# 8. Reconnect ----------------------------------------------------------------------


def test_lost_connection_reconnects_once_without_replay(td):
    director = connect(td, "admin")
    assert director.max_reconnects == 1
    with pytest.raises(bareos.exceptions.Error):
        director.call("break")  # the test director answers garbage and hangs up
    # The next call logs in again (and sends "autodisplay off" again); "break" is not
    # repeated (it would break the new connection at once).
    assert director.call("whoami") == b"admin\n"
    assert director.max_reconnects == 0
    with pytest.raises(bareos.exceptions.Error):
        director.call("break")
    with pytest.raises(bareos.exceptions.ConnectionLostError):
        director.call("whoami")


def test_json_reconnect_restores_api_mode(td):
    director = connect(td, "admin", cls=bareos.bsock.DirectorConsoleJson)
    with pytest.raises(bareos.exceptions.Error):
        director.call("break")
    assert director.call("whoami") == {"whoami": "admin"}


# 9. PAM over cleartext ------------------------------------------------------------------


def test_pam_over_cleartext_needs_the_keyword(td):
    with pytest.raises(bareos.exceptions.PamAuthenticationError) as info:
        connect(
            td, "pamclear", tls_psk_enable=False, pam_username="alice", pam_password="wonderland"
        )
    assert "pam_allow_cleartext=True" in str(info.value)
    assert "wonderland" not in str(info.value)
    director = connect(
        td,
        "pamclear",
        tls_psk_enable=False,
        pam_username="alice",
        pam_password="wonderland",
        pam_allow_cleartext=True,
    )
    assert director.call("whoami") == b"alice\n"
    # Over TLS-PSK no keyword is needed.
    director = connect(td, "pamtls", pam_username="alice", pam_password="wonderland")
    assert director.call("whoami") == b"alice\n"


# 10. Warnings ---------------------------------------------------------------------


def test_cleartext_fallback_warns(test_director, caplog):
    td = test_director("--fault", "tls-failure", "--console", "notls:secret:none")
    with caplog.at_level(logging.WARNING):
        with pytest.warns(UserWarning, match="not encrypted"):
            director = connect(td, "notls")
    assert "Failed to connect via TLS-PSK. Trying plain connection." in caplog.messages
    assert director.get_cipher() is None


# File daemon ----------------------------------------------------------------------


def test_file_daemon_call_is_split_and_bashed_as_python_bareos(td):
    fd = bareos.bsock.FileDaemon(
        address=td.host, port=td.fd_port, name=FD_DIRECTOR[0], password=FD_DIRECTOR[1]
    )
    assert fd.call("status")
    assert fd.call(["status"])
    assert fd.max_reconnects == 0
