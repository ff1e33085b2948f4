"""Export (``?format=json|md``) and import of conversations; the formats live in api/transfer.py."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.text import slugify

from api import transfer
from api.endpoint import Call, operation
from api.limits import max_import_bytes
from api.views.conversations import owned
from chat.branches import active_branch
from chat.model_choice import default_model
from chat.payloads import conversation_out
from contract.documents import ConversationOut
from contract.export import ExportDoc
from contract.http import ExportQuery


@operation(
    "GET",
    summary="Export a conversation: JSON (every branch, re-importable) or Markdown (active branch)",
    query=ExportQuery,
    response=ExportDoc,
    alt_content={"text/markdown": {"schema": {"type": "string"}}},
)
async def export_conversation(call: Call[None, ExportQuery]) -> HttpResponse:
    conversation = await owned(call)
    name = slugify(conversation.title)[:60] or "conversation"
    if call.query.format == "md":
        _tree, branch = await active_branch(conversation)
        body = transfer.markdown(conversation, branch, await default_model())
        response = HttpResponse(body, content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.md"'
        return response
    doc = await transfer.export_doc(conversation)
    response = HttpResponse(doc.model_dump_json(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


@operation(
    "POST",
    summary="Import a JSON export as a new conversation (new ids; you own it)",
    body=ExportDoc,
    response=ConversationOut,
    status=201,
    body_limit=max_import_bytes(),
)
async def import_conversation(call: Call[ExportDoc, None]) -> ConversationOut:
    return conversation_out(await transfer.import_doc(call.body, call.me_id))
