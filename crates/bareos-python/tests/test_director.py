"""DirectorConsole / DirectorConsoleJson / FileDaemon against the Rust test director."""

import logging
import threading
import time

import pytest

import bareos.bsock
import bareos.exceptions
from bareos.bsock import Constants
from conftest import DIR_PASSWORD, FD_DIRECTOR


def console(director, **kwargs):
    kwargs.setdefault("address", director.host)
    kwargs.setdefault("port", director.port)
    kwargs.setdefault("timeout", 10)
    return bareos.bsock.DirectorConsole(**kwargs)


def test_default_console_tls13(director):
    dc = console(director, password=DIR_PASSWORD)
    cipher = dc.get_cipher()
    assert isinstance(cipher, tuple) and len(cipher) == 3
    name, version, bits = cipher
    assert version == "TLSv1.3"
    assert name.startswith("TLS_") and bits >= 128
    assert dc.get_protocol_version() == 2
    assert dc.call("whoami") == b"root\n"
    assert isinstance(dc.call("help"), bytes)
    assert b"Print help" in dc.call(["help"])
    dc.close()
    assert dc.get_cipher() is None


def test_named_console_password_object(director):
    dc = console(director, name="admin", password=bareos.Password("secret"))
    assert dc.call("whoami") == b"admin\n"
    assert dc.send_command("whoami") == b"admin\n"


def test_tls12_cap(director):
    import ssl

    dc = console(director, name="admin", password="secret", tls_version=ssl.PROTOCOL_TLSv1_2)
    assert dc.get_cipher()[1] == "TLSv1.2"


def test_cleartext_when_tls_disabled(director):
    dc = console(director, name="notls", password="secret", tls_psk_enable=False)
    assert dc.get_cipher() is None
    assert dc.call("whoami") == b"notls\n"


def test_require_never_falls_back_to_cleartext(test_director):
    td = test_director("--fault", "tls-failure", "--default-console-tls", "enabled")
    with pytest.raises(bareos.exceptions.ConnectionError):
        bareos.bsock.DirectorConsole(
            address=td.host, port=td.port, password=DIR_PASSWORD, timeout=5, tls_psk_require=True
        )


def test_require_uses_tls(director):
    dc = console(director, name="tlsonly", password="secret", tls_psk_require=True)
    assert dc.get_cipher()[1] == "TLSv1.3"


def test_tls_only_console_refuses_cleartext(director):
    with pytest.raises(bareos.exceptions.AuthenticationError):
        console(director, name="tlsonly", password="secret", tls_psk_enable=False)


@pytest.mark.parametrize(
    "login",
    [
        # A wrong password: of a named console, the default console, a cleartext console.
        {"name": "admin", "password": "wrong"},
        {"password": "wrong", "tls_psk_require": True},
        {"name": "notls", "password": "wrong", "tls_psk_enable": False},
        # A console the director does not know, over TLS-PSK and in cleartext.
        {"name": "nobody", "password": "secret"},
        {"name": "nobody", "password": "secret", "tls_psk_enable": False},
    ],
)
def test_wrong_password_or_unknown_console(director, login):
    with pytest.raises(bareos.exceptions.AuthenticationError):
        console(director, **login)


def test_unreachable():
    with pytest.raises(bareos.exceptions.ConnectionError) as info:
        bareos.bsock.DirectorConsole(address="127.0.0.1", port=1, password="x", timeout=5)
    assert not isinstance(info.value, bareos.exceptions.AuthenticationError)
    assert str(info.value).startswith("Failed to connect to host 127.0.0.1, port 1:")


def test_pam(director):
    dc = console(
        director, name="pamcon", password="secret", pam_username="alice", pam_password="wonderland"
    )
    assert dc.call("whoami") == b"alice\n"
    with pytest.raises(bareos.exceptions.PamAuthenticationError):
        console(director, name="pamcon", password="secret")
    with pytest.raises(bareos.exceptions.PamAuthenticationError):
        console(director, name="pamcon", password="secret", pam_username="alice", pam_password="x")
    with pytest.raises(bareos.exceptions.PamAuthenticationError):
        console(director, name="admin", password="secret", pam_username="alice", pam_password="x")


def test_protocol_version_1(director):
    dc = console(director, name="admin", password="secret", protocolversion=1)
    assert dc.get_protocol_version() == 1
    assert dc.call("whoami") == b"admin\n"


def test_json_list_pools_and_error(director):
    dc = bareos.bsock.DirectorConsoleJson(
        address=director.host, port=director.port, password=DIR_PASSWORD, timeout=10
    )
    pools = dc.call("list pools")
    assert isinstance(pools, dict)
    assert "pools" in pools and pools["pools"]
    assert all("name" in pool for pool in pools["pools"])
    full = dc.call_fullresult("list pools")
    assert full["jsonrpc"] == "2.0" and "result" in full
    with pytest.raises(bareos.exceptions.JsonRpcErrorReceivedException) as info:
        dc.call("thisisnotacommand")
    error = info.value
    assert not isinstance(error, bareos.exceptions.JsonRpcInvalidJsonReceivedException)
    assert str(error) == "failed: thisisnotacommand: is an invalid command.\n"
    assert error.jsondata["error"]["message"] == "failed"
    # The connection stays usable.
    assert "pools" in dc.call("list pools")


def test_json_invalid_reply(director):
    dc = bareos.bsock.DirectorConsoleJson(
        address=director.host, port=director.port, password=DIR_PASSWORD, timeout=10
    )
    # An empty answer is None, as in python-bareos; the connection stays usable.
    assert dc.call("") is None
    assert dc.call_fullresult("") is None
    assert "pools" in dc.call("list pools")


def test_file_daemon_status(director):
    fd = bareos.bsock.FileDaemon(
        address=director.host, port=director.fd_port, name=FD_DIRECTOR[0], password=FD_DIRECTOR[1]
    )
    assert fd.get_cipher()[1] == "TLSv1.3"
    status = fd.call("status")
    assert isinstance(status, bytes) and status
    assert fd.call(["status"])
    with pytest.raises(bareos.exceptions.AuthenticationError):
        bareos.bsock.FileDaemon(
            address=director.host, port=director.fd_port, name=FD_DIRECTOR[0], password="wrong"
        )


def test_low_level_send_recv(director):
    dc = console(director, name="admin", password="secret")
    dc.send(b"whoami")
    assert dc.recv() == bytearray(b"admin\n")
    with pytest.raises(bareos.exceptions.SignalReceivedException) as info:
        dc.recv()
    assert info.value.signal == Constants.BNET_EOD
    dc.send(bytearray(b"help"))
    message = dc.recv_msg()
    assert isinstance(message, bytearray) and b"Print help" in message
    assert dc.is_end_of_message(dc.status)


def test_selection_prompt_is_answered_by_next_call(director):
    dc = console(director, password=DIR_PASSWORD)
    first = dc.call("status client")
    if not dc.is_at_prompt():
        pytest.skip("the test director answered without a prompt")
    assert b"Select" in first or b":" in first
    dc.call(".")
    assert not dc.is_at_prompt()
    assert dc.call("whoami") == b"root\n"


def test_threads_run_in_parallel(test_director):
    td = test_director("--console", "admin:secret")
    threads = 6
    rounds = 5
    results = []
    errors = []
    barrier = threading.Barrier(threads)

    def work():
        try:
            dc = bareos.bsock.DirectorConsole(
                address=td.host, port=td.port, name="admin", password="secret", timeout=20
            )
            barrier.wait()
            for _ in range(rounds):
                results.append(dc.call("whoami"))
            dc.close()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    start = time.monotonic()
    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert not errors, errors
    assert results == [b"admin\n"] * (threads * rounds)
    # Logins alone take a while each (key derivation, round trips): serialized by the
    # GIL they would add up; released, they overlap.
    assert time.monotonic() - start < 30


def test_gil_released_during_io(test_director):
    td = test_director("--fault", "stall-after-login")
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.01)

    thread = threading.Thread(target=ticker)
    thread.start()
    try:
        with pytest.raises(bareos.exceptions.Error):
            bareos.bsock.DirectorConsole(
                address=td.host, port=td.port, password=DIR_PASSWORD, timeout=1.5
            ).call("whoami")
    finally:
        stop.set()
        thread.join()
    # The ticker kept running while the main thread waited in native code.
    assert len(ticks) > 50


@pytest.mark.parametrize("fault", ["stall-after-login", "stall-before-challenge"])
def test_stalled_director_times_out(test_director, fault):
    td = test_director("--fault", fault)
    start = time.monotonic()
    with pytest.raises(bareos.exceptions.ConnectionTimeoutError) as info:
        dc = bareos.bsock.DirectorConsole(
            address=td.host, port=td.port, password=DIR_PASSWORD, timeout=1
        )
        dc.call("status director")
    elapsed = time.monotonic() - start
    assert isinstance(info.value, bareos.exceptions.Error)
    assert isinstance(info.value, TimeoutError)
    assert elapsed < 5, elapsed


def test_call_logs_a_timed_out_or_lost_connection(test_director, director, caplog):
    # As python-bareos: "connection problem (<exception>): <message>" at error level.
    td = test_director("--fault", "stall-after-login")
    with caplog.at_level(logging.ERROR, logger="bareos"):
        with pytest.raises(bareos.exceptions.ConnectionTimeoutError):
            # The first call may be the console's own, during the constructor.
            bareos.bsock.DirectorConsole(
                address=td.host, port=td.port, password=DIR_PASSWORD, timeout=1
            ).call("status director")
        closed = console(director, name="admin", password="secret")
        closed.close()
        with pytest.raises(bareos.exceptions.ConnectionLostError):
            closed.call("whoami")
    problems = [r.getMessage() for r in caplog.records if "connection problem" in r.getMessage()]
    assert len(problems) == 2, problems
    assert problems[0].startswith("connection problem (ConnectionTimeoutError): "), problems
    assert problems[1].startswith("connection problem (ConnectionLostError): "), problems
    assert all(r.levelno == logging.ERROR for r in caplog.records if "connection problem" in r.getMessage())


def test_tls_failure_falls_back_with_warning(test_director, caplog):
    td = test_director("--fault", "tls-failure", "--default-console-tls", "enabled")
    with caplog.at_level(logging.WARNING, logger="bareos"):
        try:
            dc = bareos.bsock.DirectorConsole(
                address=td.host, port=td.port, password=DIR_PASSWORD, timeout=5
            )
        except bareos.exceptions.ConnectionError:
            dc = None
    assert any("TLS-PSK" in r.getMessage() for r in caplog.records), caplog.records
    if dc is not None:
        assert dc.get_cipher() is None
    with pytest.raises(bareos.exceptions.ConnectionError):
        bareos.bsock.DirectorConsole(
            address=td.host, port=td.port, password=DIR_PASSWORD, timeout=5, tls_psk_require=True
        )


def test_impostor_is_refused(test_director):
    td = test_director("--fault", "impostor")
    with pytest.raises(bareos.exceptions.AuthenticationError):
        bareos.bsock.DirectorConsole(address=td.host, port=td.port, password=DIR_PASSWORD, timeout=5)


def test_reconnect(director):
    dc = console(director, name="admin", password="secret")
    dc.close()
    with pytest.raises(bareos.exceptions.ConnectionLostError):
        dc.call("whoami")
    assert dc.reconnect() is True
    assert dc.call("whoami") == b"admin\n"


def test_no_secrets_in_logs_reprs_errors(director, caplog):
    secret = "s3cr3t-Pa55"
    import hashlib

    md5 = hashlib.md5(secret.encode()).hexdigest()
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(bareos.exceptions.AuthenticationError) as info:
            console(director, name="admin", password=secret)
        dc = console(
            director, name="pamcon", password="secret", pam_username="alice", pam_password="wonderland"
        )
        dc.call("whoami")
        text = repr(dc) + str(info.value) + repr(info.value)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert logged, "the Rust client's events reach Python logging"
    assert any(r.name.startswith("bareos") for r in caplog.records)
    for forbidden in (secret, md5, "wonderland", hashlib.md5(b"secret").hexdigest()):
        assert forbidden not in logged
        assert forbidden not in text
    assert bareos._bareos.scrub("x") == "x"


def test_log_level_changes_apply_to_the_next_call(director):
    """The library's own records follow the `bareos` logger's level as it changes,
    also on a connection opened before (the level is kept between calls)."""
    logger = logging.getLogger("bareos")
    old_level = logger.level
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger.addHandler(handler)
    try:
        logger.setLevel(logging.WARNING)
        dc = console(director, password=DIR_PASSWORD)
        dc.call("whoami")
        assert [r for r in records if r.name == "bareos.connection"] == []
        logger.setLevel(logging.DEBUG)
        dc.call("whoami")
        debug = [r for r in records if r.name == "bareos.connection"]
        assert debug and all(r.levelno == logging.DEBUG for r in debug)
        logging.disable(logging.CRITICAL)
        logger.setLevel(logging.INFO)
        logging.disable(logging.NOTSET)
        seen = len(records)
        dc.call("whoami")
        assert [r for r in records[seen:] if r.levelno < logging.INFO] == []
        dc.close()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


def test_shared_connection_with_debug_logging_never_deadlocks(test_director):
    """Threads sharing one connection, with the library logging at DEBUG level: a log
    handler must never run on the I/O thread while the connection is locked."""
    td = test_director("--console", "admin:secret")
    logger = logging.getLogger("bareos")
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger.addHandler(handler)
    try:
        dc = bareos.bsock.DirectorConsole(
            address=td.host, port=td.port, name="admin", password="secret", timeout=20
        )
        errors = []

        def caller():
            try:
                for _ in range(30):
                    assert dc.call("whoami") == b"admin\n"
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

        def reader():
            try:
                for _ in range(300):
                    dc.get_cipher()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

        workers = [threading.Thread(target=caller), threading.Thread(target=reader)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(30)
        assert not any(worker.is_alive() for worker in workers), "deadlock"
        assert not errors, errors
        assert any(r.name.startswith("bareos") for r in records)
        dc.close()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
