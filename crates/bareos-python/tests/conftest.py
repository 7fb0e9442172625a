"""Fixtures: the Rust test director (``bareos-test-director``) on loopback.

The binary is taken from ``BAREOS_TEST_DIRECTOR`` or ``target/debug/bareos-test-director``
of the repository (built by ``scripts/test-python``). It prints one JSON line with the
director and file daemon addresses and serves until its standard input is closed.
"""

import json
import os
import pathlib
import subprocess
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]

DIR_PASSWORD = "dir_password"
FD_DIRECTOR = ("bareos-dir", "secret")
#: Test director arguments for the consoles most tests log in as, both with the password
#: ``secret``: ``admin`` (TLS-PSK) and ``notls`` (cleartext only).
CONSOLES = ("--console", "admin:secret", "--console", "notls:secret:none")


def _binary():
    path = os.environ.get("BAREOS_TEST_DIRECTOR")
    if path:
        return pathlib.Path(path)
    return REPO / "target" / "debug" / "bareos-test-director"


class TestDirectorProcess:
    """A running ``bareos-test-director``."""

    def __init__(self, *args):
        binary = _binary()
        if not binary.exists():
            pytest.fail(
                "test director not found at {0}: build it with "
                "`cargo build -p bareos-testkit --bin bareos-test-director` "
                "or set BAREOS_TEST_DIRECTOR".format(binary)
            )
        self.process = subprocess.Popen(
            [str(binary), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=sys.stderr,
            text=True,
        )
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(timeout=5)
            pytest.fail("bareos-test-director did not start: {0}".format(args))
        addresses = json.loads(line)
        host, port = addresses["director"].rsplit(":", 1)
        self.host = host
        self.port = int(port)
        self.fd_port = int(addresses["fd"].rsplit(":", 1)[1])

    def stop(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def module_director(*args):
    """A module-scoped fixture: a test director started with ``args``, stopped when the
    module's tests are done. Assign it to the fixture's name: ``td = module_director(...)``."""

    @pytest.fixture(scope="module")
    def started():
        process = TestDirectorProcess(*args)
        yield process
        process.stop()

    return started


def login(td, cls, name="admin", password="secret", **kwargs):
    """A console of the test director ``td`` (any class of ``bareos.bsock`` or
    ``bareos.aio`` that takes ``address``, ``port``, ``name`` and ``password``)."""
    return cls(address=td.host, port=td.port, name=name, password=password, **kwargs)


async def gather_logins(td, connections, calls):
    """``connections`` ``bareos.aio`` consoles at once (``asyncio.gather``), each calling
    ``whoami`` ``calls`` times."""
    import asyncio

    import bareos.aio

    async def one(i):
        async with login(td, bareos.aio.DirectorConsole, "notls", tls_psk_enable=False) as d:
            for _ in range(calls):
                assert await d.call("whoami") == b"notls\n"
        return i

    done = await asyncio.gather(*(one(i) for i in range(connections)))
    assert sorted(done) == list(range(connections))


async def cancel_a_running_call(d):
    """Cancels a ``wait`` of the ``bareos.aio`` console ``d`` (user ``admin``) while it
    runs; the next call still gets its own answer."""
    import asyncio

    task = asyncio.ensure_future(d.call("wait"))
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await d.call("whoami") == b"admin\n"


@pytest.fixture
def test_director():
    """Factory: ``test_director("--console", "admin:secret")`` starts one."""
    started = []

    def start(*args):
        director = TestDirectorProcess(*args)
        started.append(director)
        return director

    yield start
    for director in started:
        director.stop()


#: A test director with a few consoles, shared by a module's tests.
director = module_director(
    *CONSOLES,
    "--console", "tlsonly:secret:required",
    "--console", "pamcon:secret:required:pam",
    "--pam-user", "alice:wonderland",
)
