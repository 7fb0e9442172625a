"""Watch the running jobs of a director with asyncio, typed.

Usage: python watch_jobs.py --address HOST [--port 9101] [--name CONSOLE] --password PW
                            [--interval 2] [--count N]

The connection options are those of ``bconsole.py`` (``--help`` lists them).

Prints the running jobs (id, name, client, level, files, bytes) every --interval seconds,
--count times (forever without it).
"""

import argparse
import asyncio
import sys
from typing import List, Optional

import bareos.aio
import bareos.bsock
import bareos.exceptions
import bareos.models


def table(jobs: List[bareos.models.Job]) -> str:
    lines = ["{0:>6}  {1:<24} {2:<16} {3:<12} {4:>8} {5:>14}".format(
        "jobid", "name", "client", "level", "files", "bytes")]
    for job in jobs:
        level = job.level.meaning if isinstance(job.level, bareos.models.JobLevel) else job.level
        lines.append("{0:>6}  {1:<24} {2:<16} {3:<12} {4:>8} {5:>14}".format(
            job.jobid or 0, job.name or "", job.client or "", level or "",
            job.files or 0, job.bytes or 0))
    return "\n".join(lines)


async def watch(args: argparse.Namespace) -> int:
    connection = bareos.bsock.DirectorConsoleJson.argparser_get_bareos_parameter(args)
    async with bareos.aio.DirectorConsoleJson(**connection) as director:
        rounds: Optional[int] = args.count
        while rounds is None or rounds > 0:
            jobs = await director.jobs(jobstatus="R")
            print(table(jobs), flush=True)
            if rounds is not None:
                rounds -= 1
                if rounds == 0:
                    break
            await asyncio.sleep(args.interval)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    bareos.bsock.DirectorConsoleJson.argparser_add_default_command_line_arguments(parser)
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--count", type=int)
    try:
        return asyncio.run(watch(parser.parse_args()))
    except bareos.exceptions.Error as error:
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
