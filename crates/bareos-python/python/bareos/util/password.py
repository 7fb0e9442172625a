"""Bareos passwords in clear text and in their MD5 form."""

import hashlib
from typing import Optional, Union


class Password:
    """A password, available as clear text and as the MD5 hex form Bareos keys on.

    ``repr()`` never shows either form.
    """

    def __init__(self, password: Union[str, bytes, bytearray, None] = None) -> None:
        """Args: password (str, optional): the clear-text password."""
        self.password_md5: Optional[bytes] = None
        self.password_plaintext: Optional[bytearray] = None
        if password is not None:
            self.set_plaintext(password)

    def __repr__(self) -> str:
        return "<bareos.util.Password (hidden)>"

    def set_plaintext(self, password: Union[str, bytes, bytearray]) -> None:
        """Sets the clear-text password (and its MD5 form)."""
        if isinstance(password, (bytes, bytearray)):
            raw = bytes(password)
        else:
            raw = str(password).encode("utf-8")
        self.password_plaintext = bytearray(raw)
        self.set_md5(hashlib.md5(raw).hexdigest().encode("ascii"))

    def set_md5(self, password: Union[str, bytes, bytearray]) -> None:
        """Sets only the MD5 form (32 hex digits, bytes or str); no clear text then."""
        if isinstance(password, str):
            password = password.encode("ascii")
        self.password_md5 = bytes(password)

    def plaintext(self) -> Optional[str]:
        """The clear-text password (str), ``None`` if only the MD5 form is known."""
        if self.password_plaintext is None:
            return None
        return self.password_plaintext.decode("utf-8")

    def md5(self) -> Optional[bytes]:
        """The MD5 form as bytes of 32 lowercase hex digits."""
        return self.password_md5
