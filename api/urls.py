"""JSON API routes; the paths are a contract (DESIGN.md, HTTP). Anything else under /api/ gets a JSON
404 from the catch-all at the end, never Django's HTML page."""

from django.urls import path, re_path

from api import openapi
from api.endpoint import resource
from api.fallback import no_such_endpoint
from api.views import (
    account,
    admin_audit,
    admin_dataset,
    admin_runs,
    admin_users,
    admin_versions,
    auth,
    conversations,
    feedback,
    models,
    search,
    tokens,
    transfer,
)

urlpatterns = [
    path("auth/register", resource(auth.register)),
    path("auth/login", resource(auth.login)),
    path("auth/logout", resource(auth.logout)),
    path("auth/logout-everywhere", resource(auth.logout_everywhere)),
    path("auth/me", resource(auth.me, auth.update_me, account.delete_account)),
    path("auth/me/export", resource(account.export_account)),
    path("auth/password", resource(auth.change_password)),
    path("tokens", resource(tokens.list_tokens, tokens.create_token)),
    path("tokens/<str:token_id>", resource(tokens.revoke_token)),
    path("conversations", resource(conversations.list_conversations)),
    path("conversations/import", resource(transfer.import_conversation)),
    path(
        "conversations/<str:conversation_id>",
        resource(conversations.get_conversation, conversations.update_conversation, conversations.delete_conversation),
    ),
    path("conversations/<str:conversation_id>/messages", resource(conversations.conversation_messages)),
    path("conversations/<str:conversation_id>/export", resource(transfer.export_conversation)),
    path("messages/<str:message_id>/feedback", resource(feedback.rate_message)),
    path("models", resource(models.list_models)),
    path("search", resource(search.search_conversations)),
    path("admin/model-versions", resource(admin_versions.list_versions, admin_versions.create_version)),
    path("admin/model-versions/<str:version_id>", resource(admin_versions.retire_version)),
    path("admin/model-versions/<str:version_id>/activate", resource(admin_versions.activate_version)),
    path("admin/model-versions/<str:version_id>/rollback", resource(admin_versions.rollback_version)),
    path("admin/model-versions/<str:version_id>/picks", resource(admin_versions.pick_version)),
    path("admin/audit", resource(admin_audit.list_audit)),
    path("admin/users", resource(admin_users.list_users)),
    path("admin/users/<str:user_id>", resource(admin_users.update_user)),
    path("admin/users/<str:user_id>/export", resource(admin_users.export_user)),
    path("admin/settings", resource(admin_users.get_settings, admin_users.update_settings)),
    path("admin/presets", resource(admin_runs.list_presets)),
    path("admin/training-runs", resource(admin_runs.list_runs, admin_runs.start_run)),
    path("admin/training-runs/<str:run_id>", resource(admin_runs.get_run)),
    path("admin/training-runs/<str:run_id>/cancel", resource(admin_runs.cancel_run)),
    path("admin/dataset", resource(admin_dataset.dataset_counts)),
    path("admin/dataset/rows", resource(admin_dataset.dataset_rows)),
    path(
        "admin/dataset/rows/<str:message_id>/exclusion",
        resource(admin_dataset.exclude_row, admin_dataset.include_row),
    ),
    path("admin/dataset/rows/<str:message_id>/account", resource(admin_dataset.row_account)),
    path("openapi.json", resource(openapi.openapi_json)),
    re_path(r"^.*$", no_such_endpoint),
]
