"""bareos.models on the JSON a real Bareos 26 director sent (recorded catalog lists and
status, served again by the test director), and the convenience methods."""

import asyncio
import datetime

import pytest

import bareos.aio
import bareos.bsock
import bareos.models
from bareos.models import JobLevel, JobStatus, JobType

import conftest

RECORDINGS = conftest.REPO / "crates" / "bareos-testkit" / "recordings"


#: A director answering with the recorded API 2 catalog lists and status.
recorded = conftest.module_director(
    "--console", "admin:secret",
    "--transcript", str(RECORDINGS / "61-pyb-master-api2-catalog-lists.jsonl"),
)


def console(td):
    return conftest.login(td, bareos.bsock.DirectorConsoleJson)


def test_jobs_are_typed(recorded):
    d = console(recorded)
    jobs = bareos.models.jobs(d.call("llist jobs"))
    assert jobs, "the recording has jobs"
    job = jobs[0]
    assert isinstance(job.jobid, int) and job.jobid >= 1
    assert isinstance(job.bytes, int) and isinstance(job.files, int)
    assert isinstance(job.status, JobStatus) and job.status.meaning
    assert isinstance(job.level, JobLevel)
    assert isinstance(job.type, JobType) and job.type is JobType.BACKUP
    assert isinstance(job.started, datetime.datetime) and job.started.tzinfo is not None
    # What the model does not name is kept.
    assert isinstance(job.extra, dict)
    assert all(isinstance(key, str) for key in job.extra)
    # The short listing lacks fields: they are None, not an error.
    short = bareos.models.jobs(d.call("list jobs"))
    assert [j.jobid for j in short] == [j.jobid for j in jobs]


def test_catalog_lists(recorded):
    d = console(recorded)
    clients = bareos.models.clients(d.call("list clients"))
    assert clients and isinstance(clients[0].clientid, int) and clients[0].name
    pools = bareos.models.pools(d.call("list pools"))
    assert {p.name for p in pools} >= {"Full", "Incremental"}
    assert all(isinstance(p.max_volumes, int) for p in pools)
    volumes = bareos.models.volumes(d.call("llist volumes"))
    assert volumes and isinstance(volumes[0].bytes, int) and volumes[0].name
    filesets = bareos.models.filesets(d.call("list filesets"))
    assert filesets and isinstance(filesets[0].filesetid, int)
    storages = bareos.models.storages(d.call("list storages"))
    assert storages and isinstance(storages[0].storageid, int)
    log = bareos.models.job_log(d.call("list joblog jobid=1"))
    assert log and log[0].text and isinstance(log[0].time, datetime.datetime)
    totals = bareos.models.job_totals(d.call("list jobtotals"))
    assert totals.total is not None and isinstance(totals.total.bytes, int)
    files = bareos.models.files(d.call("list files jobid=1"))
    assert files and files[0].filename


def test_status_director(test_director):
    td = test_director(
        "--console",
        "admin:secret",
        "--transcript",
        str(RECORDINGS / "63-pyb-master-api2-status.jsonl"),
    )
    status = bareos.models.status_director(console(td).call("status director"))
    assert status.director and status.version
    for job in status.terminated:
        assert isinstance(job.jobid, int)


def test_lenient_and_errors():
    assert bareos.models.jobs({"jobs": {}}) == []
    [job] = bareos.models.jobs({"jobs": [{"jobid": "7", "jobstatus": "?", "new": 1}]})
    assert job.jobid == 7 and job.status == "?" and job.extra == {"new": 1}
    assert job.bytes is None and job.started is None
    assert JobStatus("T").is_ok and JobStatus("R").is_running and JobStatus("f").is_failed
    assert JobStatus.OK.letter == "T" and JobStatus.OK.meaning == "Completed successfully"
    with pytest.raises(ValueError):
        bareos.models.jobs({"jobs": [{"jobid": "not a number"}]})


def test_convenience_methods(test_director):
    td = test_director("--console", "admin:secret")
    d = console(td)
    d.call("run job=backup-bareos-fd yes")
    jobs = d.jobs(client="bareos-fd")
    assert jobs and all(j.client == "bareos-fd" for j in jobs)

    async def main():
        async with conftest.login(td, bareos.aio.DirectorConsoleJson) as a:
            return await a.jobs(client="bareos-fd")

    assert [j.jobid for j in asyncio.run(main())] == [j.jobid for j in jobs]
    assert bareos.models.list_jobs_command(client="a b", last=True) == 'list jobs client="a b" last'


EXAMPLES = conftest.REPO / "crates" / "bareos-python" / "examples"


def test_examples_run(test_director):
    import csv
    import io
    import subprocess
    import sys

    td = test_director("--console", "admin:secret")
    base = ["--address", td.host, "--port", str(td.port), "--name", "admin", "--password", "secret"]
    export = subprocess.run(
        [sys.executable, str(EXAMPLES / "jobs_to_csv.py"), *base, "--client", "bareos-fd"],
        capture_output=True, text=True, timeout=60,
    )
    assert export.returncode == 0, export.stderr
    rows = list(csv.DictReader(io.StringIO(export.stdout)))
    assert rows and all(row["client"] == "bareos-fd" for row in rows)
    assert all(row["jobid"].isdigit() for row in rows)
    console(td).call("run job=backup-bareos-fd yes")
    watch = subprocess.run(
        [sys.executable, str(EXAMPLES / "watch_jobs.py"), *base, "--count", "2", "--interval", "0.2"],
        capture_output=True, text=True, timeout=60,
    )
    assert watch.returncode == 0, watch.stderr
    assert watch.stdout.count("jobid") == 2
