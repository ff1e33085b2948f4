"""One account's data in the ``hadra.account`` export format: what its owner downloads
(``GET /api/auth/me/export``), what staff download for a data request
(``GET /api/admin/users/{id}/export``) and what operators write with ``manage export_user``.
One builder, so the three are always the same file."""

from __future__ import annotations

from django.http import HttpResponse

from api import transfer
from contract.export import AccountExportAccount, AccountExportDoc
from models import Conversation, User, stored_id
from models.clock import utcnow


async def account_export(user: User) -> AccountExportDoc:
    """The account's settings and every conversation of it, every branch (each re-imports)."""
    return AccountExportDoc(
        format="hadra.account",
        version=1,
        exported_at=utcnow(),
        account=AccountExportAccount(
            username=user.username,
            email=user.email,
            created_at=user.created_at,
            language=user.language,
            theme=user.theme,
            default_model=user.default_model,
            default_system_prompt=user.default_system_prompt,
            exclude_from_training=user.exclude_from_training,
        ),
        conversations=[await transfer.export_doc(c) for c in await Conversation.all_of(stored_id(user))],
    )


def download(doc: AccountExportDoc) -> HttpResponse:
    """The export as a file download named ``hadra-USERNAME-YYYY-MM-DD.json``: whose data it is and
    when it was taken."""
    response = HttpResponse(doc.model_dump_json(), content_type="application/json")
    name = f"hadra-{doc.account.username}-{doc.exported_at:%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
