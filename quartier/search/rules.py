"""Who may use what. The search, the map and their APIs are public. The guided search
("Passgenaue Hilfe") is a tool for professionals: admins and users with a back-office role
(editor, coordinator, planner). Residents use the plain search, which finds the same offers."""

import rules

from quartier.accounts.rules import is_staff_member

rules.add_perm("search.use_guided_search", is_staff_member)
