"""pytest plugin for tests/mutate.py: runs the selected tests once per mutant in one process.

For each mutant of the target (QUARTIER_MUTATE, a label of tests.mutate.TARGETS) the mutated
module is compiled apart and the rule functions' code objects are swapped for the mutant's (the
module's globals stay); the tests run until the first failure; the code is put back. The list
of (line, mutation, killed) goes to QUARTIER_MUTATE_OUT. Nothing runs unless the tests pass on
the unmutated code first.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os

import pytest
from _pytest.runner import runtestprotocol

from tests.mutate import TARGETS, mutants


def _run_all(session: pytest.Session) -> bool:
    """Run every item; True when all passed (stops at the first failure)."""
    items = session.items
    for index, item in enumerate(items):
        # The next item (or the first again) keeps module and session fixtures alive.
        following = items[index + 1] if index + 1 < len(items) else items[0]
        reports = runtestprotocol(item, log=False, nextitem=following)
        if any(report.failed for report in reports):
            return False
    return True


def pytest_runtestloop(session: pytest.Session) -> bool:
    label = os.environ["QUARTIER_MUTATE"]
    target = next(t for t in TARGETS if t.label == label)
    module_name = target.path.removesuffix(".py").replace("/", ".")
    module = importlib.import_module(module_name)
    functions = {name: inspect.unwrap(getattr(module, name)) for name in target.functions}
    originals = {name: function.__code__ for name, function in functions.items()}
    if not _run_all(session):
        session.shouldfail = "the tests fail without a mutant"
        return True
    outcome = []
    for line, description, source in mutants(target):
        namespace = {"__name__": module_name + "_mutant", "__file__": module.__file__}
        exec(compile(source, module.__file__, "exec"), namespace)
        try:
            for name, function in functions.items():
                function.__code__ = inspect.unwrap(namespace[name]).__code__
            killed = not _run_all(session)
        finally:
            for name, function in functions.items():
                function.__code__ = originals[name]
        print(f"  {target.path}:{line} {description}: {'killed' if killed else 'SURVIVED'}")
        outcome.append((line, description, killed))
    with open(os.environ["QUARTIER_MUTATE_OUT"], "w") as out:
        json.dump(outcome, out)
    return True
