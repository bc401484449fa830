"""Mutation testing of the rule modules: `make mutation` (python -m tests.mutate).

Each mutant changes one thing in one rule function (a comparison turned around, `and` for
`or`, a `not` dropped, a number off by one, a keyword of a query's filter or a whole
`.filter(...)` left out) and runs that rule's tests; a mutant the tests do not fail on
survived, which is a missing test. Small on purpose: the functions that decide who is a public
contact and what the public APIs show (privacy) and whether a room or a place may be taken
(booking), each with the tests that guard it. The files are not touched: one pytest process per
target swaps each function's code object for the mutant's (tests/mutate_plugin.py) and runs
the tests again, so the database is set up once per target.

mutmut was tried first: with the project installed in editable mode its copies of the sources
were never the ones imported, so no mutant ran.

    python -m tests.mutate            # all targets
    python -m tests.mutate booking    # targets whose label contains "booking"
"""

from __future__ import annotations

import ast
import copy
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Target:
    label: str
    path: str
    functions: tuple[str, ...]
    tests: tuple[str, ...]


TARGETS = (
    Target(
        "privacy: public contact rule",
        "quartier/directory/selectors.py",
        ("public_positions", "is_public_contact", "contact_card", "public_contact_cards"),
        ("tests/offers/test_public_contacts.py", "tests/directory/test_api.py"),
    ),
    Target(
        "privacy: HSDS contacts",
        "quartier/api/hsds/export.py",
        ("_add_contacts",),
        ("tests/offers/test_public_contacts.py", "tests/hsds/test_api.py"),
    ),
    Target(
        "privacy: OParl people",
        "quartier/api/oparl/selectors.py",
        ("public_delegations", "public_people"),
        ("tests/oparl/test_api.py", "tests/oparl/test_edges.py"),
    ),
    Target(
        "privacy: network contacts",
        "quartier/networks/selectors.py",
        ("public_body_contacts",),
        ("tests/networks/test_views.py",),
    ),
    Target(
        "booking: room rules",
        "quartier/venues/booking_checks.py",
        ("check_shape", "check_rules"),
        ("tests/venues/test_services.py",),
    ),
    Target(
        "booking: slots",
        "quartier/venues/slots.py",
        ("is_aligned", "cells", "within_opening_hours", "touches_closing_days"),
        ("tests/venues/test_slots.py", "tests/venues/test_services.py"),
    ),
    Target(
        "booking: event places",
        "quartier/events/services.py",
        (
            "_free_seats",
            "_take_place",
            "registration_create",
            "registration_confirm",
            "registration_cancel",
        ),
        ("tests/events/test_services.py", "tests/events/test_confirmation.py"),
    ),
)

SWAP = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
QUERY_METHODS = {"filter", "exclude"}


def _mutations(node: ast.AST) -> list[tuple[str, callable]]:
    """(description, apply) for each way to change this node; apply edits it in place."""
    found: list[tuple[str, callable]] = []
    if isinstance(node, ast.Compare):
        for index, op in enumerate(node.ops):
            if type(op) in SWAP:
                new = SWAP[type(op)]

                def apply(n, index=index, new=new):
                    n.ops[index] = new()

                found.append((f"{type(op).__name__} -> {new.__name__}", apply))
    elif isinstance(node, ast.BoolOp):
        other = ast.Or if isinstance(node.op, ast.And) else ast.And
        found.append(
            (f"{type(node.op).__name__} -> {other.__name__}", lambda n: setattr(n, "op", other()))
        )
    elif isinstance(node, ast.Constant) and type(node.value) is int:
        found.append(
            (f"{node.value} -> {node.value + 1}", lambda n: setattr(n, "value", n.value + 1))
        )
    elif isinstance(node, ast.Constant) and type(node.value) is bool:
        found.append(
            (f"{node.value} -> {not node.value}", lambda n: setattr(n, "value", not n.value))
        )
    elif _query_call(node):
        for index, keyword in enumerate(node.keywords):

            def drop(n, index=index):
                del n.keywords[index]

            found.append((f".{node.func.attr}() without {keyword.arg}=", drop))
    return found


def _query_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in QUERY_METHODS
    )


def _unary_not(node: ast.AST) -> bool:
    return isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)


class _Replace(ast.NodeTransformer):
    """Replaces the node at a walk position: `not x` by `x`, `q.filter(...)` by `q`."""

    def __init__(self, target: int, kind: str) -> None:
        self.target, self.kind, self.position = target, kind, -1

    def visit(self, node):
        self.position += 1
        if self.position == self.target:
            if self.kind == "not":
                return node.operand
            return node.func.value  # drop the .filter()/.exclude() call
        return super().visit(node)


def mutants(target: Target) -> list[tuple[int, str, str]]:
    """(line, description, mutated source) of every mutant of the target's functions."""
    source = (ROOT / target.path).read_text(encoding="utf-8")
    tree = ast.parse(source)
    functions = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name in target.functions
    ]
    inside = {id(child) for function in functions for child in ast.walk(function)}
    result = []
    for position, node in enumerate(ast.walk(tree)):
        if id(node) not in inside:
            continue
        for description, apply in _mutations(node):
            mutated = copy.deepcopy(tree)
            apply(list(ast.walk(mutated))[position])
            result.append((node.lineno, description, ast.unparse(mutated)))
    # Whole-node replacements (need the parent): visit order of NodeTransformer is pre-order,
    # which ast.walk is not; count positions in the transformer's own order.
    order = []

    class _Order(ast.NodeVisitor):
        def visit(self, node):
            order.append(node)
            super().visit(node)

    _Order().visit(tree)
    for position, node in enumerate(order):
        if id(node) not in inside:
            continue
        kind = None
        if _unary_not(node):
            kind, description = "not", "not x -> x"
        elif _query_call(node):
            kind, description = "call", f".{node.func.attr}(...) left out"
        if kind:
            mutated = _Replace(position, kind).visit(copy.deepcopy(tree))
            result.append((node.lineno, description, ast.unparse(mutated)))
    return result


def run(target: Target, timeout: int = 3600) -> tuple[int, list[str]]:
    """All mutants of a target in one pytest process (tests/mutate_plugin.py swaps each rule
    function's code in turn), so the database is set up once, not once per mutant."""
    results = ROOT / "var" / "mutation-results.json"
    results.parent.mkdir(exist_ok=True)
    results.unlink(missing_ok=True)
    env = {**os.environ, "QUARTIER_MUTATE": target.label, "QUARTIER_MUTATE_OUT": str(results)}
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p",
         "tests.mutate_plugin", *target.tests],
        cwd=ROOT, env=env, timeout=timeout, check=False,
    )  # fmt: skip
    if not results.exists():
        raise SystemExit(f"{target.label}: the tests did not pass unmutated, or pytest failed")
    outcome = json.loads(results.read_text())
    survived = [f"{target.path}:{line} {what}" for line, what, killed in outcome if not killed]
    return len(outcome), survived


def main(argv: list[str]) -> int:
    chosen = [t for t in TARGETS if not argv or any(word in t.label for word in argv)]
    rows, all_survived = [], []
    for target in chosen:
        print(f"{target.label} ({target.path})", flush=True)
        total, survived = run(target)
        rows.append((target.label, total, total - len(survived)))
        all_survived += survived
    print("\n| rules | mutants | killed | score |\n|---|---|---|---|")
    for label, total, killed in rows:
        print(
            f"| {label} | {total} | {killed} | {killed / total:.0%} |"
            if total
            else f"| {label} | 0 | 0 | – |"
        )
    total = sum(r[1] for r in rows)
    killed = sum(r[2] for r in rows)
    if total:
        print(f"| all | {total} | {killed} | {killed / total:.0%} |")
    if all_survived:
        print("\nSurvived (each is a missing test):\n" + "\n".join(all_survived))
    return 1 if all_survived else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
