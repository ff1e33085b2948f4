"""The only code that speaks to MongoDB: Beanie documents and their queries."""

from models.activation import Activation
from models.audit import AuditEntry
from models.conversation import Conversation
from models.database import DOCUMENTS, close_db, init_db
from models.eval_score import EvalScore
from models.message import Message, MessageEnding, MessageStatus
from models.model_version import ModelVersion, ModelVersionStatus
from models.search_entry import SearchEntry
from models.session import Session
from models.site_settings import SiteSettings
from models.stored import stored_id
from models.token import ApiToken
from models.training_exclusion import TrainingExclusion
from models.training_run import RunStatus, TrainingRun
from models.user import User
from models.worker_heartbeat import WorkerHeartbeat

__all__ = [
    "DOCUMENTS",
    "Activation",
    "ApiToken",
    "AuditEntry",
    "Conversation",
    "EvalScore",
    "Message",
    "MessageEnding",
    "MessageStatus",
    "ModelVersion",
    "ModelVersionStatus",
    "RunStatus",
    "SearchEntry",
    "Session",
    "SiteSettings",
    "TrainingExclusion",
    "TrainingRun",
    "User",
    "WorkerHeartbeat",
    "close_db",
    "init_db",
    "stored_id",
]
