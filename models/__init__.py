"""The only code that speaks to MongoDB: Beanie documents and their queries."""

from models.audit import AuditEntry
from models.conversation import Conversation
from models.database import DOCUMENTS, close_db, init_db
from models.message import Message, MessageEnding, MessageStatus
from models.model_version import ModelVersion, ModelVersionStatus
from models.session import Session
from models.stored import stored_id
from models.token import ApiToken
from models.user import User

__all__ = [
    "DOCUMENTS",
    "ApiToken",
    "AuditEntry",
    "Conversation",
    "Message",
    "MessageEnding",
    "MessageStatus",
    "ModelVersion",
    "ModelVersionStatus",
    "Session",
    "User",
    "close_db",
    "init_db",
    "stored_id",
]
