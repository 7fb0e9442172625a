"""File system paths as lists of components (used by bareos-fuse)."""


class Path:
    """A path split into components, remembering whether it is absolute (``root``) and
    whether it names a directory (ends with ``/``)."""

    def __init__(self, path=None):
        """Args: path (str, optional): the path."""
        self.path_orig = None
        self.root = False
        self.directory = False
        self.path = None
        self.set_path(path)

    def __str__(self):
        text = "/" if self.root else ""
        text += "/".join(self.path or [])
        if self.directory and (not self.root or self.len() > 0):
            text += "/"
        return text

    def __repr__(self):
        return "Path({0!r})".format(str(self))

    def set_path(self, path):
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

    def get(self, index=None):
        """All components (list), or the one at ``index``."""
        if index is None:
            return self.path
        return self.path[index]

    def shift(self):
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

    def is_directory(self):
        """Whether the path ends with ``/``."""
        return self.directory

    def is_root(self):
        """Whether the path is absolute."""
        return self.root

    def remove(self, index):
        """Removes the component at ``index``."""
        del self.path[index]

    def len(self):
        """The number of components."""
        return len(self.path)
