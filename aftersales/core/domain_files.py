"""Registries that modules fill from a file of a known name (evidence.py, figures.py,
calendar_clocks.py) load those files by name: the registry's owner sits below the modules
that register, so it must not import them."""

import importlib
import importlib.util

from aftersales.config import DOMAINS


def import_each(file_name: str) -> None:
    """Import `aftersales.<domain>.<file_name>` of every domain that has one."""
    for domain in DOMAINS:
        module = f"aftersales.{domain}.{file_name}"
        if importlib.util.find_spec(module):
            importlib.import_module(module)
