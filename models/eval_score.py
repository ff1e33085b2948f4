"""The active model's bits per byte on a held-out set, cached: the activation gate compares a
version's score with the active model's on the same held-out rows, and scoring the active model
again for every version would cost a full evaluation each time."""

from __future__ import annotations

from datetime import datetime

from beanie import Document
from pydantic import Field
from pymongo import ASCENDING, IndexModel

from models.clock import utcnow


class EvalScore(Document):
    heldout_set: str  # sha256 of the held-out file (var/finetune/heldout/<sha256>.jsonl)
    model: str  # the Ollama name of the model scored
    bpb: float
    rows: int
    at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "eval_scores"
        indexes = [IndexModel([("heldout_set", ASCENDING), ("model", ASCENDING)], unique=True, name="set_model")]

    @classmethod
    async def store(cls, heldout_set: str, model: str, bpb: float, rows: int) -> None:
        await cls.get_pymongo_collection().update_one(
            {"heldout_set": heldout_set, "model": model},
            {"$set": {"bpb": bpb, "rows": rows, "at": utcnow()}},
            upsert=True,
        )

    @classmethod
    async def of(cls, heldout_set: str, model: str) -> EvalScore | None:
        return await cls.find_one({"heldout_set": heldout_set, "model": model})
