"""Accounts. Usernames are case-folded so "Amine" and "amine" cannot both register."""

from datetime import datetime

from beanie import Document
from pydantic import Field
from pymongo import ASCENDING, IndexModel

from models.clock import utcnow


class User(Document):
    username: str
    email: str
    password_hash: str
    is_staff: bool = False
    created_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "users"
        indexes = [
            IndexModel([("username", ASCENDING)], unique=True, name="username_unique"),
            IndexModel([("email", ASCENDING)], unique=True, name="email_unique"),
        ]

    @staticmethod
    def fold(username: str) -> str:
        return username.strip().casefold()

    @classmethod
    async def by_username(cls, username: str) -> "User | None":
        """The account with this username, however it is capitalised."""
        return await cls.find_one({"username": cls.fold(username)})

    @classmethod
    async def by_email(cls, email: str) -> "User | None":
        """The account with this email (stored lower-cased)."""
        return await cls.find_one({"email": email.strip().lower()})
