"""Certificate TLS keywords (``tls_ca_file``, ``tls_cert_file``, ...) against the test
director serving the test certificates it generates (``--tls-test-certs DIR``)."""

import asyncio

import pytest

import bareos.aio
import bareos.bsock
import bareos.exceptions
from conftest import DIR_PASSWORD, FD_DIRECTOR


@pytest.fixture
def certs(tmp_path):
    return tmp_path / "tls"


def _console(director, **kwargs):
    return bareos.bsock.DirectorConsole(
        address="127.0.0.1",
        port=director.port,
        name="admin",
        password="secret",
        timeout=10,
        **kwargs
    )


def test_verified_director_and_client_certificate(test_director, certs):
    director = test_director(
        "--console",
        "admin:secret",
        "--tls-test-certs",
        str(certs),
        "--tls-verify-peer",
        str(certs / "ca.pem"),
        "--tls-allowed-cn",
        "console.example.com",
    )
    console = _console(
        director,
        tls_ca_file=certs / "ca.pem",
        tls_cert_file=certs / "client.pem",
        tls_key_file=certs / "client-key.pem",
    )
    assert console.call("whoami").decode().strip() == "admin"
    cipher = console.get_cipher()
    assert cipher is not None and "PSK" not in cipher[0]
    console.close()

    json_console = bareos.bsock.DirectorConsoleJson(
        address="127.0.0.1",
        port=director.port,
        name="admin",
        password="secret",
        tls_ca_file=str(certs / "ca.pem"),
        tls_cert_file=str(certs / "client.pem"),
        tls_key_file=str(certs / "client-key.pem"),
        tls_allowed_cn=["localhost"],
    )
    assert "pools" in json_console.call("list pools")
    json_console.close()

    # Without a client certificate the director refuses the console.
    with pytest.raises(bareos.exceptions.TlsCertificateError) as refused:
        _console(director, tls_ca_file=certs / "ca.pem")
    assert "client certificate" in str(refused.value)
    assert "secret" not in str(refused.value)


def test_untrusted_ca_and_wrong_name(test_director, certs):
    director = test_director("--console", "admin:secret", "--tls-test-certs", str(certs))
    with pytest.raises(bareos.exceptions.TlsCertificateError) as untrusted:
        _console(director, tls_ca_file=certs / "other-ca.pem")
    assert "cannot be verified" in str(untrusted.value)
    # An AuthenticationError for code that catches python-bareos's exceptions.
    assert isinstance(untrusted.value, bareos.exceptions.AuthenticationError)

    with pytest.raises(bareos.exceptions.TlsCertificateError) as wrong:
        _console(director, tls_ca_file=certs / "ca.pem", tls_allowed_cn="bareos-dir.example.com")
    assert "not an allowed CN" in str(wrong.value)

    # No certificate keyword: TLS-PSK as before.
    console = _console(director, tls_psk_require=True)
    assert console.call("whoami").decode().strip() == "admin"
    assert console.get_cipher() is not None
    console.close()


def test_aio_and_file_daemon(test_director, certs):
    director = test_director(
        "--console",
        "admin:secret",
        "--tls-test-certs",
        str(certs),
        "--fd-director",
        "{0}:{1}".format(*FD_DIRECTOR),
    )

    async def run():
        async with bareos.aio.DirectorConsole(
            address="127.0.0.1",
            port=director.port,
            password=DIR_PASSWORD,
            tls_ca_file=certs / "ca.pem",
        ) as console:
            return (await console.call("whoami")).decode().strip()

    assert asyncio.run(run()) == "root"

    fd = bareos.bsock.FileDaemon(
        address="127.0.0.1",
        port=director.fd_port,
        name=FD_DIRECTOR[0],
        password=FD_DIRECTOR[1],
        tls_ca_file=certs / "ca.pem",
    )
    assert b" Version: " in fd.call("status")
    assert "PSK" not in fd.get_cipher()[0]
    fd.close()

    with pytest.raises(bareos.exceptions.TlsCertificateError):
        bareos.bsock.FileDaemon(
            address="localhost",
            port=director.fd_port,
            name=FD_DIRECTOR[0],
            password=FD_DIRECTOR[1],
            tls_ca_file=certs / "other-ca.pem",
        )
