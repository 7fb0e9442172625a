"""Type hints and docstrings of the installed package: ``py.typed`` and the stubs of the
native module are installed, ``mypy --strict`` is clean on the package and the example
scripts, the hints catch misuse, the stubs match the native module (mypy's stubtest),
and ``help()`` shows a docstring for every public class and method."""

import importlib.metadata
import inspect
import os
import pathlib
import pydoc
import re
import shutil
import subprocess
import sys

import pytest

import bareos
import bareos._bareos
import bareos.aio
import bareos.bsock
import bareos.models

import conftest

EXAMPLES = conftest.REPO / "crates" / "bareos-python" / "examples"
PACKAGE = pathlib.Path(bareos.__file__).resolve().parent


@pytest.fixture(scope="module")
def mypy(tmp_path_factory):
    """Runs ``python -m mypy --strict`` of this environment in ``cwd``, outside the
    source tree (one cache for the module's runs)."""
    cache = tmp_path_factory.mktemp("mypy-cache")

    def run(cwd, *targets):
        done = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-color-output",
             "--cache-dir", str(cache), *targets],
            cwd=str(cwd), capture_output=True, text=True, timeout=900,
        )
        return done.returncode, done.stdout + done.stderr

    return run


def test_py_typed_and_the_native_stubs_are_installed():
    assert PACKAGE.parent.name == "site-packages", PACKAGE
    assert (PACKAGE / "py.typed").is_file()
    assert "class AsyncDirector" in (PACKAGE / "_bareos.pyi").read_text()
    # Installed from the wheel (its RECORD), not left over in the folder.
    installed = {str(f) for f in importlib.metadata.files("bareos-rs")}
    assert {"bareos/py.typed", "bareos/_bareos.pyi"} <= installed


def test_mypy_strict_is_clean_on_the_package_and_the_examples(mypy, tmp_path):
    # mypy reports nothing inside an installed package (nor in its own typeshed there,
    # with --no-silence-site-packages): it checks a copy of the installed files.
    copy = tmp_path / "installed"
    shutil.copytree(
        str(PACKAGE), str(copy / "bareos"), ignore=shutil.ignore_patterns("__pycache__")
    )
    status, output = mypy(copy, "-p", "bareos")
    assert status == 0, output
    checked = re.search(r"Success: no issues found in (\d+) source files", output)
    assert checked, output
    # every module of the package (and the stubs), not an empty run
    modules = len(list(PACKAGE.rglob("*.py"))) + len(list(PACKAGE.rglob("*.pyi")))
    assert int(checked.group(1)) == modules, output

    # The examples import the installed package: typed through its py.typed marker.
    examples = sorted(str(p) for p in EXAMPLES.glob("*.py"))
    assert len(examples) >= 2
    status, output = mypy(tmp_path, *examples)
    assert status == 0, output
    assert "Success: no issues found in {0} source files".format(len(examples)) in output


# Each line marked ``# wrong`` misuses the package; mypy must report exactly those.
MISUSE = '''
import bareos._bareos
import bareos.aio
import bareos.bsock
import bareos.models


async def director() -> None:
    async with bareos.aio.DirectorConsole(password="x") as d:
        text: str = await d.call("list jobs")  # wrong
        assert await d.call("list jobs")
        jobs = await bareos.aio.DirectorConsoleJson(password="x").jobs(last="yes")  # wrong
        jobs = await bareos.aio.DirectorConsoleJson(password="x").jobs(last=True)
        total: int = sum(job.bytes or 0 for job in jobs)


def blocking() -> None:
    fd = bareos.bsock.FileDaemon(port=9102, password="x")
    count: int = fd.call("status")  # wrong
    jobid: int = bareos.models.jobs({})[0].jobid  # wrong
    bareos._bareos.Director("localhost", "9101", None, "md5", 2, "prefer")  # wrong
    bareos._bareos.Director("localhost", 9101, None, "md5", 2, "prefer", timeout=5.0)
    bareos.models.JobStatus.OK.meaning.no_such_method()  # wrong
    print(bareos.models.JobStatus.OK.meaning.upper())
'''


def test_the_hints_catch_misuse(mypy, tmp_path):
    """The hints are real types, not ``Any``: each wrong line is reported, and only
    those."""
    script = tmp_path / "misuse.py"
    script.write_text(MISUSE)
    status, output = mypy(tmp_path, str(script))
    assert status == 1, output
    expected = {n for n, line in enumerate(MISUSE.splitlines(), 1) if line.endswith("# wrong")}
    assert len(expected) == 6
    reported = {int(n) for n in re.findall(r"misuse\.py:(\d+): error", output)}
    assert reported == expected, output


def stubtest(cwd, env=None):
    done = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "--concise", "bareos._bareos"],
        cwd=str(cwd), capture_output=True, text=True, timeout=900, env=env,
    )
    return done.returncode, done.stdout + done.stderr


def test_the_stubs_match_the_native_module(tmp_path):
    """mypy's stubtest: every name, argument and default of ``_bareos.pyi`` as the
    native module has them, and nothing of the module missing from the stubs."""
    status, output = stubtest(tmp_path)
    assert status == 0, output
    # The same check on a copy of the package whose stubs misname an argument fails:
    # stubtest did compare the stubs with the native module.
    copy = tmp_path / "copy" / "bareos"
    shutil.copytree(str(PACKAGE), str(copy), ignore=shutil.ignore_patterns("__pycache__"))
    stub = copy / "_bareos.pyi"
    text = stub.read_text()
    assert text.count("def has_data(self, wait: float)") == 2
    renamed = text.replace("def has_data(self, wait: float)", "def has_data(self, timeout: float)")
    stub.write_text(renamed)
    env = dict(os.environ, PYTHONPATH=str(copy.parent))
    status, output = stubtest(tmp_path, env)
    assert status == 1, output
    assert "bareos._bareos.Director.has_data is inconsistent" in output, output
    assert "bareos._bareos.FileDaemon.has_data is inconsistent" in output, output


def public_members(cls):
    """The public methods and properties of ``cls`` that the package defines (its own
    and inherited ones; not those of ``object``, ``Exception``, ``Enum``). The
    constructor's keywords are in the class docstring."""
    for owner in cls.__mro__:
        if not owner.__module__.startswith("bareos"):
            continue
        for name, value in vars(owner).items():
            if name.startswith("_"):
                continue
            if isinstance(value, (staticmethod, classmethod)):
                value = value.__func__
            if inspect.isroutine(value) or isinstance(value, property):
                yield "{0}.{1}".format(owner.__name__, name), getattr(cls, name)


DOCUMENTED = [
    bareos.aio.DirectorConsole,
    bareos.aio.DirectorConsoleJson,
    bareos.aio.FileDaemon,
    bareos._bareos.Director,
    bareos._bareos.FileDaemon,
    bareos._bareos.AsyncDirector,
    bareos._bareos.AsyncFileDaemon,
    bareos._bareos.NativeError,
] + [getattr(bareos.models, name) for name in bareos.models.__all__
     if inspect.isclass(getattr(bareos.models, name))]


@pytest.mark.parametrize("cls", DOCUMENTED, ids=lambda cls: cls.__module__ + "." + cls.__name__)
def test_help_shows_docstrings(cls):
    doc = inspect.getdoc(cls)
    assert doc and doc.strip(), cls
    page = pydoc.render_doc(cls, renderer=pydoc.plaintext)
    assert doc.splitlines()[0] in page
    members = list(public_members(cls))
    if not issubclass(cls, Exception) and cls.__module__ != "bareos.models":
        assert len(members) >= 4, cls
    for name, member in members:
        assert (inspect.getdoc(member) or "").strip(), name


def test_the_model_functions_and_modules_have_docstrings():
    for module in (bareos.aio, bareos.models, bareos._bareos):
        assert (module.__doc__ or "").strip(), module
    for name in bareos.models.__all__:
        assert (inspect.getdoc(getattr(bareos.models, name)) or "").strip(), name
    for name in ("scrub", "normalize", "shutdown"):
        assert (getattr(bareos._bareos, name).__doc__ or "").strip(), name


def test_native_signatures_show_in_help():
    """pyo3 gives the native functions and classes their signatures (``inspect`` and
    ``help()`` show the argument names, not ``(*args, **kwargs)``)."""
    assert str(inspect.signature(bareos._bareos.Director.call)) == "(self, /, command)"
    assert str(inspect.signature(bareos._bareos.AsyncDirector.call)) == "(self, /, command)"
    connect = inspect.signature(bareos._bareos.AsyncDirector.connect)
    assert list(connect.parameters)[:4] == ["address", "port", "name", "password_md5"]
    assert connect.parameters["timeout"].default is None
    constructor = inspect.signature(bareos._bareos.Director)
    assert "password_md5" in constructor.parameters
    assert constructor.parameters["json"].default is False
    page = pydoc.render_doc(bareos._bareos.Director, renderer=pydoc.plaintext)
    assert "call(self, /, command)" in page
