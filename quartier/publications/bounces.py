"""Reading bounce reports (RFC 3464 delivery status notifications) from a mailbox.

`reports(message)` yields (address, permanent) for each failed recipient a DSN names:
`Action: failed` with a 5.x.x status is permanent, a 4.x.x status or `Action: delayed` is
temporary. Mails that are not DSNs yield nothing (auto-replies are not bounces).
"""

from __future__ import annotations

from collections.abc import Iterator
from email.message import Message


def reports(message: Message) -> Iterator[tuple[str, bool]]:
    if message.get_content_type() != "multipart/report":
        return
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        # The status part is a series of header blocks: one per message, one per recipient.
        blocks = part.get_payload()
        if not isinstance(blocks, list):
            continue
        for block in blocks:
            recipient = block.get("Final-Recipient") or block.get("Original-Recipient") or ""
            action = (block.get("Action") or "").strip().lower()
            status = (block.get("Status") or "").strip()
            if ";" not in recipient or action not in {"failed", "delayed"}:
                continue
            address = recipient.split(";", 1)[1].strip().strip("<>")
            yield address, action == "failed" and status.startswith("5")
