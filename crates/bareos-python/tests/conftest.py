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


@pytest.fixture(scope="module")
def director():
    """A test director with a few consoles, shared by a module's tests."""
    process = TestDirectorProcess(
        "--console",
        "admin:secret",
        "--console",
        "notls:secret:none",
        "--console",
        "tlsonly:secret:required",
        "--console",
        "pamcon:secret:required:pam",
        "--pam-user",
        "alice:wonderland",
    )
    yield process
    process.stop()
