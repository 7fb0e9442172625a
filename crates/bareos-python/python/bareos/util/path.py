"""File system paths as lists of components (used by bareos-fuse)."""

from typing import List, Optional, Union, cast, overload


class Path:
    """A path split into components, remembering whether it is absolute (``root``) and
    whether it names a directory (ends with ``/``)."""

    def __init__(self, path: Optional[str] = None) -> None:
        """Args: path (str, optional): the path."""
        self.path_orig: Optional[str] = None
        self.root = False
        self.directory = False
        self.path: Optional[List[str]] = None
        self.set_path(path)

    def __str__(self) -> str:
        text = "/" if self.root else ""
        text += "/".join(self.path or [])
        if self.directory and (not self.root or self.len() > 0):
            text += "/"
        return text

    def __repr__(self) -> str:
        return "Path({0!r})".format(str(self))

    def set_path(self, path: Optional[str]) -> None:
        """Replaces the path (``None`` resets it)."""
        if path is None:
            self.path_orig = None
            self.root = False
            self.directory = False
            self.path = None
            return
        if not isinstance(path, str):
            return
        self.path_orig = path
        parts = path.split("/")
        self.path = [part for part in parts if part]
        if path == "":
            self.root = False
            self.directory = True
        else:
            self.root = path.startswith("/")
            self.directory = parts[-1] == ""

    @overload
    def get(self) -> Optional[List[str]]: ...

    @overload
    def get(self, index: int) -> str: ...

    def get(self, index: Optional[int] = None) -> Union[List[str], str, None]:
        """All components (list), or the one at ``index``."""
        if index is None:
            return self.path
        return self._components()[index]

    def shift(self) -> str:
        """Removes and returns the first component.

        Example:
              >>> path = Path("/usr/bin/python")
              >>> path.shift()
              'usr'
              >>> print(path)
              /bin/python

        Raises:
            IndexError: if the path has no components.
        """
        first = self.get(0)
        self.remove(0)
        return first

    def is_directory(self) -> bool:
        """Whether the path ends with ``/``."""
        return self.directory

    def is_root(self) -> bool:
        """Whether the path is absolute."""
        return self.root

    def remove(self, index: int) -> None:
        """Removes the component at ``index``."""
        del self._components()[index]

    def len(self) -> int:
        """The number of components."""
        return len(self._components())

    def _components(self) -> List[str]:
        # A reset path has no list: using it raises TypeError, as in python-bareos.
        return cast(List[str], self.path)
