"""`python -m finetune dataset` on translation output and real chat data in the MongoDB-protocol server."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from beanie import PydanticObjectId

from finetune.chat_rows import fit
from finetune.dataset import split
from finetune.examples import single_turn
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
    examples = [single_turn("translation", f"f:{i}", "s", f"question {i}", f"answer {i}") for i in range(200)]
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


class _Chat:
    """One conversation of a user, built message by message (parent links as the chat makes them)."""

    def __init__(self, conversation, user_id: PydanticObjectId) -> None:
        self.conversation, self.user_id = conversation, user_id

    @classmethod
    async def start(cls, system_prompt: str = "", user_id: PydanticObjectId | None = None) -> _Chat:
        from models import Conversation

        user_id = user_id or PydanticObjectId()
        return cls(await Conversation(user_id=user_id, system_prompt=system_prompt).insert(), user_id)

    async def say(self, role: str, content: str, parent=None, rating: str | None = None, **fields: object):
        from models import Message
        from models.message import Feedback

        return await Message(
            conversation_id=self.conversation.id,
            user_id=self.user_id,
            role=role,
            content=content,
            parent_id=parent.id if parent else None,
            feedback=Feedback(rating=rating) if rating else None,
            **fields,
        ).insert()


def _build(tmp_path: Path, mongo_uri: str, *extra: str) -> tuple[str, dict[str, dict]]:
    """``python -m finetune dataset`` on the chat (and ``extra`` translation files, or none: not the
    translations folder of this checkout); the rows by the origin (answer id)."""
    if "--translations" not in extra:
        extra = ("--translations", str(write_jsonl(tmp_path / "none.jsonl", [])))
    out = ok(
        finetune(
            "dataset",
            "--mongo-uri",
            mongo_uri,
            "--out",
            str(tmp_path / "ds"),
            "--eval-fraction",
            "0",
            *extra,
        )
    )
    return " ".join(out.split()), {r["origin"]: r for r in _rows(tmp_path / "ds" / "train.jsonl")}


async def test_chat_rows_keep_their_own_system_prompt_or_none(tmp_path: Path, db: object, mongo_uri: str) -> None:
    tag = uuid.uuid4().hex[:8]
    plain = await _Chat.start()
    question = await plain.say("user", f"no system prompt here {tag}")
    bare = await plain.say("assistant", f"a plain answer {tag}", question, rating="up")
    prompted = await _Chat.start(system_prompt=f"You are a poet {tag}.")
    question = await prompted.say("user", f"write a line {tag}")
    poem = await prompted.say("assistant", f"roses {tag}", question, rating="up")
    translations = write_jsonl(tmp_path / "t.jsonl", [{"id": "1", "text": f"wach {tag}", "translation": "what"}])

    _, rows = _build(tmp_path, mongo_uri, "--translations", str(translations))
    assert rows[str(bare.id)]["messages"] == [
        {"role": "user", "content": f"no system prompt here {tag}"},
        {"role": "assistant", "content": f"a plain answer {tag}"},
    ]
    assert rows[str(poem.id)]["messages"][0] == {"role": "system", "content": f"You are a poet {tag}."}
    translated = rows["t.jsonl:1"]["messages"]
    assert translated[0]["role"] == "system" and translated[0]["content"].startswith("Translate the user's message")


async def test_a_row_is_the_branch_from_the_root_up_to_the_answer(tmp_path: Path, db: object, mongo_uri: str) -> None:
    tag = uuid.uuid4().hex[:8]
    chat = await _Chat.start(system_prompt=f"Be kind {tag}.")
    q1 = await chat.say("user", f"first question {tag}")
    a1 = await chat.say("assistant", f"first answer {tag}", q1)
    q2 = await chat.say("user", f"second question {tag}", a1)
    await chat.say("assistant", f"second answer, abandoned branch {tag}", q2)
    a2 = await chat.say("assistant", f"second answer, regenerated {tag}", q2)
    q3 = await chat.say("user", f"third question {tag}", a2)
    a3 = await chat.say("assistant", f"third answer {tag}", q3, rating="up")

    _, rows = _build(tmp_path, mongo_uri)
    assert [(m["role"], m["content"]) for m in rows[str(a3.id)]["messages"]] == [
        ("system", f"Be kind {tag}."),
        ("user", f"first question {tag}"),
        ("assistant", f"first answer {tag}"),
        ("user", f"second question {tag}"),
        ("assistant", f"second answer, regenerated {tag}"),
        ("user", f"third question {tag}"),
        ("assistant", f"third answer {tag}"),
    ]


def test_a_long_branch_is_cut_from_its_oldest_exchanges_never_the_answer() -> None:
    system = {"role": "system", "content": "sys"}
    turns = [
        {"role": "user", "content": "q1 " * 10},
        {"role": "assistant", "content": "a1 " * 10},
        {"role": "user", "content": "q2 " * 10},
        {"role": "assistant", "content": "a2 " * 10},
        {"role": "user", "content": "q3 " * 10},
    ]
    answer = [{"role": "assistant", "content": "a3 " * 10}]

    def words(messages: list[dict[str, str]]) -> int:
        return sum(len(m["content"].split()) for m in messages)

    pair = {"prompt": [system, *turns], "completion": answer}
    assert fit(pair, words, 61) == pair  # everything fits
    assert fit(pair, words, 60) == {"prompt": [system, *turns[2:]], "completion": answer}  # q1 and a1 go
    assert fit(pair, words, 21) == {"prompt": [system, turns[-1]], "completion": answer}
    assert fit(pair, words, 20) is None  # the last question and the answer alone do not fit: never cut


async def test_a_thumbs_down_answer_with_a_better_sibling_becomes_a_preference_pair(
    tmp_path: Path, db: object, mongo_uri: str
) -> None:
    tag = uuid.uuid4().hex[:8]
    chat = await _Chat.start()
    liked_q = await chat.say("user", f"pair with a liked sibling {tag}")
    bad = await chat.say("assistant", f"bad answer {tag}", liked_q, rating="down")
    await chat.say("assistant", f"liked answer {tag}", liked_q, rating="up")
    fixed_q = await chat.say("user", f"pair with a correction {tag}")
    wrong = await chat.say("assistant", f"wrong answer {tag}", fixed_q, rating="down")
    await chat.say("assistant", f"liked but not corrected {tag}", fixed_q, rating="up")
    await chat.say("assistant", f"corrected answer {tag}", fixed_q, edited_from=wrong.id)
    alone_q = await chat.say("user", f"a thumbs down alone {tag}")
    alone = await chat.say("assistant", f"lonely bad answer {tag}", alone_q, rating="down")

    out, _ = _build(tmp_path, mongo_uri)
    pairs = {p["origin"]: p for p in _rows(tmp_path / "ds" / "preferences.jsonl")}
    assert pairs[str(bad.id)]["prompt"] == [{"role": "user", "content": f"pair with a liked sibling {tag}"}]
    assert pairs[str(bad.id)]["chosen"] == [{"role": "assistant", "content": f"liked answer {tag}"}]
    assert pairs[str(bad.id)]["rejected"] == [{"role": "assistant", "content": f"bad answer {tag}"}]
    # A correction is the user's own better answer: it wins over a 👍 sibling.
    assert pairs[str(wrong.id)]["chosen"][0]["content"] == f"corrected answer {tag}"
    assert str(alone.id) not in pairs
    assert "no 👍 or corrected answer beside it" in out
    summary = json.loads((tmp_path / "ds" / "summary.json").read_text())
    assert summary["preference_pairs"] == len(pairs) >= 2


async def test_excluded_answers_and_opted_out_users_are_left_out_and_counted(
    tmp_path: Path, db: object, mongo_uri: str
) -> None:
    from finetune.chat_selection import EXCLUDED, OPTED_OUT, select
    from models import TrainingExclusion
    from tests.support.users import make_user

    tag = uuid.uuid4().hex[:8]
    chat = await _Chat.start()
    question = await chat.say("user", f"kept question {tag}")
    kept = await chat.say("assistant", f"kept answer {tag}", question, rating="up")
    question = await chat.say("user", f"nonsense question {tag}")
    nonsense = await chat.say("assistant", f"nonsense answer {tag}", question, rating="up")
    await TrainingExclusion.exclude(nonsense.id, None)
    private = await make_user("private")
    await private.set({"exclude_from_training": True})
    theirs = await _Chat.start(user_id=private.id)
    question = await theirs.say("user", f"private question {tag}")
    hidden = await theirs.say("assistant", f"private answer {tag}", question, rating="up")
    before = await select()

    out, rows = _build(tmp_path, mongo_uri)
    assert str(kept.id) in rows and str(nonsense.id) not in rows and str(hidden.id) not in rows
    assert EXCLUDED in out and OPTED_OUT in out
    assert all(tag not in json.dumps(r) or "kept" in json.dumps(r) for r in rows.values())

    listed = {row.message_id: row for row in before.rows}
    assert listed[nonsense.id].excluded and not listed[kept.id].excluded
    assert hidden.id not in listed  # an opted-out user's answers are not even listed
    assert before.rated.skipped[EXCLUDED] >= 1 and before.rated.skipped[OPTED_OUT] >= 1

    await TrainingExclusion.include(nonsense.id)
    assert str(nonsense.id) in _build(tmp_path, mongo_uri)[1]


def test_without_translation_files_named_the_translations_folder_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from finetune.sources import translation_files

    folder = tmp_path / "translations"
    folder.mkdir()
    write_jsonl(folder / "darija.jsonl", [{"id": "1", "text": "wach rak", "translation": "How are you?"}])
    write_jsonl(folder / "darija.failed.jsonl", [{"id": "2", "text": "failed", "translation": "x"}])
    write_jsonl(folder / "darija.dropped.jsonl", [{"id": "3", "text": "dropped", "translation": "x"}])
    monkeypatch.setenv("HADRA_TRANSLATIONS_DIR", str(folder))
    assert translation_files() == [folder / "darija.jsonl"]

    ok(finetune("dataset", "--no-chat", "--out", str(tmp_path / "ds"), "--eval-fraction", "0"))
    assert [r["origin"] for r in _rows(tmp_path / "ds" / "train.jsonl")] == ["darija.jsonl:1"]
