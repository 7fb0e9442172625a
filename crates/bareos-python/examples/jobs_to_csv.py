"""Export the director's jobs to CSV with typed fields.

Usage: python jobs_to_csv.py --address HOST [--port 9101] [--name CONSOLE] --password PW
                             [--client NAME] > jobs.csv

The connection options are those of ``bconsole.py`` (``--help`` lists them).

Columns: jobid, name, client, type, level, status, started (ISO 8601 with the time
zone), files, bytes, ok (whether the job ended successfully).
"""

import argparse
import csv
import sys

import bareos.bsock
import bareos.exceptions
import bareos.models

COLUMNS = ["jobid", "name", "client", "type", "level", "status", "started", "files", "bytes", "ok"]


def letter(value: object) -> str:
    return value.letter if isinstance(value, bareos.models._Letter) else str(value or "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    bareos.bsock.DirectorConsoleJson.argparser_add_default_command_line_arguments(parser)
    parser.add_argument("--client")
    args = parser.parse_args()
    connection = bareos.bsock.DirectorConsoleJson.argparser_get_bareos_parameter(args)
    try:
        director = bareos.bsock.DirectorConsoleJson(**connection)
        jobs = director.jobs(client=args.client)
    except bareos.exceptions.Error as error:
        print(error, file=sys.stderr)
        return 1
    out = csv.writer(sys.stdout)
    out.writerow(COLUMNS)
    for job in jobs:
        out.writerow([
            job.jobid, job.name, job.client, letter(job.type), letter(job.level),
            letter(job.status), job.started.isoformat() if job.started else "",
            job.files, job.bytes,
            isinstance(job.status, bareos.models.JobStatus) and job.status.is_ok,
        ])
    return 0


if __name__ == "__main__":
    sys.exit(main())
