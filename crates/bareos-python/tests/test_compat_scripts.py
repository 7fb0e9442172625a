"""Small scripts written exactly as python-bareos's README and docstrings show them run
unchanged (in a subprocess, against the test director and, when running, the Bacula
real peer)."""

import os
import subprocess
import sys
import textwrap

import pytest

from conftest import DIR_PASSWORD, FD_DIRECTOR


def run(script, *args, stdin=None):
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_readme_call_help(director):
    out = run(
        """
        import sys
        import bareos.bsock
        directorconsole=bareos.bsock.DirectorConsole(address=sys.argv[1], port=int(sys.argv[2]), name='admin', password='secret')
        print(directorconsole.call('help').decode("utf-8"))
        """,
        director.host,
        str(director.port),
    )
    assert "Print help" in out


def test_readme_default_console_and_json_pools(director):
    out = run(
        """
        import sys
        import bareos.bsock
        directorconsole = bareos.bsock.DirectorConsoleJson(address=sys.argv[1], port=int(sys.argv[2]), password=sys.argv[3])
        pools = directorconsole.call('list pools')
        for pool in pools["pools"]:
          print(pool["name"])
        try:
            directorconsole.call("test it")
        except bareos.exceptions.JsonRpcErrorReceivedException as e:
            print("ERR", e)
        """,
        director.host,
        str(director.port),
        DIR_PASSWORD,
    )
    assert "Full" in out or "Scratch" in out
    assert "ERR failed: test: is an invalid command." in out


def test_bconsole_py_style_script(director):
    script = """
        from bareos.util import argparse
        import bareos.bsock
        import bareos.exceptions
        import logging
        import sys

        def getArguments():
            argparser = argparse.ArgumentParser(description="Console to Bareos Director.")
            argparser.add_argument("-d", "--debug", action="store_true", help="enable debugging output")
            bareos.bsock.DirectorConsole.argparser_add_default_command_line_arguments(argparser)
            args = argparser.parse_args()
            if args.debug:
                print(argparser.format_values())
            return args

        if __name__ == "__main__":
            logging.basicConfig(format="%(levelname)s %(module)s.%(funcName)s: %(message)s", level=logging.INFO)
            logger = logging.getLogger()
            args = getArguments()
            if args.debug:
                logger.setLevel(logging.DEBUG)
            bareos_args = bareos.bsock.DirectorConsole.argparser_get_bareos_parameter(args)
            try:
                director = bareos.bsock.DirectorConsole(**bareos_args)
            except bareos.exceptions.Error as e:
                print(str(e))
                sys.exit(1)
            director.interactive()
        """
    out = run(
        script,
        "--address", director.host, "--port", str(director.port),
        "--name", "admin", "-p", "secret",
        stdin="whoami\nversion\nquit\n",
    )
    assert "admin" in out
    failed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script),
         "--address", director.host, "--port", str(director.port), "--name", "admin", "-p", "bad"],
        capture_output=True, text=True, timeout=60,
    )
    assert failed.returncode == 1


def test_fd_connect_style_script(director):
    out = run(
        """
        from bareos.util import argparse
        import bareos.bsock
        from bareos.bsock.filedaemon import FileDaemon
        argparser = argparse.ArgumentParser(description="Connect to Bareos File Daemon.")
        bareos.bsock.FileDaemon.argparser_add_default_command_line_arguments(argparser)
        argparser.add_argument("command", nargs="*", help="Command to send to the Bareos File Daemon")
        args = argparser.parse_args()
        bareos_args = bareos.bsock.FileDaemon.argparser_get_bareos_parameter(args)
        bsock = FileDaemon(**bareos_args)
        print(bsock.call(args.command).decode("utf-8"))
        """,
        "--address", director.host, "--port", str(director.fd_port),
        "--name", FD_DIRECTOR[0], "-p", FD_DIRECTOR[1], "status",
    )
    assert out.strip()


@pytest.mark.skipif(not os.environ.get("BACULA_DIR_PORT"), reason="Bacula peer not running")
def test_bacula_peer_protocol_1_cleartext():
    out = run(
        """
        import sys
        import bareos.bsock
        d = bareos.bsock.DirectorConsole(address='127.0.0.1', port=int(sys.argv[1]), password='dirsecret',
                                         protocolversion=1, tls_psk_enable=False)
        print(d.call('version').decode())
        a = bareos.bsock.DirectorConsole(address='127.0.0.1', port=int(sys.argv[1]), name='admin',
                                         password='adminsecret', protocolversion=1, tls_psk_enable=False)
        print(a.call('list pools').decode())
        try:
            bareos.bsock.DirectorConsole(address='127.0.0.1', port=int(sys.argv[1]), password='dirsecret',
                                         protocolversion=1, tls_psk_require=True, timeout=5)
        except bareos.exceptions.ConnectionError as e:
            print("REFUSED", type(e).__name__)
        """,
        os.environ["BACULA_DIR_PORT"],
    )
    assert "bacula-dir Version: 9.6" in out
    assert "Scratch" in out
    assert "REFUSED" in out


@pytest.mark.skipif(not os.environ.get("BACULA_FD_PORT"), reason="Bacula peer not running")
def test_bacula_peer_file_daemon():
    out = run(
        """
        import sys
        import bareos.bsock
        fd = bareos.bsock.FileDaemon(address='127.0.0.1', port=int(sys.argv[1]), name='bacula-dir',
                                     password='fdsecret', tls_psk_enable=False)
        print(fd.call('status').decode())
        """,
        os.environ["BACULA_FD_PORT"],
    )
    assert "Daemon started" in out
