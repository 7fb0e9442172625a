"""asyncio connections to a Bareos Director and File Daemon.

The classes take the constructor keywords of their blocking counterparts in
:py:mod:`bareos.bsock` and raise the same exceptions. They run on the native async
client (tokio), not on threads, so one event loop can hold hundreds of connections::

    import asyncio
    import bareos.aio

    async def main():
        async with bareos.aio.DirectorConsoleJson(address="localhost", password="secret") as d:
            jobs = await d.call("list jobs")
            async for chunk in d.stream("list files jobid=1"):
                ...

    asyncio.run(main())

``await DirectorConsole(...)`` connects too. Cancelling a call (``asyncio.timeout``,
``task.cancel()``) never leaves the connection half-used: the command runs to its end in
the background and the next call waits for it; ``close()`` cuts it off instead.
"""

import atexit
import json
import logging
import shlex
import warnings
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Generator,
    List,
    Optional,
    Tuple,
    TypeVar,
    Union,
)

import bareos.exceptions
from bareos import _bareos
from bareos.bsock.directorconsolejson import (
    _is_empty_answer,
    _parse_answer,
    _prompt_error,
    _result_of,
)
from bareos.bsock.lowlevel import (
    _NamesArg,
    _PathArg,
    _breaks_connection,
    _certificates,
    _md5_hex,
    _tls_max_version,
    _tls_mode_for,
    _translate,
)
from bareos.bsock.protocolversions import ProtocolVersions
from bareos.util.password import Password

if TYPE_CHECKING:
    import bareos.models

__all__ = ["DirectorConsole", "DirectorConsoleJson", "FileDaemon"]

_logger = logging.getLogger("bareos.aio")

# At exit, no native thread may still be handing a result to Python.
atexit.register(_bareos.shutdown)

#: A command: a string, or its words (joined with spaces).
Command = Union[str, List[str], Tuple[str, ...]]

_Native = Union[_bareos.AsyncDirector, _bareos.AsyncFileDaemon]
_C = TypeVar("_C", bound="_Connection")
_D = TypeVar("_D", bound="DirectorConsole")


def _md5(password: Union[str, bytes, Password, None]) -> str:
    if password is None:
        raise bareos.exceptions.ConnectionError("Parameter 'password' is required.")
    if not isinstance(password, Password):
        password = Password(password)
    return _md5_hex(password)


class _Connection:
    """What the three classes share: connecting, ``async with``, errors, reconnecting."""

    _json = False
    address: str
    port: int
    _tls: str

    def __init__(self) -> None:
        self._native: Optional[_Native] = None
        self._lost = False
        self.max_reconnects = 0

    def __await__(self: _C) -> Generator[Any, None, _C]:
        return self.connect().__await__()

    async def __aenter__(self: _C) -> _C:
        if self._native is None:
            await self.connect()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _open(self) -> _Native:
        raise NotImplementedError

    async def connect(self: _C) -> _C:
        """Connects, logs in and sets the session up; returns the connection."""
        try:
            native = self._native = await self._open()
        except _bareos.NativeError as error:
            raise _translate(error, self.address, self.port, json=self._json) from None
        self._lost = False
        if native.cipher() is None and self._tls == "prefer":
            _logger.warning("Failed to connect via TLS-PSK. Trying plain connection.")
            warnings.warn(
                "Connection to {0}:{1} is not encrypted: TLS-PSK failed, using a plain "
                "connection (pass tls_psk_require=True to refuse this).".format(
                    self.address, self.port
                ),
                UserWarning,
                stacklevel=3,
            )
        await self._init_connection()
        return self

    async def _init_connection(self) -> None:
        pass

    async def close(self) -> None:
        """Ends the session; later calls raise ``ConnectionLostError``."""
        native, self._native = self._native, None
        self._lost = False
        if native is not None:
            await native.close()

    async def _native_call(self, method: str, *args: Any) -> Any:
        if self._native is None and self._lost and self.max_reconnects > 0:
            self.max_reconnects -= 1
            await self.connect()
            _logger.info("reconnected to {0}:{1}".format(self.address, self.port))
        native = self._native
        if native is None:
            raise bareos.exceptions.ConnectionLostError("currently no network connection")
        try:
            return await getattr(native, method)(*args)
        except _bareos.NativeError as error:
            # A connection that close() ended meanwhile was not lost: no reconnect.
            if _breaks_connection(error) and self._native is native:
                _logger.warning("socket error: {0}".format(error.args[1]))
                self._native = None
                self._lost = True
                await native.close()
            raise _translate(error, self.address, self.port, json=self._json) from None

    def get_cipher(self) -> Optional[Tuple[str, str, int]]:
        """``(cipher, TLS version, secret bits)``, ``None`` on cleartext or when closed."""
        return None if self._native is None else self._native.cipher()

    async def stream(self, command: Command) -> AsyncIterator[bytes]:
        """Runs a command and yields its result chunk by chunk (constant memory)::

            async for chunk in d.stream("list files jobid=1"):
                out.write(chunk)
        """
        if isinstance(command, (list, tuple)):
            command = " ".join(command)
        await self._native_call("send", self._wire_command(command))
        while True:
            chunk: Optional[bytes] = await self._native_call("next_chunk")
            if chunk is None:
                return
            yield chunk

    def _wire_command(self, command: str) -> str:
        return command

    def __repr__(self) -> str:
        return "<{0} {1}:{2} {3}>".format(
            type(self).__name__,
            self.address,
            self.port,
            "connected" if self._native is not None else "closed",
        )


class DirectorConsole(_Connection):
    """An asyncio console connection to a Director (see
    :py:class:`bareos.bsock.DirectorConsole` for the keywords); ``call`` returns bytes."""

    _native: Optional[_bareos.AsyncDirector]

    def __init__(
        self,
        address: str = "localhost",
        port: Union[int, str] = 9101,
        timeout: Optional[float] = None,
        dirname: Optional[str] = None,
        name: Union[str, bytes] = "*UserAgent*",
        password: Union[str, bytes, Password, None] = None,
        protocolversion: Optional[int] = None,
        pam_username: Optional[str] = None,
        pam_password: Optional[str] = None,
        tls_psk_enable: bool = True,
        tls_psk_require: bool = False,
        tls_version: Any = None,
        call_timeout: Optional[float] = None,
        pam_allow_cleartext: bool = False,
        tls_ca_file: _PathArg = None,
        tls_ca_dir: _PathArg = None,
        tls_cert_file: _PathArg = None,
        tls_key_file: _PathArg = None,
        tls_verify_peer: Optional[bool] = True,
        tls_allowed_cn: _NamesArg = None,
        tls_cipher_list: Optional[str] = None,
    ) -> None:
        super().__init__()
        self.address = address
        self.port = int(port)
        self.timeout = timeout
        self.call_timeout = call_timeout
        self.dirname = dirname or address
        self.name = name
        self._md5 = _md5(password)
        if (pam_username is None) != (pam_password is None) or (
            pam_username is not None and not (pam_username and pam_password)
        ):
            raise bareos.exceptions.PamAuthenticationError(
                "PAM authentication needs both pam_username and pam_password."
            )
        self._pam = None if pam_username is None else (str(pam_username), str(pam_password))
        self.pam_allow_cleartext = bool(pam_allow_cleartext)
        self._certificates = _certificates(
            tls_ca_file,
            tls_ca_dir,
            tls_cert_file,
            tls_key_file,
            tls_verify_peer,
            tls_allowed_cn,
            tls_cipher_list,
        )
        self._tls = _tls_mode_for(tls_psk_enable, tls_psk_require, self._certificates)
        self.tls_version = tls_version
        self.requested_protocol_version = (
            int(protocolversion) if protocolversion is not None and int(protocolversion) > 0 else None
        )
        self.max_reconnects = 1

    async def _open(self) -> _bareos.AsyncDirector:
        name = self.name.decode("utf-8") if isinstance(self.name, bytes) else self.name
        return await _bareos.AsyncDirector.connect(
            str(self.address),
            self.port,
            None if name == "*UserAgent*" else name,
            self._md5,
            self.requested_protocol_version or int(ProtocolVersions.last),
            self._tls,
            tls_max_version=_tls_max_version(self.tls_version),
            pam=self._pam,
            timeout=float(self.timeout) if self.timeout else None,
            protocol_fallback=self.requested_protocol_version is None,
            call_timeout=float(self.call_timeout) if self.call_timeout else None,
            allow_cleartext_pam=self.pam_allow_cleartext,
            certificates=self._certificates,
        )

    async def connect(self: _D) -> _D:
        await super().connect()
        native = self._native
        if self.requested_protocol_version is None and native and native.protocol_version() == 1:
            _logger.warning(
                "Failed to connect using protocol version 2. Trying protocol version 1. "
            )
            warnings.warn(
                "Connection to {0}:{1} uses the old protocol version 1 without encryption: "
                "the director refused protocol version 2 in cleartext (pass "
                "tls_psk_require=True to refuse this).".format(self.address, self.port),
                UserWarning,
                stacklevel=3,
            )
        return self

    async def _init_connection(self) -> None:
        await self._raw_call("autodisplay off")

    def get_protocol_version(self) -> ProtocolVersions:
        """The console protocol version in use (see :py:class:`ProtocolVersions`)."""
        if self._native is not None and self._native.protocol_version() == 1:
            return ProtocolVersions.bareos_12_4
        return ProtocolVersions(self.requested_protocol_version or int(ProtocolVersions.last))

    def is_at_prompt(self) -> bool:
        """Whether the director waits for an answer (the next ``call`` answers it)."""
        return bool(self._native is not None and self._native.at_prompt())

    async def _raw_call(self, command: str) -> bytes:
        data: bytes
        data, _prompt = await self._native_call("call", command)
        return data

    async def call(self, command: Command) -> bytes:
        """Runs a command and returns its result (bytes); at a prompt (``OK to run?
        (yes/mod/no):``) the next call's command is the answer.

        Args:
           command (str or list): the command; a list is joined with spaces.
        """
        if isinstance(command, (list, tuple)):
            command = " ".join(command)
        return await self._raw_call(command)

    async def cancel_prompt(self) -> bytes:
        """Cancels the prompt the director waits at; returns what it answered."""
        answer: bytes = await self._native_call("cancel_prompt")
        return answer


class DirectorConsoleJson(DirectorConsole):
    """An asyncio console in API mode 2: ``call`` returns the ``result`` as a dict, a
    JSON-RPC error raises :py:class:`~bareos.exceptions.JsonRpcErrorReceivedException`,
    a prompt raises :py:class:`~bareos.exceptions.JsonRpcInvalidJsonReceivedException`
    (the prompt is cancelled; the connection stays usable)."""

    _json = True

    async def _init_connection(self) -> None:
        for command in (".api json", ".api json compact=yes"):
            _logger.debug(_parse_answer(await self._raw_call(command)))

    async def call(self, command: Command) -> Any:
        """Runs a command and returns the ``result`` member of the answer."""
        return _result_of(await self.call_fullresult(command))

    async def jobs(
        self,
        client: Optional[str] = None,
        job: Optional[str] = None,
        jobstatus: Optional[str] = None,
        last: bool = False,
        limit: Optional[int] = None,
    ) -> "List[bareos.models.Job]":
        """``list jobs`` with these filters, as typed :py:class:`bareos.models.Job` s.

        Example: ``await d.jobs(client="bareos-fd", last=True)``.
        """
        import bareos.models

        command = bareos.models.list_jobs_command(client, job, jobstatus, last, limit)
        return bareos.models.jobs(await self.call(command))

    async def call_fullresult(self, command: Command) -> Any:
        """Runs a command and returns the whole JSON-RPC envelope (``None`` if empty)."""
        if isinstance(command, (list, tuple)):
            command = " ".join(command)
        try:
            envelope: Optional[str]
            text: bytes
            envelope, text = await self._native_call("call_json", command)
        except bareos.exceptions.JsonRpcInvalidJsonReceivedException as error:
            if _is_empty_answer(error):
                return None
            raise
        if envelope is None:
            _parse_answer(text)
            raise _prompt_error(text)
        if text:
            _logger.debug("text before the JSON result: %s", text.decode("utf-8", "replace").rstrip())
        return json.loads(envelope)


class FileDaemon(_Connection):
    """An asyncio connection to a File Daemon, as one of its directors (see
    :py:class:`bareos.bsock.FileDaemon` for the keywords)."""

    def __init__(
        self,
        address: str = "localhost",
        port: Union[int, str] = 9102,
        dirname: Optional[str] = None,
        name: Union[str, bytes, None] = None,
        password: Union[str, bytes, Password, None] = None,
        tls_psk_enable: bool = True,
        tls_psk_require: bool = False,
        tls_version: Any = None,
        timeout: Optional[float] = None,
        call_timeout: Optional[float] = None,
        tls_ca_file: _PathArg = None,
        tls_ca_dir: _PathArg = None,
        tls_cert_file: _PathArg = None,
        tls_key_file: _PathArg = None,
        tls_verify_peer: Optional[bool] = True,
        tls_allowed_cn: _NamesArg = None,
        tls_cipher_list: Optional[str] = None,
    ) -> None:
        super().__init__()
        self.address = address
        self.port = int(port)
        self.dirname = dirname or address
        self.name = name
        self._md5 = _md5(password)
        self._certificates = _certificates(
            tls_ca_file,
            tls_ca_dir,
            tls_cert_file,
            tls_key_file,
            tls_verify_peer,
            tls_allowed_cn,
            tls_cipher_list,
        )
        self._tls = _tls_mode_for(tls_psk_enable, tls_psk_require, self._certificates)
        self.tls_version = tls_version
        self.timeout = timeout
        self.call_timeout = call_timeout

    async def _open(self) -> _bareos.AsyncFileDaemon:
        name = self.name.decode("utf-8") if isinstance(self.name, bytes) else self.name
        return await _bareos.AsyncFileDaemon.connect(
            str(self.address),
            self.port,
            name,
            self._md5,
            self._tls,
            tls_max_version=_tls_max_version(self.tls_version),
            timeout=float(self.timeout) if self.timeout else None,
            call_timeout=float(self.call_timeout) if self.call_timeout else None,
            certificates=self._certificates,
        )

    def _wire_command(self, command: str) -> str:
        words = shlex.split(command)
        return " ".join(shlex.quote(word.replace(" ", "\x01")) for word in words)

    async def call(self, command: Union[str, List[Any], Tuple[Any, ...]]) -> bytes:
        """Runs a command (split with ``shlex``, spaces inside words bashed) and returns
        its result (bytes)."""
        words = list(command) if isinstance(command, (list, tuple)) else shlex.split(command)
        line = " ".join(shlex.quote(str(word).replace(" ", "\x01")) for word in words)
        result: bytes = await self._native_call("call", line)
        return result
