#!/usr/bin/env python3
"""The Python side of bench/compare: one measurement per process, one JSON line out.

Runs unchanged with python-bareos and with our `bareos` package (same interface), in
whichever virtual environment starts it:

  client.py ADDR PORT PASSWORD login N tls|clear
  client.py ADDR PORT PASSWORD small N [tls|clear]
  client.py ADDR PORT PASSWORD result SIZE text|json buffered|stream FRAME
  client.py ADDR PORT PASSWORD concurrent CONNECTIONS COMMANDS
"""
import json
import sys
import threading
import time

import bareos.bsock
import bareos.exceptions

COMMAND = "version"


def connect(addr, port, password, tls=False, json_mode=False):
    cls = bareos.bsock.DirectorConsoleJson if json_mode else bareos.bsock.DirectorConsole
    return cls(
        address=addr,
        port=port,
        password=password,
        tls_psk_enable=tls,
        tls_psk_require=tls,
        timeout=300,
    )


def main():
    addr, port, password, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    args = sys.argv[5:]
    if mode == "login":
        n, tls = int(args[0]), args[1] == "tls"
        latencies = []
        for _ in range(n):
            started = time.perf_counter()
            director = connect(addr, port, password, tls)
            assert director.call(COMMAND)
            director.close()
            latencies.append((time.perf_counter() - started) * 1000.0)
        print(json.dumps({"latencies_ms": latencies}))
    elif mode == "small":
        n = int(args[0])
        director = connect(addr, port, password, len(args) > 1 and args[1] == "tls")
        started = time.perf_counter()
        for _ in range(n):
            director.call(COMMAND)
        seconds = time.perf_counter() - started
        director.close()
        print(json.dumps({"commands": n, "seconds": seconds}))
    elif mode == "result":
        size, json_mode, streaming, frame = int(args[0]), args[1] == "json", args[2] == "stream", int(args[3])
        director = connect(addr, port, password, json_mode=json_mode)
        if json_mode:
            command = ".testkit output size={0}".format(size)
        else:
            command = ".testkit output size={0} frame={1}".format(size, frame)
        started = time.perf_counter()
        if streaming:
            # Low-level reading, message by message, as both packages offer it.
            total = 0
            director.send(command.encode())
            while True:
                try:
                    total += len(director.recv())
                except bareos.exceptions.SignalReceivedException as signal:
                    if director.is_end_of_message(signal.signal):
                        break
        elif json_mode:
            result = director.call(command)
            assert len(result["filenames"]) > 0
            total = size
        else:
            total = len(director.call(command))
        seconds = time.perf_counter() - started
        director.close()
        print(json.dumps({"bytes": total, "seconds": seconds}))
    elif mode == "concurrent":
        connections, commands = int(args[0]), int(args[1])
        errors = []

        def worker():
            try:
                director = connect(addr, port, password)
                for _ in range(commands):
                    director.call(COMMAND)
                director.close()
            except Exception as error:  # reported below, counted as a failure
                errors.append(repr(error))

        started = time.perf_counter()
        threads = [threading.Thread(target=worker) for _ in range(connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
        if errors:
            print(errors[0], file=sys.stderr)
            sys.exit(1)
        print(json.dumps({"commands": connections * commands, "seconds": seconds}))
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
