"""The contract as one JSON Schema document: the source of the web app's generated TypeScript
types (``web/src/contract.ts``, see ``make contract``) and of the OpenAPI components.

What clients send is described as validated (fields with defaults may be left out); what the server
sends as serialised (every field present), which is what each side can rely on.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import TypeAdapter

from contract import admin_dataset, admin_users, admin_versions, export, frames, http, training
from contract.errors import ErrorCode, ErrorInfo

Mode = Literal["validation", "serialization"]

# Name in the schema → (the type, how it is read). The web app imports these names.
ENTRIES: dict[str, tuple[Any, Mode]] = {
    "ClientFrame": (frames.ClientFrame, "validation"),
    "ServerFrame": (frames.ServerFrame, "serialization"),
    "ErrorCode": (ErrorCode, "serialization"),
    "ErrorInfo": (ErrorInfo, "serialization"),
    "ErrorReply": (http.ErrorReply, "serialization"),
    "ExportDoc": (export.ExportDoc, "serialization"),
    "AccountExportDoc": (export.AccountExportDoc, "serialization"),
}
_HTTP_REPLIES = [
    http.MeOut,
    http.UserOut,
    http.TokenCreatedOut,
    http.TokenListOut,
    http.ConversationPageOut,
    http.BranchOut,
    http.SearchOut,
    admin_versions.ModelsOut,
    admin_versions.ModelVersionListOut,
    admin_versions.ModelVersionOut,
    admin_versions.ActivationOut,
    admin_versions.AuditPageOut,
    training.PresetListOut,
    training.TrainingRunOut,
    training.TrainingRunListOut,
    admin_users.AdminUserPageOut,
    admin_users.AdminUserOut,
    admin_users.SiteSettingsOut,
    admin_dataset.DatasetCountsOut,
    admin_dataset.DatasetRowsOut,
    admin_dataset.ExclusionOut,
    admin_dataset.RowAccountOut,
]
_HTTP_REQUESTS = [
    http.RegisterIn,
    http.LoginIn,
    http.PasswordChangeIn,
    http.TokenIn,
    http.ConversationPatch,
    http.FeedbackIn,
    admin_versions.ModelVersionIn,
    admin_versions.ActivateIn,
    admin_versions.PickIn,
    training.TrainingRunIn,
    http.MePatch,
    http.AccountDeleteIn,
    admin_users.AdminUserPatch,
    admin_users.SiteSettingsPatch,
]


def _entries() -> dict[str, tuple[Any, Mode]]:
    entries = dict(ENTRIES)
    entries.update({model.__name__: (model, "serialization") for model in _HTTP_REPLIES})
    entries.update({model.__name__: (model, "validation") for model in _HTTP_REQUESTS})
    return entries


def contract_schema() -> dict[str, Any]:
    """One document: each entry a property of the root (so generators name it), shared ``$defs``."""
    entries = _entries()
    keyed = [(name, mode, TypeAdapter(type_)) for name, (type_, mode) in entries.items()]
    refs, top = TypeAdapter.json_schemas(keyed, ref_template="#/$defs/{model}")
    defs: dict[str, Any] = top.get("$defs", {})
    properties = {}
    for (name, _mode), ref in refs.items():
        if "$ref" not in ref:  # an inline union (the frame unions): give it a name of its own
            defs[name] = ref
            ref = {"$ref": f"#/$defs/{name}"}
        properties[name] = ref
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "HadraContract",
        "description": "Every frame, HTTP body and error code between hadra's server and its clients.",
        "type": "object",
        "properties": properties,
        "required": sorted(properties),
        "additionalProperties": False,
        "$defs": dict(sorted(defs.items())),
    }


def main() -> None:
    print(json.dumps(contract_schema(), indent=2, ensure_ascii=False, sort_keys=False))
