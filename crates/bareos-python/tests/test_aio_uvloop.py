"""bareos.aio on uvloop's event loop: calls, typed results, streaming,
``asyncio.gather`` over many connections, cancellation and timeouts."""

import asyncio

import pytest
import uvloop

import bareos.aio
import bareos.exceptions
import bareos.models

import conftest
from conftest import FD_DIRECTOR


td = conftest.module_director(*conftest.CONSOLES, "--fault", "delay=2@wait")


def run(main):
    """Runs ``main()`` on a uvloop event loop (and checks that it is one)."""

    async def checked():
        assert isinstance(asyncio.get_running_loop(), uvloop.Loop)
        return await main()

    return uvloop.run(checked())


def test_calls_prompts_and_typed_results(td):
    async def main():
        async with conftest.login(td, bareos.aio.DirectorConsoleJson) as d:
            assert d.get_cipher()[1] == "TLSv1.3"
            assert await d.call("whoami") == {"whoami": "admin"}
            jobs = await d.jobs()
            assert jobs and all(isinstance(job.jobid, int) for job in jobs)
            with pytest.raises(bareos.exceptions.JsonRpcErrorReceivedException):
                await d.call("thisisnotacommand")
        async with conftest.login(td, bareos.aio.DirectorConsole) as d:
            assert (await d.call("run job=backup-bareos-fd")).endswith(b"(yes/mod/no): ")
            assert (await d.call("no")).startswith(b"Job not run.")
            total = 0
            async for chunk in d.stream(".testkit output size=500000 frame=65536"):
                total += len(chunk)
            assert total == 500000
        async with bareos.aio.FileDaemon(
            address=td.host, port=td.fd_port, name=FD_DIRECTOR[0], password=FD_DIRECTOR[1]
        ) as fd:
            assert await fd.call("status")

    run(main)


def test_gather_over_many_connections(td):
    run(lambda: conftest.gather_logins(td, 50, 3))


def test_cancellation_and_timeouts(td):
    async def main():
        async with conftest.login(td, bareos.aio.DirectorConsole) as d:
            # The cancelled command runs to its end in the background; its answer is
            # not taken for the next command's.
            await conftest.cancel_a_running_call(d)
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(d.call("wait"), 0.3)
            assert await d.call("whoami") == b"admin\n"
            # Cancelling one of several gathered calls on different connections
            # leaves the others alone.
            async with conftest.login(td, bareos.aio.DirectorConsole) as other:
                slow = asyncio.ensure_future(d.call("wait"))
                quick = asyncio.ensure_future(other.call("whoami"))
                await asyncio.sleep(0.2)
                slow.cancel()
                results = await asyncio.gather(slow, quick, return_exceptions=True)
                assert isinstance(results[0], asyncio.CancelledError)
                assert results[1] == b"admin\n"
            assert await d.call("whoami") == b"admin\n"
        # close() cuts off a call that is still running.
        d = await conftest.login(td, bareos.aio.DirectorConsole)
        running = asyncio.ensure_future(d.call("wait"))
        await asyncio.sleep(0.2)
        await d.close()
        with pytest.raises(bareos.exceptions.ConnectionLostError):
            await running
        with pytest.raises(bareos.exceptions.ConnectionLostError):
            await d.call("whoami")

    run(main)
