"""What the next training run would learn from (staff only): counts by source, the rows themselves
without account names, exclusions, and revealing one row's account on purpose (audited).

Sources: ``chat_rated`` (👍 answers), ``chat_edited`` (answers a user corrected by hand),
``translation`` (translation/ output files in the server's translations folder),
``preference_pairs`` (a 👎 answer with a 👍 or corrected sibling). finetune/chat_selection.py decides,
for these counts and for ``python -m finetune dataset`` alike.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from contract.documents import Out
from contract.http import Query

DatasetSource = Literal["chat_rated", "chat_edited", "translation", "preference_pairs"]


class DatasetCountsQuery(Query):
    since: datetime | None = Field(
        None,
        description="Count `new` rows from this time; default: the start of the last succeeded training run.",
    )


class DatasetCountsOut(Out):
    chat_rated: int = Field(description="👍 answers that would be training rows.")
    chat_edited: int = Field(description="Answers corrected by hand that would be training rows.")
    translation: int = Field(description="Usable records of the translation files in `translations_folder`.")
    preference_pairs: int = Field(description="👎 answers with a 👍 or corrected sibling.")
    excluded: int = Field(description="Rows and pairs staff excluded (listed with `excluded: true`).")
    opted_out: int = Field(description="Rows and pairs left out because their author opted out of training.")
    skipped: dict[str, int] = Field(description="Every other answer left out, by reason.")
    new: int = Field(description="Chat rows and pairs that became training data at or after `new_since`.")
    new_since: datetime | None = Field(description="Null: no training run has succeeded yet (everything is new).")
    translations_folder: str = Field(
        description="Where the server looks for translation files (`HADRA_TRANSLATIONS_DIR`, default "
        "`var/translations`): every `*.jsonl` there but `*.failed*.jsonl` and `*.dropped.jsonl`."
    )


class DatasetRowsQuery(Query):
    source: DatasetSource | None = Field(
        None, description="Only rows of this source; all chat rows and pairs when absent."
    )
    cursor: Annotated[str, StringConstraints(max_length=200)] = Field(
        "", description="`next_cursor` of the previous page; empty for the first page."
    )
    limit: int = Field(50, ge=1, le=200)


class DatasetTurnOut(Out):
    role: Literal["system", "user", "assistant"]
    content: str


class DatasetRowOut(Out):
    source: DatasetSource
    message_id: str | None = Field(description="The answer (the 👎 answer of a pair); null for a translation record.")
    conversation_id: str | None
    origin: str = Field(description="The message id, or file:line of a translation record.")
    prompt: list[DatasetTurnOut] = Field(description="What the model is shown: system prompt (if any) and turns.")
    answer: str = Field(description="What it learns to say (a pair's better answer).")
    rejected: str | None = Field(description="A pair's 👎 answer; null for other rows.")
    excluded: bool = Field(description="Staff excluded it: no run trains on it until it is included again.")
    at: datetime | None = Field(description="When it became training data (the answer, or its rating when later).")


class DatasetRowsOut(Out):
    rows: list[DatasetRowOut] = Field(description="Newest first; translation records in file order.")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class ExclusionOut(Out):
    message_id: str
    excluded: bool


class RowAccountOut(Out):
    message_id: str
    user_id: str
    username: str | None = Field(description="Null when the account no longer exists.")
