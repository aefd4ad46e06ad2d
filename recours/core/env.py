"""Typed readers for configuration from the environment (healthchecks' style).

Every secret can also come from a file: `SECRET_KEY_FILE=/run/secrets/key` reads the
key from that file, so secrets need not sit in the process environment.
"""

import os
from pathlib import Path


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def env_bool(name: str, default: bool = False) -> bool:
    """A switch. Anything but the documented spellings is refused: a typo such as
    `DEBUG=ture` must stop the process, not silently mean false."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    spelled = value.strip().lower()
    if spelled not in TRUE | FALSE:
        raise ValueError(f"{name}={value!r}: write 1, true, yes or on; or 0, false, no or off")
    return spelled in TRUE


def env_choice(name: str, choices: set[str], default: str) -> str:
    value = os.environ.get(name) or default
    if value not in choices:
        raise ValueError(f"{name}={value!r}: write one of {', '.join(sorted(choices))}")
    return value


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name: str) -> str:
    """The secret named `name`, from `NAME` or from the file named by `NAME_FILE`."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, "")
