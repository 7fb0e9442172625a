"""Protocol strings exchanged with the Bareos director during login.

The login itself is performed by the native client; these helpers remain for scripts
that build or check such messages themselves.
"""

from typing import Union

from bareos.bsock.connectiontype import ConnectionType
from bareos.bsock.constants import Constants
from bareos.bsock.protocolmessageids import ProtocolMessageIds
from bareos.bsock.protocolversions import ProtocolVersions


class ProtocolMessages:
    """Login messages of a given console protocol version."""

    def __init__(
        self, protocolversion: Union[ProtocolVersions, int] = ProtocolVersions.last
    ) -> None:
        self.set_version(protocolversion)

    def set_version(self, protocolversion: Union[ProtocolVersions, int]) -> None:
        """Select the protocol version."""
        self.protocolversion = protocolversion

    def get_version(self) -> Union[ProtocolVersions, int]:
        """The selected protocol version."""
        return self.protocolversion

    def hello(self, name: object, type: int = ConnectionType.DIRECTOR) -> bytearray:
        """The hello line for ``name`` (as bytearray)."""
        from bareos import __version__

        if type == ConnectionType.FILEDAEMON:
            line = "Hello Director {0} calling\n".format(name)
        elif self.protocolversion < ProtocolVersions.bareos_18_2:
            line = "Hello {0} calling\n".format(name)
        else:
            line = "Hello {0} calling version {1}\n".format(name, __version__)
        return bytearray(line, "utf-8")

    @staticmethod
    def auth_ok() -> bytes:
        """The verdict for a correct CRAM-MD5 answer."""
        return b"1000 OK auth\n"

    @staticmethod
    def auth_failed() -> bytes:
        """The verdict for a wrong CRAM-MD5 answer."""
        return b"1999 Authorization failed.\n"

    @staticmethod
    def not_authorized() -> bytes:
        """What a director answers to an unknown console."""
        return b"1999 You are not authorized.\n"

    @staticmethod
    def is_auth_ok(msg: object) -> bool:
        """Whether ``msg`` is the positive verdict."""
        return msg == ProtocolMessages.auth_ok()

    @staticmethod
    def is_not_authorized(msg: object) -> bool:
        """Whether ``msg`` is the unknown-console answer."""
        return msg == ProtocolMessages.not_authorized()

    @staticmethod
    def pam_user_credentials(pam_username: object, pam_password: object) -> bytearray:
        """The PAM credentials message ``4002<RS>user<RS>password`` (as bytearray)."""
        separator = Constants.record_separator
        text = "{0}{1}{2}{1}{3}".format(
            ProtocolMessageIds.PamUserCredentials, separator, pam_username, pam_password
        )
        return bytearray(text, "utf-8")
