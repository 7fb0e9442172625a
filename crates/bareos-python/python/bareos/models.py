"""Typed results of the director's JSON (API mode 2) commands.

The director sends catalog numbers as strings (``"jobid": "1"``), empty times as ``""``
and empty lists as ``{}``. The functions here read a ``call`` result of
:py:class:`bareos.bsock.DirectorConsoleJson` (or :py:mod:`bareos.aio`) with the Rust
models of the ``bareos`` crate and return dataclasses: integers as ``int``, sizes in
bytes, times as timezone-aware ``datetime`` (the director's local time, read in this
machine's time zone), job status, level and type as enums with the director's letters
and their meanings. Fields the models do not name are kept in ``.extra``; missing ones
are ``None``::

    import bareos.bsock, bareos.models
    d = bareos.bsock.DirectorConsoleJson(address="localhost", password="secret")
    for job in bareos.models.jobs(d.call("list jobs")):
        print(job.jobid + 1, job.status.meaning, job.bytes)
    # or: d.jobs(client="bareos-fd", last=True)
"""

import datetime as _datetime
import enum
import json
from dataclasses import dataclass, field, fields
from typing import Any, Dict, List, Optional, Union

from bareos import _bareos

__all__ = [
    "JobStatus",
    "JobLevel",
    "JobType",
    "Job",
    "JobLogEntry",
    "JobTotal",
    "JobTotals",
    "FileEntry",
    "Client",
    "Pool",
    "Volume",
    "FileSet",
    "Storage",
    "Schedule",
    "StatusJob",
    "DirectorStatus",
    "jobs",
    "job_log",
    "job_totals",
    "files",
    "clients",
    "pools",
    "volumes",
    "filesets",
    "storages",
    "schedules",
    "status_director",
]


class _Letter(enum.Enum):
    """An enum whose values are the director's one-letter codes, with their meaning."""

    #: What the letter means, in the director's words.
    meaning: str

    def __new__(cls, letter: str, meaning: str) -> "_Letter":
        member = object.__new__(cls)
        member._value_ = letter
        member.meaning = meaning
        return member

    @property
    def letter(self) -> str:
        """The director's letter."""
        return str(self.value)

    @classmethod
    def read(cls, value: Optional[str]) -> Union["_Letter", str, None]:
        """The member for a letter; an unknown letter is returned as the string."""
        if value is None or value == "":
            return None
        try:
            # A lookup by value; mypy takes the call for the two-argument __new__.
            return cls(value)  # type: ignore[call-arg]
        except ValueError:
            return value


class JobStatus(_Letter):
    """Job status letters (``core/src/include/job_status.h``)."""

    CREATED = ("C", "Created, not yet running")
    RUNNING = ("R", "Running")
    BLOCKED = ("B", "Blocked")
    OK = ("T", "Completed successfully")
    WARNINGS = ("W", "Terminated with warnings")
    ERROR = ("E", "Terminated with errors")
    NON_FATAL_ERROR = ("e", "Non-fatal error")
    FATAL_ERROR = ("f", "Fatal error")
    DIFFERENCES = ("D", "Verify found differences")
    CANCELED = ("A", "Canceled by user")
    INCOMPLETE = ("I", "Incomplete job")
    WAIT_FD = ("F", "Waiting on File daemon")
    WAIT_SD = ("S", "Waiting on the Storage daemon")
    WAIT_MEDIA = ("m", "Waiting for new media")
    WAIT_MOUNT = ("M", "Waiting for media mount")
    WAIT_STORAGE = ("s", "Waiting for storage resource")
    WAIT_JOB = ("j", "Waiting for job resource")
    WAIT_CLIENT = ("c", "Waiting for client resource")
    WAIT_MAX_JOBS = ("d", "Waiting on maximum jobs")
    WAIT_START = ("t", "Waiting on start time")
    WAIT_PRIORITY = ("p", "Waiting on higher priority jobs")
    DESPOOLING_ATTRIBUTES = ("a", "SD despooling attributes")
    BATCH_INSERT = ("i", "Doing batch insert file records")
    COMMITTING = ("L", "Committing data (last despool)")
    DESPOOLING = ("l", "Doing data despooling")
    QUEUED = ("q", "Queued waiting for device")

    @property
    def is_ok(self) -> bool:
        """Ended successfully (``T``)."""
        return self is JobStatus.OK

    @property
    def is_running(self) -> bool:
        """Not ended yet (running or waiting)."""
        return self.letter in "CRBFSmMsjcdtpailq"

    @property
    def is_failed(self) -> bool:
        """Ended in error (``E``, ``e``, ``f``)."""
        return self.letter in "Eef"


class JobLevel(_Letter):
    """Job level letters."""

    FULL = ("F", "Full")
    INCREMENTAL = ("I", "Incremental")
    DIFFERENTIAL = ("D", "Differential")
    SINCE = ("S", "Since")
    VIRTUAL_FULL = ("f", "VirtualFull")
    BASE = ("B", "Base")
    VERIFY_CATALOG = ("C", "Verify from Catalog")
    VERIFY_INIT = ("V", "Verify Init Catalog")
    VERIFY_VOLUME_TO_CATALOG = ("O", "Verify Volume to Catalog")
    VERIFY_DISK_TO_CATALOG = ("d", "Verify Disk to Catalog")
    VERIFY_DATA = ("A", "Verify Data")
    NONE = (" ", "None")


class JobType(_Letter):
    """Job type letters."""

    BACKUP = ("B", "Backup")
    MIGRATED = ("M", "Migrated")
    VERIFY = ("V", "Verify")
    RESTORE = ("R", "Restore")
    CONSOLE = ("U", "Console")
    SYSTEM = ("I", "System or internal")
    ADMIN = ("D", "Admin")
    ARCHIVE = ("A", "Archive")
    COPY_JOB = ("C", "Copy job")
    COPY = ("c", "Copy")
    MIGRATION = ("g", "Migration")
    SCAN = ("S", "Scan")
    CONSOLIDATE = ("O", "Consolidate")


def _time(value: Any) -> Optional[_datetime.datetime]:
    """``YYYY-MM-DD hh:mm:ss`` (the director's local time) as an aware datetime."""
    if not value or not isinstance(value, str):
        return None
    for form in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return _datetime.datetime.strptime(value.strip(), form).astimezone()
        except ValueError:
            continue
    return None


def _key(name: str, convert: Any = None, default: Any = None) -> Any:
    """A field read from the JSON key ``name`` (converted), ``None`` when missing."""
    return field(default=default, metadata={"key": name, "convert": convert})


def _build(cls: Any, row: Dict[str, Any]) -> Any:
    extra = dict(row)
    values: Dict[str, Any] = {}
    for item in fields(cls):
        if item.name == "extra":
            continue
        key = item.metadata.get("key", item.name)
        convert = item.metadata.get("convert")
        raw = extra.pop(key, None)
        values[item.name] = convert(raw) if convert is not None and raw is not None else raw
    return cls(extra=extra, **values)


@dataclass
class Job:
    """A job of ``list jobs`` / ``llist jobs`` / ``llist jobid=N``."""

    jobid: Optional[int] = _key("jobid")
    name: Optional[str] = _key("name")
    job: Optional[str] = _key("job")
    client: Optional[str] = _key("client")
    type: Union[JobType, str, None] = _key("type", JobType.read)
    level: Union[JobLevel, str, None] = _key("level", JobLevel.read)
    status: Union[JobStatus, str, None] = _key("jobstatus", JobStatus.read)
    scheduled: Optional[_datetime.datetime] = _key("schedtime", _time)
    started: Optional[_datetime.datetime] = _key("starttime", _time)
    ended: Optional[_datetime.datetime] = _key("endtime", _time)
    #: End time as seconds since the epoch.
    jobtdate: Optional[int] = _key("jobtdate")
    duration: Optional[str] = _key("duration")
    files: Optional[int] = _key("jobfiles")
    bytes: Optional[int] = _key("jobbytes")
    errors: Optional[int] = _key("joberrors")
    clientid: Optional[int] = _key("clientid")
    poolid: Optional[int] = _key("poolid")
    pool: Optional[str] = _key("poolname")
    filesetid: Optional[int] = _key("filesetid")
    fileset: Optional[str] = _key("fileset")
    priorjobid: Optional[int] = _key("priorjobid")
    extra: Dict[str, Any] = field(default_factory=dict)


@dataclass
class JobLogEntry:
    """A line of ``list joblog jobid=N``."""

    time: Optional[_datetime.datetime] = _key("time", _time)
    text: Optional[str] = _key("logtext")
    extra: Dict[str, Any] = field(default_factory=dict)


@dataclass
class JobTotal:
    """A row of ``list jobtotals`` (``job`` is ``None`` for the grand total)."""

    job: Optional[str] = _key("job")
    jobs: Optional[int] = _key("jobs")
    files: Optional[int] = _key("files")
    bytes: Optional[int] = _key("bytes")
    extra: Dict[str, Any] = field(default_factory=dict)


@dataclass
class JobTotals:
    """``list jobtotals``: per job name, and all jobs."""

    jobs: List[JobTotal] = field(default_factory=list)
    total: Optional[JobTotal] = None


@dataclass
class FileEntry:
    """A file of ``list files jobid=N``."""

    filename: Optional[str] = _key("filename")
    extra: Dict[str, Any] = field(default_factory=dict)


@dataclass
class Client:
    """A client of ``list clients``."""

    clientid: Optional[int] = _key("clientid")
    name: Optional[str] = _key("name")
    uname: Optional[str] = _key("uname")
    autoprune: Optional[bool] = _key("autoprune")
    file_retention: Optional[int] = _key("fileretention")
    job_retention: Optional[int] = _key("jobretention")
    extra: Dict[str, Any] = field(default_factory=dict)


@dataclass
class Pool:
    """A pool of ``list pools``."""

    poolid: Optional[int] = _key("poolid")
    name: Optional[str] = _key("name")
    volumes: Optional[int] = _key("numvols")
    max_volumes: Optional[int] = _key("maxvols")
    type: Optional[str] = _key("pooltype")
    label_format: Optional[str] = _key("labelformat")
    extra: Dict[str, Any] = field(default_factory=dict)


@dataclass
class Volume:
    """A volume of ``list volumes`` / ``llist volumes``."""

    mediaid: Optional[int] = _key("mediaid")
    name: Optional[str] = _key("volumename")
    pool: Optional[str] = _key("pool")
    poolid: Optional[int] = _key("poolid")
    status: Optional[str] = _key("volstatus")
    enabled: Optional[bool] = _key("enabled")
    bytes: Optional[int] = _key("volbytes")
    files: Optional[int] = _key("volfiles")
    jobs: Optional[int] = _key("voljobs")
    retention: Optional[int] = _key("volretention")
    max_bytes: Optional[int] = _key("maxvolbytes")
    media_type: Optional[str] = _key("mediatype")
    storage: Optional[str] = _key("storage")
    slot: Optional[int] = _key("slot")
    in_changer: Optional[bool] = _key("inchanger")
    recycle: Optional[bool] = _key("recycle")
    last_written: Optional[_datetime.datetime] = _key("lastwritten", _time)
    extra: Dict[str, Any] = field(default_factory=dict)


@dataclass
class FileSet:
    """A fileset of ``list filesets``."""

    filesetid: Optional[int] = _key("filesetid")
    name: Optional[str] = _key("fileset")
    md5: Optional[str] = _key("md5")
    created: Optional[_datetime.datetime] = _key("createtime", _time)
    extra: Dict[str, Any] = field(default_factory=dict)


@dataclass
class Storage:
    """A storage of ``list storages``."""

    storageid: Optional[int] = _key("storageid")
    name: Optional[str] = _key("name")
    autochanger: Optional[bool] = _key("autochanger")
    extra: Dict[str, Any] = field(default_factory=dict)


@dataclass
class Schedule:
    """A schedule of ``show schedules``."""

    name: Optional[str] = _key("name")
    description: Optional[str] = _key("description")
    run: Optional[List[str]] = _key("run")
    enabled: Optional[bool] = _key("enabled")
    extra: Dict[str, Any] = field(default_factory=dict)


@dataclass
class StatusJob:
    """A job of the ``scheduled``, ``running`` or ``terminated`` list of ``status
    director`` (level, type and status in words, as the director gives them)."""

    jobid: Optional[int] = _key("jobid")
    name: Optional[str] = _key("name")
    level: Optional[str] = _key("level")
    type: Optional[str] = _key("type")
    status: Optional[str] = _key("status")
    files: Optional[int] = _key("files")
    bytes: Optional[int] = _key("bytes")
    extra: Dict[str, Any] = field(default_factory=dict)


@dataclass
class DirectorStatus:
    """``status director``: the header and the job lists."""

    director: Optional[str] = None
    version: Optional[str] = None
    jobs_run: Optional[int] = None
    jobs_running: Optional[int] = None
    scheduled: List[StatusJob] = field(default_factory=list)
    running: List[StatusJob] = field(default_factory=list)
    terminated: List[StatusJob] = field(default_factory=list)
    extra: Dict[str, Any] = field(default_factory=dict)


def _typed(kind: str, result: Any) -> Any:
    """The result read by the Rust model of ``kind``, as typed JSON values."""
    if result is None:
        result = {}
    return json.loads(_bareos.normalize(kind, json.dumps(result)))


def jobs(result: Any) -> List[Job]:
    """The jobs of a ``list jobs`` / ``llist jobs`` / ``llist jobid=N`` result."""
    return [_build(Job, row) for row in _typed("jobs", result)["jobs"]]


def job_log(result: Any) -> List[JobLogEntry]:
    """The lines of a ``list joblog jobid=N`` result."""
    return [_build(JobLogEntry, row) for row in _typed("job_log", result)["joblog"]]


def job_totals(result: Any) -> JobTotals:
    """A ``list jobtotals`` result."""
    typed = _typed("job_totals", result)
    return JobTotals(
        jobs=[_build(JobTotal, row) for row in typed["jobs"]],
        total=_build(JobTotal, typed["jobtotals"]),
    )


def files(result: Any) -> List[FileEntry]:
    """The files of a ``list files jobid=N`` result."""
    return [_build(FileEntry, row) for row in _typed("files", result)["filenames"]]


def clients(result: Any) -> List[Client]:
    """The clients of a ``list clients`` result."""
    return [_build(Client, row) for row in _typed("clients", result)["clients"]]


def pools(result: Any) -> List[Pool]:
    """The pools of a ``list pools`` result."""
    return [_build(Pool, row) for row in _typed("pools", result)["pools"]]


def volumes(result: Any) -> List[Volume]:
    """All volumes of a ``list volumes`` / ``llist volumes`` result, pool by pool."""
    by_pool = _typed("volumes", result)["volumes"]
    return [_build(Volume, row) for pool in sorted(by_pool) for row in by_pool[pool]]


def filesets(result: Any) -> List[FileSet]:
    """The filesets of a ``list filesets`` result."""
    return [_build(FileSet, row) for row in _typed("filesets", result)["filesets"]]


def storages(result: Any) -> List[Storage]:
    """The storages of a ``list storages`` result."""
    return [_build(Storage, row) for row in _typed("storages", result)["storages"]]


def schedules(result: Any) -> List[Schedule]:
    """The schedules of a ``show schedules`` result."""
    typed = _typed("schedules", result)
    return [_build(Schedule, dict(row, name=row.get("name", name))) for name, row in sorted(typed.items())]


def status_director(result: Any) -> DirectorStatus:
    """A ``status director`` result."""
    typed = _typed("status_director", result)
    header = dict(typed.pop("header", {}) or {})
    lists = {
        key: [_build(StatusJob, row) for row in typed.pop(key, [])]
        for key in ("scheduled", "running", "terminated")
    }
    return DirectorStatus(
        director=header.pop("director", None),
        version=header.pop("version", None),
        jobs_run=header.pop("jobs_run", None),
        jobs_running=header.pop("jobs_running", None),
        extra=dict(typed, header=header) if header else typed,
        **lists,
    )


def list_jobs_command(
    client: Optional[str] = None,
    job: Optional[str] = None,
    jobstatus: Optional[str] = None,
    last: bool = False,
    limit: Optional[int] = None,
) -> str:
    """The ``list jobs`` command for these filters (values quoted as needed)."""
    from bareos.bsock.lowlevel import _quote_value

    words = ["list", "jobs"]
    for key, value in (("client", client), ("job", job), ("jobstatus", jobstatus)):
        if value is not None:
            words.append("{0}={1}".format(key, _quote_value(str(value))))
    if limit is not None:
        words.append("limit={0}".format(int(limit)))
    if last:
        words.append("last")
    return " ".join(words)
