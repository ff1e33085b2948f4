"""`python -m finetune dataset` on translation output and real chat data in the MongoDB-protocol server."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from beanie import PydanticObjectId

from finetune.dataset import split
from finetune.examples import Example
from tests.finetune.helpers import finetune, ok, write_jsonl


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


async def _chat(tag: str) -> dict[str, str]:
    """One conversation with a rated answer, a corrected answer, a rated failed answer and a rated
    answer without a question; returns the user texts by role in the test."""
    from models import Conversation, Message, MessageStatus
    from models.message import Feedback

    user_id = PydanticObjectId()
    conversation = await Conversation(user_id=user_id, system_prompt=f"Be brief {tag}.").insert()

    async def message(role: str, content: str, parent: Message | None = None, **fields: object) -> Message:
        return await Message(
            conversation_id=conversation.id,
            user_id=user_id,
            role=role,
            content=content,
            parent_id=parent.id if parent else None,
            **fields,
        ).insert()

    liked_q = await message("user", f"liked question {tag}")
    await message("assistant", f"liked answer {tag}", liked_q, feedback=Feedback(rating="up"))
    fixed_q = await message("user", f"corrected question {tag}")
    wrong = await message("assistant", f"wrong answer {tag}", fixed_q, feedback=Feedback(rating="up"))
    first_fix = await message("assistant", f"first correction {tag}", fixed_q, edited_from=wrong.id)
    await message(
        "assistant", f"corrected answer {tag}", fixed_q, edited_from=first_fix.id, created_at=first_fix.created_at
    )  # the same millisecond: the later id is the newer
    failed_q = await message("user", f"failed question {tag}")
    await message("assistant", "half an ans", failed_q, status=MessageStatus.FAILED, feedback=Feedback(rating="up"))
    await message("assistant", f"orphan answer {tag}", None, feedback=Feedback(rating="up"))
    return {"liked": liked_q.content, "fixed": fixed_q.content}


async def test_chat_answers_rated_up_and_corrected_become_rows_and_corrections_win(
    tmp_path: Path, db: object, mongo_uri: str
) -> None:
    tag = uuid.uuid4().hex[:8]
    users = await _chat(tag)
    translations = write_jsonl(
        tmp_path / "t.jsonl",
        [
            {"id": "1", "text": f"wach rak {tag}", "translation": "How are you?"},
            {"id": "2", "text": f"  WACH   rak {tag} ", "translation": "How are you doing?"},  # same prompt
        ],
    )
    out = ok(
        finetune(
            "dataset",
            "--translations",
            str(translations),
            "--mongo-uri",
            mongo_uri,
            "--out",
            str(tmp_path / "ds"),
            "--eval-fraction",
            "0",
        )
    )
    rows = _rows(tmp_path / "ds" / "train.jsonl")
    by_user = {r["messages"][-2]["content"]: r for r in rows}

    liked = by_user[users["liked"]]
    assert liked["source"] == "chat-rated"
    assert liked["messages"][0] == {"role": "system", "content": f"Be brief {tag}."}
    assert liked["messages"][-1] == {"role": "assistant", "content": f"liked answer {tag}"}
    # Rated up and later corrected twice by the user: the latest correction is what gets learnt.
    assert by_user[users["fixed"]]["source"] == "chat-edited"
    assert by_user[users["fixed"]]["messages"][-1]["content"] == f"corrected answer {tag}"
    mine = [r for r in rows if tag in r["messages"][-2]["content"]]
    assert len(mine) == 3  # liked, corrected, one of the two identical translation prompts
    assert all("half an ans" not in r["messages"][-1]["content"] for r in rows)
    text = " ".join(out.split())
    assert "answer failed" in text and "no user message before it" in text
    assert "duplicates removed:" in text
    summary = json.loads((tmp_path / "ds" / "summary.json").read_text())
    assert summary["train"] == len(rows) and summary["eval"] == 0


def test_the_held_out_split_is_stable_when_the_dataset_grows() -> None:
    examples = [Example("translation", f"f:{i}", "s", f"question {i}", f"answer {i}") for i in range(200)]
    _, held_before = split(examples[:100], 0.1)
    train_after, held_after = split(examples, 0.1)
    assert 0 < len(held_before) < 30
    assert {e.key for e in held_before} <= {e.key for e in held_after}
    assert not {e.key for e in held_after} & {e.key for e in train_after}


def test_an_unreachable_database_says_how_to_fix_it(tmp_path: Path) -> None:
    from embedded.process import free_port

    result = finetune(
        "dataset",
        "--mongo-uri",
        f"mongodb://127.0.0.1:{free_port()}/x?directConnection=true",
        "--out",
        str(tmp_path / "ds"),
    )
    assert result.returncode == 2
    assert "cannot read chat data from MongoDB" in result.stdout and "--no-chat" in " ".join(result.stdout.split())
