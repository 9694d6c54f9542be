"""Reading settings from the environment, where a variable that is set but empty counts as unset."""
import os
from collections.abc import Iterator, Mapping

import environ


class SetVariables(Mapping):
    """A live, read-only view of the process environment without the variables whose value is empty."""

    def __init__(self, environment: Mapping[str, str]):
        self._environment = environment

    def __getitem__(self, name: str) -> str:
        value = self._environment[name]
        if value == "":
            raise KeyError(name)
        return value

    def __iter__(self) -> Iterator[str]:
        return (name for name, value in self._environment.items() if value != "")

    def __len__(self) -> int:
        return sum(1 for _name in self)


class Env(environ.Env):
    """django-environ's reader, except that `NAME=` behaves as if NAME were not set.

    Shells, CI files and container definitions often write `DATABASE_URL=` to mean "not configured"; django-environ
    would parse the empty string (an SQLite URL with no engine, an S3 bucket named "") and fail far from the cause.
    With this reader the default applies, and a required variable is reported as missing.
    """

    ENVIRON = SetVariables(os.environ)
