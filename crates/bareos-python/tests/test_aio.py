"""bareos.aio against the test director: connect, call, stream, prompts, cancellation,
exceptions, many connections in one event loop."""

import asyncio

import pytest

import bareos.aio
import bareos.exceptions

import conftest
from conftest import DIR_PASSWORD, FD_DIRECTOR


td = conftest.module_director(
    *conftest.CONSOLES,
    "--message", "01-Dec 10:00 bareos-dir JobId 7: Backup OK\n",
    "--fault", "delay=2@wait",
    "--fault", "garbage@break",
)


def run(coroutine):
    return asyncio.run(coroutine)


def test_connect_call_and_session_set_up(td):
    async def main():
        async with conftest.login(td, bareos.aio.DirectorConsole) as d:
            assert d.get_cipher()[1] == "TLSv1.3"
            # autodisplay off was sent: no message notice in the first result.
            assert await d.call("whoami") == b"admin\n"
            assert await d.call(["list", "pools"])
        d2 = await bareos.aio.DirectorConsole(address=td.host, port=td.port, password=DIR_PASSWORD)
        assert await d2.call("whoami") == b"root\n"
        await d2.close()
        with pytest.raises(bareos.exceptions.ConnectionLostError):
            await d2.call("whoami")

    run(main())


def test_json_results_errors_and_prompts(td):
    async def main():
        async with conftest.login(td, bareos.aio.DirectorConsoleJson) as d:
            assert await d.call("whoami") == {"whoami": "admin"}
            with pytest.raises(bareos.exceptions.JsonRpcErrorReceivedException) as info:
                await d.call("thisisnotacommand")
            assert str(info.value) == "failed: thisisnotacommand: is an invalid command.\n"
            with pytest.raises(bareos.exceptions.JsonRpcInvalidJsonReceivedException):
                await d.call("restore")
            # The prompt was cancelled: the connection goes on.
            assert "pools" in await d.call("list pools")

    run(main())


def test_text_prompt_answered(td):
    async def main():
        async with conftest.login(td, bareos.aio.DirectorConsole) as d:
            asked = await d.call("run job=backup-bareos-fd")
            assert asked.endswith(b"OK to run? (yes/mod/no): ")
            assert d.is_at_prompt()
            assert (await d.call("no")).startswith(b"Job not run.")
            await d.call("run job=backup-bareos-fd")
            await d.cancel_prompt()
            assert not d.is_at_prompt()
            assert await d.call("whoami") == b"admin\n"

    run(main())


def test_stream_in_chunks(td):
    async def main():
        async with conftest.login(td, bareos.aio.DirectorConsole) as d:
            total = 0
            chunks = 0
            async for chunk in d.stream(".testkit output size=3000000 frame=65536"):
                total += len(chunk)
                chunks += 1
            assert total == 3000000 and chunks > 10
            assert await d.call("whoami") == b"admin\n"

    run(main())


def test_cancelled_call_leaves_the_connection_usable(td):
    async def main():
        async with conftest.login(td, bareos.aio.DirectorConsole) as d:
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(0.3):
                    await d.call("wait")
            # The cancelled command ran to its end in the background; its answer is not
            # mistaken for the next command's.
            assert await d.call("whoami") == b"admin\n"
            await conftest.cancel_a_running_call(d)

    if not hasattr(asyncio, "timeout"):
        pytest.skip("asyncio.timeout needs Python 3.11")
    run(main())


def test_exceptions_and_reconnect(td):
    async def main():
        with pytest.raises(bareos.exceptions.AuthenticationError) as info:
            await bareos.aio.DirectorConsole(
                address=td.host, port=td.port, name="notls", password="wrong", tls_psk_enable=False
            )
        assert str(info.value).startswith("failed (in response)")
        with pytest.raises(bareos.exceptions.ConnectionError):
            await bareos.aio.DirectorConsole(address=td.host, port=1, password="x")
        d = await conftest.login(td, bareos.aio.DirectorConsole)
        with pytest.raises(bareos.exceptions.Error):
            await d.call("break")
        # One reconnect, without sending "break" again.
        assert await d.call("whoami") == b"admin\n"
        await d.close()

    run(main())


def test_file_daemon(td):
    async def main():
        async with bareos.aio.FileDaemon(
            address=td.host, port=td.fd_port, name=FD_DIRECTOR[0], password=FD_DIRECTOR[1]
        ) as fd:
            assert await fd.call("status")
            assert fd.get_cipher() is not None

    run(main())


def test_many_connections_in_one_event_loop(td):
    """200 connections, 5 calls each, concurrently with asyncio.gather: no threads."""

    async def main():
        import threading

        before = threading.active_count()
        await conftest.gather_logins(td, 200, 5)
        # The connections shared the native runtime's few threads.
        assert threading.active_count() <= before + 1

    run(main())


SCRIPT = """
import asyncio, sys
import bareos.aio

async def main(host, port):
    d = await bareos.aio.DirectorConsole(address=host, port=int(port), name="admin", password="secret")
    assert await d.call("whoami") == b"admin\\n"
    try:
        # Left running in the background at exit: a cancelled long command.
        await asyncio.wait_for(d.call("wait"), 0.1)
    except asyncio.TimeoutError:
        pass
    if sys.argv[3] == "close":
        await d.close()

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def test_interpreter_exit_is_clean(td, tmp_path):
    """Exiting right after the last await (with or without close, with a cancelled
    command still running) never crashes the interpreter."""
    import subprocess
    import sys

    script = tmp_path / "exit.py"
    script.write_text(SCRIPT)
    for i in range(20):
        mode = "close" if i % 2 else "leave"
        done = subprocess.run(
            [sys.executable, str(script), td.host, str(td.port), mode],
            capture_output=True, text=True, timeout=60,
        )
        assert done.returncode == 0, (mode, done.returncode, done.stderr)
