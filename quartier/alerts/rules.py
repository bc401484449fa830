from __future__ import annotations

import rules


@rules.predicate
def is_owner(user, subscription) -> bool:
    return bool(
        subscription is not None and user.is_authenticated and subscription.user_id == user.pk
    )


# Anyone may subscribe (by e-mail with double opt-in); only the owner manages a subscription
# by account. Signed links (tokens.py) stand in for the owner where no account exists.
rules.add_perm("alerts.add_subscription", rules.always_allow)
rules.add_perm("alerts.delete_subscription", is_owner)
