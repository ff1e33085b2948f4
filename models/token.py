"""API tokens for non-browser clients. Only the sha256 is stored; the token is shown once."""

from datetime import datetime

from beanie import Document, PydanticObjectId
from pydantic import Field
from pymongo import ASCENDING, DESCENDING, IndexModel

from models.clock import utcnow


class ApiToken(Document):
    user_id: PydanticObjectId
    token_sha256: str
    name: str
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    class Settings:
        name = "api_tokens"
        indexes = [
            IndexModel([("token_sha256", ASCENDING)], unique=True, name="token_sha256_unique"),
            IndexModel([("user_id", ASCENDING), ("created_at", DESCENDING)], name="user_created"),
        ]
