"""Server-wide settings staff change from the admin page: one document, read where it matters
(sign-up reads ``signup_open`` on every attempt), so every process sees a change at once."""

from __future__ import annotations

from typing import ClassVar

from beanie import Document
from pymongo import ReturnDocument


class SiteSettings(Document):
    id: str = "site"  # type: ignore[assignment]  # the one document
    signup_open: bool = True

    ONE: ClassVar[str] = "site"

    class Settings:
        name = "site_settings"

    @classmethod
    async def current(cls) -> SiteSettings:
        """The settings as stored; the defaults when staff never changed any."""
        return await cls.find_one({"_id": cls.ONE}) or cls()

    @classmethod
    async def set_signup_open(cls, value: bool) -> bool:
        """Open or close sign-up; whether this changed it (the audit records only real changes)."""
        before = await cls.get_pymongo_collection().find_one_and_update(
            {"_id": cls.ONE}, {"$set": {"signup_open": value}}, upsert=True, return_document=ReturnDocument.BEFORE
        )
        return (before or {}).get("signup_open", cls().signup_open) != value
