"""Accounts. Usernames are case-folded so "Amine" and "amine" cannot both register."""

from datetime import datetime

from beanie import Document, PydanticObjectId, SortDirection
from pydantic import Field, field_validator
from pymongo import ASCENDING, IndexModel

from contract.documents import ModelNote, from_legacy_note
from contract.fields import Language, Theme
from models.clock import utcnow

# Past every character of a username (ASCII letters, digits, "_", "." and "-"): ends a prefix's range.
_AFTER_ANY_CHARACTER = "\x7f"


class User(Document):
    username: str
    email: str
    password_hash: str
    is_staff: bool = False
    # Disabled by staff: signed in nowhere, no sign-in, no tokens (access/ refuses it everywhere).
    disabled: bool = False
    # The user's own choice: their conversations are never used to train a model (finetune/ reads it).
    exclude_from_training: bool = False
    # The owner's settings: the interface (None: the browser's languages), and what new conversations
    # start with (None: the server's default model, which follows what the admin activates).
    language: Language | None = None
    theme: Theme = "system"
    default_model: str | None = None
    default_system_prompt: str = ""
    # Set when the pinned default model was retired and the account went back to the server's default.
    default_model_notice: ModelNote | None = None
    created_at: datetime = Field(default_factory=utcnow)

    _legacy_notice = field_validator("default_model_notice", mode="before")(from_legacy_note)

    class Settings:
        name = "users"
        indexes = [
            IndexModel([("username", ASCENDING)], unique=True, name="username_unique"),
            IndexModel([("email", ASCENDING)], unique=True, name="email_unique"),
            IndexModel([("is_staff", ASCENDING)], name="staff"),
            IndexModel([("exclude_from_training", ASCENDING)], name="exclude_from_training"),
            # Accounts pinned to a model that is being retired.
            IndexModel([("default_model", ASCENDING)], name="default_model"),
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

    @classmethod
    async def page_by_username(cls, after: str, prefix: str, limit: int) -> tuple[list["User"], bool]:
        """One page of the admin's account list: usernames in order (index username_unique), those
        after ``after`` that start with ``prefix`` (folded like usernames); and whether more follow."""
        prefix = cls.fold(prefix)
        bounds: dict[str, str] = {"$gt": after} if after >= prefix else {"$gte": prefix}
        if prefix:
            bounds["$lt"] = prefix + _AFTER_ANY_CHARACTER
        found = (
            await cls.find({"username": bounds})
            .sort([("username", SortDirection.ASCENDING)])
            .limit(limit + 1)
            .to_list()
        )
        return found[:limit], len(found) > limit

    @classmethod
    async def active_staff_count(cls) -> int:
        """Staff accounts that can sign in (index staff; the disabled ones are few, dropped here)."""
        return len([user async for user in cls.find({"is_staff": True}) if not user.disabled])

    @classmethod
    async def excluded_from_training_ids(cls) -> set[PydanticObjectId]:
        """The accounts whose owners excluded their conversations from training (index
        exclude_from_training): the dataset builder leaves every row of theirs out."""
        found = cls.get_pymongo_collection().find({"exclude_from_training": True}, {"_id": 1})
        return {PydanticObjectId(raw["_id"]) async for raw in found}

    @classmethod
    async def move_off_model(cls, names: list[str], note: ModelNote) -> int:
        """Accounts whose default is one of ``names`` (a retired model) go back to the server's
        default, with ``note`` saying so (index default_model); how many moved."""
        result = await cls.get_pymongo_collection().update_many(
            {"default_model": {"$in": names}},
            {"$set": {"default_model": None, "default_model_notice": note.model_dump()}},
        )
        return result.modified_count
