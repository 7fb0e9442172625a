#!/usr/bin/env python3
"""The client side of bench/python-concurrency: one measurement per process, one JSON
line out. Runs with our package (all modes) or python-bareos (threads, idle-threads).

  concurrency_client.py ADDR PORT aio CONNECTIONS CALLS
  concurrency_client.py ADDR PORT threads CONNECTIONS CALLS
  concurrency_client.py ADDR PORT idle-aio CONNECTIONS
  concurrency_client.py ADDR PORT idle-threads CONNECTIONS
"""
import json
import resource
import sys
import threading
import time

import bareos.bsock

NAME, PASSWORD, COMMAND = "bench", "secret", "version"


def rss_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def blocking(addr, port):
    return bareos.bsock.DirectorConsole(
        address=addr, port=port, name=NAME, password=PASSWORD, tls_psk_enable=False
    )


def threads(addr, port, connections, calls):
    errors = []
    barrier = threading.Barrier(connections + 1)

    def worker():
        try:
            director = blocking(addr, port)
            barrier.wait()
            for _ in range(calls):
                director.call(COMMAND)
        except Exception as error:  # noqa: BLE001 - counted and reported
            errors.append(repr(error))
            try:
                barrier.abort()
            except threading.BrokenBarrierError:
                pass

    workers = [threading.Thread(target=worker) for _ in range(connections)]
    for w in workers:
        w.start()
    barrier.wait()
    started = time.monotonic()
    for w in workers:
        w.join()
    return time.monotonic() - started, errors


def aio(addr, port, connections, calls):
    import asyncio

    import bareos.aio

    async def main():
        directors = await asyncio.gather(*(
            bareos.aio.DirectorConsole(
                address=addr, port=port, name=NAME, password=PASSWORD, tls_psk_enable=False
            )
            for _ in range(connections)
        ))
        started = time.monotonic()

        async def worker(director):
            for _ in range(calls):
                await director.call(COMMAND)

        await asyncio.gather(*(worker(d) for d in directors))
        elapsed = time.monotonic() - started
        await asyncio.gather(*(d.close() for d in directors))
        return elapsed

    return asyncio.run(main()), []


def idle(addr, port, connections, kind):
    before = rss_kib()
    if kind == "aio":
        import asyncio

        import bareos.aio

        async def main():
            first = await bareos.aio.DirectorConsole(
                address=addr, port=port, name=NAME, password=PASSWORD, tls_psk_enable=False
            )
            base = rss_kib()
            held = [await bareos.aio.DirectorConsole(
                address=addr, port=port, name=NAME, password=PASSWORD, tls_psk_enable=False
            ) for _ in range(connections)]
            return base, rss_kib(), held + [first]

        base, after, _held = asyncio.run(main())
    else:
        first = blocking(addr, port)
        base = rss_kib()
        held = [blocking(addr, port) for _ in range(connections)]
        after = rss_kib()
        held.append(first)
    return {"rss_before_kib": before, "per_connection_kib": (after - base) / connections}


def main():
    addr, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    connections = int(sys.argv[4])
    if mode.startswith("idle-"):
        print(json.dumps(idle(addr, port, connections, mode[5:])))
        return
    calls = int(sys.argv[5])
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    elapsed, errors = (aio if mode == "aio" else threads)(addr, port, connections, calls)
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    total = connections * calls
    print(json.dumps({
        "calls": total,
        "seconds": elapsed,
        "calls_per_second": total / elapsed if elapsed else None,
        "client_cpu_us_per_call": cpu / total * 1e6,
        "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "errors": errors[:3],
    }))


if __name__ == "__main__":
    main()
