"""The wheel (scripts/build-wheel) as a user gets it: its tags, a self-contained
extension module, what `import bareos` says, and installing it next to python-bareos
in both orders (fresh virtual environments).

scripts/test-python sets BAREOS_PY_WHEEL (the wheel under test, installed into the venv
running these tests) and BAREOS_PY_PYTHON_BAREOS (python-bareos 25.1.1's wheel, from
PyPI)."""

import os
import pathlib
import shutil
import struct
import subprocess
import venv
import zipfile

import pytest

from conftest import DIR_PASSWORD

IMPLEMENTATION = "import bareos; print(getattr(bareos, '__implementation__', 'python-bareos'))"


def env_path(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail("{0} is not set: run these tests with scripts/test-python".format(name))
    path = pathlib.Path(value)
    assert path.is_file(), path
    return path


def needed_libraries(elf):
    """The DT_NEEDED entries of a 64-bit little-endian ELF shared object."""
    assert elf[:4] == b"\x7fELF" and elf[4] == 2 and elf[5] == 1
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", elf, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize)
                for i in range(shnum)]
    dynamic = [s for s in sections if s[1] == 6]  # SHT_DYNAMIC
    assert len(dynamic) == 1
    _, _, _, _, offset, size, link, _, _, entsize = dynamic[0]
    strtab_offset = sections[link][4]
    names = []
    for position in range(offset, offset + size, entsize):
        tag, value = struct.unpack_from("<qQ", elf, position)
        if tag == 0:
            break
        if tag == 1:  # DT_NEEDED
            end = elf.index(b"\0", strtab_offset + value)
            names.append(elf[strtab_offset + value:end].decode())
    return names


def test_the_tests_run_on_the_installed_wheel_without_build_tools():
    import bareos

    wheel = env_path("BAREOS_PY_WHEEL")
    assert wheel.name.startswith("bareos_rs-")
    site = pathlib.Path(bareos.__file__).resolve().parents[1]
    assert site.name == "site-packages"
    assert any(site.glob("bareos_rs-*.dist-info"))
    for program in ["cargo", "rustc", "cc", "gcc", "clang"]:
        assert shutil.which(program) is None, program


def test_wheel_is_abi3_manylinux_with_openssl_inside():
    wheel = env_path("BAREOS_PY_WHEEL")
    # name-version-cp38-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
    _, _, python_tag, abi_tag, platform_tag = wheel.name[: -len(".whl")].split("-")
    assert (python_tag, abi_tag) == ("cp38", "abi3")
    assert platform_tag.startswith("manylinux")
    with zipfile.ZipFile(str(wheel)) as archive:
        names = archive.namelist()
        modules = [n for n in names if n.startswith("bareos/_bareos") and n.endswith(".so")]
        assert len(modules) == 1, names
        needed = needed_libraries(archive.read(modules[0]))
        metadata = archive.read(
            next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
        entry_points = archive.read(
            next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert "libc.so.6" in needed
    assert not [lib for lib in needed if lib.startswith(("libssl", "libcrypto"))], needed
    assert "Name: bareos-rs\n" in metadata
    assert "Requires-Python: >=3.8" in metadata
    for script in ["bconsole.py", "bconsole-json.py", "bareos-fd-connect.py",
                   "bareos-jsonrpc-server.py"]:
        assert "\n{0}=bareos.tools.".format(script) in entry_points.replace(" ", "")


def test_import_says_which_implementation():
    import bareos

    assert bareos.__implementation__ == "bareos-rs"
    assert bareos.__version__ == "25.1.1"
    assert bareos.implementation_version


# -- next to python-bareos ----------------------------------------------------------


class Env:
    """A fresh virtual environment."""

    def __init__(self, path):
        venv.EnvBuilder(with_pip=True).create(str(path))
        self.bin = path / "bin"
        self.python = str(self.bin / "python")

    def pip(self, *args):
        result = subprocess.run(
            [self.python, "-m", "pip", "--disable-pip-version-check", "--no-input", *args],
            capture_output=True, text=True, timeout=300,
            # local wheels only: nothing comes from an index
            env=dict(os.environ, PIP_NO_INDEX="1"),
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def python_c(self, code, *args):
        return subprocess.run([self.python, "-c", code, *args], capture_output=True,
                              text=True, timeout=120)

    def console(self, director, stdin):
        return subprocess.run(
            [str(self.bin / "bconsole.py"), "--address", director.host, "--port",
             str(director.port), "-p", DIR_PASSWORD],
            input=stdin, capture_output=True, text=True, timeout=120,
        )


def assert_bareos_rs_alone(env, director):
    """After the fix: bareos-rs only, no warning, the console works."""
    imported = env.python_c(IMPLEMENTATION)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "bareos-rs"
    assert imported.stderr == ""
    listed = env.pip("list", "--format=freeze").stdout
    assert "bareos-rs==" in listed and "python-bareos" not in listed
    session = env.console(director, "version\n")
    assert session.returncode == 0, session.stderr
    assert "Version:" in session.stdout


FIX = ["uninstall", "-y", "python-bareos", "bareos-rs"]


def test_python_bareos_first_then_bareos_rs(tmp_path, director):
    env = Env(tmp_path / "venv")
    env.pip("install", str(env_path("BAREOS_PY_PYTHON_BAREOS")))
    env.pip("install", str(env_path("BAREOS_PY_WHEEL")))
    # ours was installed last: `import bareos` is bareos-rs, and it warns with the fix
    imported = env.python_c(IMPLEMENTATION)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "bareos-rs"
    assert "UserWarning: python-bareos (python_bareos-25.1.1.dist-info) is installed" \
        in imported.stderr
    assert "pip uninstall -y python-bareos bareos-rs" in imported.stderr
    # the tools are ours (installed over python-bareos's scripts of the same names)
    assert "bareos.tools.bconsole" in (env.bin / "bconsole.py").read_text()
    session = env.console(director, "whoami\n")
    assert session.returncode == 0, session.stderr
    assert ">>" in session.stdout
    # the fix the warning gives
    env.pip(*FIX)
    env.pip("install", str(env_path("BAREOS_PY_WHEEL")))
    assert_bareos_rs_alone(env, director)


def test_bareos_rs_first_then_python_bareos(tmp_path, director):
    env = Env(tmp_path / "venv")
    env.pip("install", str(env_path("BAREOS_PY_WHEEL")))
    env.pip("install", str(env_path("BAREOS_PY_PYTHON_BAREOS")))
    # python-bareos was installed last: its files replaced ours, `import bareos` is
    # python-bareos as a whole (bareos.__implementation__ tells)
    imported = env.python_c(IMPLEMENTATION + "; import bareos.bsock; "
                            "print(bareos.bsock.DirectorConsole.__module__)")
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.split() == ["python-bareos", "bareos.bsock.directorconsole"]
    assert "bareos.tools" not in (env.bin / "bconsole.py").read_text()
    listed = env.pip("list", "--format=freeze").stdout
    assert "bareos-rs==" in listed and "python-bareos==25.1.1" in listed
    # the same fix
    env.pip(*FIX)
    env.pip("install", str(env_path("BAREOS_PY_WHEEL")))
    assert_bareos_rs_alone(env, director)
