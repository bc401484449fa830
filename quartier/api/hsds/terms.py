"""Our taxonomy's hierarchy and its mapping onto the exchange taxonomy, as the HSDS API uses them.

An offer filed under a term is also under every broader term, and under every exchange term
that term (or a broader one of ours) is mapped onto as the same or a broader meaning
(TermMapping relations "exact" and "broader"). "narrower" and "related" mappings do not carry
an offer over: an offer about the source need not be about the target. The API shows those
exchange terms as the service's attributes and finds the service by them; both read the
same two small tables, loaded whole (two queries).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from quartier.offers.models import TaxonomyTerm, TermMapping

CARRIED = (TermMapping.Relation.EXACT, TermMapping.Relation.BROADER)


@dataclass
class Terms:
    parents: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    children: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=dict)
    targets: dict[uuid.UUID, set[uuid.UUID]] = field(default_factory=dict)
    sources: dict[uuid.UUID, set[uuid.UUID]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Terms:
        terms = cls()
        for pk, parent in TaxonomyTerm.objects.filter(parent__isnull=False).values_list(
            "pk", "parent_id"
        ):
            terms.parents[pk] = parent
            terms.children.setdefault(parent, []).append(pk)
        for source, target in TermMapping.objects.filter(relation__in=CARRIED).values_list(
            "source_id", "target_id"
        ):
            terms.targets.setdefault(source, set()).add(target)
            terms.sources.setdefault(target, set()).add(source)
        return terms

    def below(self, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        """These terms and every term below them."""
        found = set(ids)
        todo = list(found)
        while todo:
            for child in self.children.get(todo.pop(), ()):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found

    def up(self, term: uuid.UUID) -> list[uuid.UUID]:
        """The term and its broader terms (a cycle in bad data ends the walk)."""
        chain = [term]
        while (parent := self.parents.get(chain[-1])) is not None and parent not in chain:
            chain.append(parent)
        return chain

    def implied(self, topics: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        """The exchange terms that offers filed under `topics` are under."""
        found: set[uuid.UUID] = set()
        for topic in topics:
            for term in self.up(topic):
                found |= self.targets.get(term, set())
        return found

    def mapped(self, topics: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        """The implied exchange terms that are not among the topics themselves."""
        topics = set(topics)
        return self.implied(topics) - topics

    def matching(self, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        """The topics under which an offer counts as filed under one of `ids`: the terms and
        those below them, and the terms of ours mapped onto any of those, with theirs below."""
        wanted = self.below(ids)
        sources = set().union(*(self.sources.get(term, set()) for term in wanted))
        return wanted | self.below(sources)
