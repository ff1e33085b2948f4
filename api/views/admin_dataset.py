"""Staff only: what the next training run would learn from. The counts and rows come from
finetune/chat_selection.py, the same code ``python -m finetune dataset`` runs, so the page never
disagrees with the run. Rows carry no account names; revealing a row's account is a separate,
audited request. Exclusions are remembered (models.TrainingExclusion) and honoured by every build.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from beanie import SortDirection

from api import cursors
from api.endpoint import Call, operation
from contract.admin_dataset import (
    DatasetCountsOut,
    DatasetCountsQuery,
    DatasetRowOut,
    DatasetRowsOut,
    DatasetRowsQuery,
    DatasetSource,
    DatasetTurnOut,
    ExclusionOut,
    RowAccountOut,
)
from contract.errors import not_found
from finetune.chat_selection import EDITED, EXCLUDED, OPTED_OUT, RATED, ChatRow, ChatSelection, PairRow, select
from finetune.errors import FinetuneError
from finetune.examples import prompt_messages
from finetune.sources import (
    DEFAULT_SYSTEM_PROMPT,
    SourceResult,
    translation_examples,
    translation_files,
    translation_folder,
)
from models import AuditEntry, Message, RunStatus, TrainingExclusion, TrainingRun, User

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SOURCES: dict[str, DatasetSource] = {RATED: "chat_rated", EDITED: "chat_edited"}
# Sort key of a listed row: (milliseconds, id, source), newest first; translation records come
# after every chat row, in file order (negative positions).
Key = tuple[int, str, str]


def _translations() -> list[SourceResult]:
    results = []
    for path in translation_files():
        try:
            results.append(translation_examples(path, DEFAULT_SYSTEM_PROMPT))
        except FinetuneError:
            continue  # removed between the listing and the read
    return results


async def _last_success() -> datetime | None:
    """When the last succeeded training run started (its dataset was built from then on)."""
    runs = (
        await TrainingRun.find({"status": RunStatus.SUCCEEDED.value})
        .sort([("created_at", SortDirection.DESCENDING)])
        .limit(1)
        .to_list()
    )
    return (runs[0].started_at or runs[0].created_at) if runs else None


@operation(
    "GET",
    summary="What the next training run would learn from: counts by source, excluded, new since the last run",
    auth="staff",
    query=DatasetCountsQuery,
    response=DatasetCountsOut,
)
async def dataset_counts(call: Call[None, DatasetCountsQuery]) -> DatasetCountsOut:
    selection = await select()
    since = call.query.since or await _last_success()
    skipped = sum((result.skipped for result in selection.results), selection.pairs_skipped.copy())
    excluded, opted_out = skipped.pop(EXCLUDED, 0), skipped.pop(OPTED_OUT, 0)
    dated = [row.at for row in selection.rows if not row.excluded] + [p.at for p in selection.pairs if not p.excluded]
    return DatasetCountsOut(
        chat_rated=len(selection.rated.examples),
        chat_edited=len(selection.edited.examples),
        translation=sum(len(result.examples) for result in _translations()),
        preference_pairs=len(selection.preferences),
        excluded=excluded,
        opted_out=opted_out,
        skipped=dict(skipped),
        new=sum(1 for at in dated if since is None or at >= since),
        new_since=since,
        translations_folder=str(translation_folder()),
    )


def _ms(at: datetime) -> int:
    return (at - _EPOCH) // timedelta(milliseconds=1)


def _turns(messages: list[dict[str, str]]) -> list[DatasetTurnOut]:
    return [DatasetTurnOut(role=m["role"], content=m["content"]) for m in messages]


def _chat_row(row: ChatRow) -> tuple[Key, DatasetRowOut]:
    source = _SOURCES[row.example.source]
    out = DatasetRowOut(
        source=source,
        message_id=str(row.message_id),
        conversation_id=str(row.conversation_id),
        origin=row.example.origin,
        prompt=_turns(prompt_messages(row.example.system, row.example.turns)),
        answer=row.example.assistant,
        rejected=None,
        excluded=row.excluded,
        at=row.at,
    )
    return (_ms(row.at), str(row.message_id), source), out


def _pair_row(pair: PairRow) -> tuple[Key, DatasetRowOut]:
    preference = pair.preference
    out = DatasetRowOut(
        source="preference_pairs",
        message_id=str(pair.message_id),
        conversation_id=str(pair.conversation_id),
        origin=preference.origin,
        prompt=_turns(prompt_messages(preference.system, preference.turns)),
        answer=preference.chosen,
        rejected=preference.rejected,
        excluded=pair.excluded,
        at=pair.at,
    )
    return (_ms(pair.at), str(pair.message_id), "preference_pairs"), out


def _translation_rows() -> list[tuple[Key, DatasetRowOut]]:
    listed = []
    examples = [example for result in _translations() for example in result.examples]
    for position, example in enumerate(examples, start=1):
        out = DatasetRowOut(
            source="translation",
            message_id=None,
            conversation_id=None,
            origin=example.origin,
            prompt=_turns(prompt_messages(example.system, example.turns)),
            answer=example.assistant,
            rejected=None,
            excluded=False,
            at=None,
        )
        listed.append(((-position, example.origin, "translation"), out))
    return listed


def _listed(selection: ChatSelection, source: DatasetSource | None) -> list[tuple[Key, DatasetRowOut]]:
    rows = [_chat_row(row) for row in selection.rows if source in (None, _SOURCES[row.example.source])]
    if source in (None, "preference_pairs"):
        rows += [_pair_row(pair) for pair in selection.pairs]
    if source == "translation":
        rows = _translation_rows()
    return sorted(rows, key=lambda item: item[0], reverse=True)


def _encode(key: Key) -> str:
    return cursors.encode(json.dumps(list(key)))


def _decode(cursor: str) -> Key:
    try:
        ms, ident, source = json.loads(cursors.decode(cursor))
        if isinstance(ms, int) and isinstance(ident, str) and isinstance(source, str):
            return ms, ident, source
    except (ValueError, TypeError):
        pass
    raise cursors.invalid()


@operation(
    "GET",
    summary="The rows the next run would learn from (and excluded ones), newest first, without account names",
    auth="staff",
    query=DatasetRowsQuery,
    response=DatasetRowsOut,
)
async def dataset_rows(call: Call[None, DatasetRowsQuery]) -> DatasetRowsOut:
    query = call.query
    after = _decode(query.cursor) if query.cursor else None
    listed = _listed(await select() if query.source != "translation" else ChatSelection(), query.source)
    remaining = [item for item in listed if after is None or item[0] < after]
    page = remaining[: query.limit]
    more = len(remaining) > query.limit
    return DatasetRowsOut(rows=[out for _key, out in page], next_cursor=_encode(page[-1][0]) if more else None)


async def _answer(call: Call) -> Message:
    message = await Message.get(call.ids["message_id"])
    if message is None or message.role != "assistant":
        raise not_found("answer")
    return message


async def _audit(call: Call, action: str, message: Message, **details: object) -> None:
    await AuditEntry.record(call.me_id, call.me.username, action, str(message.id), details)


@operation(
    "PUT",
    summary="Exclude this answer from training (remembered: every later dataset build skips it)",
    auth="staff",
    response=ExclusionOut,
)
async def exclude_row(call: Call) -> ExclusionOut:
    message = await _answer(call)
    assert message.id is not None
    if await TrainingExclusion.exclude(message.id, call.me_id):
        await _audit(call, "dataset.exclude", message)
    return ExclusionOut(message_id=str(message.id), excluded=True)


@operation(
    "DELETE",
    summary="Put an excluded answer back into the training data",
    auth="staff",
    response=ExclusionOut,
)
async def include_row(call: Call) -> ExclusionOut:
    message = await _answer(call)
    assert message.id is not None
    if await TrainingExclusion.include(message.id):
        await _audit(call, "dataset.include", message)
    return ExclusionOut(message_id=str(message.id), excluded=False)


@operation(
    "GET",
    summary="Whose answer this is: reveals the account on purpose, recorded in the audit log",
    auth="staff",
    response=RowAccountOut,
)
async def row_account(call: Call) -> RowAccountOut:
    message = await _answer(call)
    user = await User.get(message.user_id)
    await _audit(call, "dataset.reveal_account", message, user_id=str(message.user_id))
    return RowAccountOut(
        message_id=str(message.id), user_id=str(message.user_id), username=user.username if user else None
    )
