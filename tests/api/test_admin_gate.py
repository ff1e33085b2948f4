"""The evaluation gate: a version is activated only when it scores at least as well as the active
model on the same held-out rows; otherwise 409 ``eval_gate`` unless an override reason is given,
which the audit keeps. The page reads both scores side by side, and the admins' picks as a win rate.
Evaluations are seeded where the training worker writes them."""

from __future__ import annotations

import pytest

from tests.api.versions import Console, console, derived_models, refused
from tests.support.servers import ServerStarter

__all__ = ["derived_models"]  # the fixture, imported for pytest

HELDOUT = "a" * 64
OTHER_SET = "b" * 64


async def evaluated(c: Console, version: dict, bpb: float, heldout: str = HELDOUT) -> None:
    evaluation = {"heldout_set": heldout, "heldout_rows": 20, "bpb": bpb, "base_bpb": 1.5, "samples": []}
    await c.seed("model_versions", {"name": version["name"]}, {"$set": {"metrics.eval": evaluation}})


@pytest.fixture
async def c(start_server: ServerStarter, server_env: dict[str, str]) -> Console:
    return await console(start_server, server_env)


async def test_the_gate_refuses_what_it_cannot_compare_or_is_worse(
    c: Console, ollama_model: str, derived_models: list[str]
) -> None:
    version = c.register("gated", derived_models[0])
    never = refused(c.activate(version, reason=None), 409, "eval_gate")
    assert "never evaluated" in never["message"] and never["params"]["active_model"] == ollama_model

    await evaluated(c, version, 1.25)
    no_score = refused(c.activate(version, reason=None), 409, "eval_gate")
    assert no_score["params"] == {"version_bpb": 1.25, "heldout_set": HELDOUT, "active_model": ollama_model}
    # A score of the active model on another held-out set is no comparison.
    await c.seed("eval_scores", {"heldout_set": OTHER_SET, "model": ollama_model}, {"$set": {"bpb": 9.0, "rows": 5}})
    refused(c.activate(version, reason=None), 409, "eval_gate")

    await c.seed("eval_scores", {"heldout_set": HELDOUT, "model": ollama_model}, {"$set": {"bpb": 1.0, "rows": 20}})
    worse = refused(c.activate(version, reason=None), 409, "eval_gate")
    assert worse["params"] == {
        "version_bpb": 1.25,
        "active_bpb": 1.0,
        "heldout_set": HELDOUT,
        "active_model": ollama_model,
    }
    assert "worse" in worse["message"]
    gate = c.version(version)["gate"]
    assert gate == {
        "heldout_set": HELDOUT,
        "version_bpb": 1.25,
        "active_model": ollama_model,
        "active_bpb": 1.0,
        "win_rate": None,
        "passes": False,
    }
    # Refusals changed nothing and recorded nothing.
    assert c.staff.get("/api/models").json()["default_model"] == ollama_model
    assert c.statuses() == {version["name"]: "registered"} and c.audit() == []


async def test_an_override_reason_activates_and_is_recorded(c: Console, derived_models: list[str]) -> None:
    version = c.register("override", derived_models[0])
    await evaluated(c, version, 2.0)
    refused(c.activate(version, reason="   "), 400, "invalid_body")  # a reason, not blanks
    refused(c.activate(version, reason=None), 409, "eval_gate")
    activated = c.activated(version, reason="the held-out set predates the new data")
    assert activated["active_version"]["id"] == version["id"]
    [entry] = c.audit()
    assert (entry["action"], entry["target"], entry["reason"]) == (
        "version.activate_override",
        version["id"],
        "the held-out set predates the new data",
    )
    assert entry["details"]["version_bpb"] == 2.0 and "never" not in entry["details"]["refused"]


async def test_a_better_version_passes_and_rollback_is_never_gated(
    c: Console, ollama_model: str, derived_models: list[str]
) -> None:
    first, better, worse = (c.register(n, m) for n, m in zip(["first", "better", "worse"], derived_models, strict=True))
    await c.seed("eval_scores", {"heldout_set": HELDOUT, "model": ollama_model}, {"$set": {"bpb": 1.2, "rows": 20}})
    await evaluated(c, first, 1.1)
    await evaluated(c, better, 0.9)
    await evaluated(c, worse, 1.0)
    assert c.version(first)["gate"]["passes"] is True
    c.activated(first, reason=None)
    # Against the active version, its own evaluation on the same set is the comparison.
    assert c.version(better)["gate"] | {"win_rate": None} == {
        "heldout_set": HELDOUT,
        "version_bpb": 0.9,
        "active_model": derived_models[0],
        "active_bpb": 1.1,
        "win_rate": None,
        "passes": True,
    }
    c.activated(better, reason=None)
    refused(c.activate(worse, reason=None), 409, "eval_gate")  # 1.0 is worse than the active 0.9
    assert c.rollback(better).json()["active_version"]["id"] == first["id"]  # no gate on the way back
    assert c.rollback(first).json()["default_model"] == ollama_model
    assert [e["action"] for e in c.audit()] == [
        "version.rollback",
        "version.rollback",
        "version.activate",
        "version.activate",
    ]


async def test_picks_make_a_win_rate(c: Console, derived_models: list[str]) -> None:
    version = c.register("picks", derived_models[0])
    for winner in ["version", "version", "active", "tie"]:
        picked = c.staff.post(f"/api/admin/model-versions/{version['id']}/picks", json={"winner": winner})
        assert picked.status_code == 200, picked.text
    assert picked.json()["picks"] == {"version": 2, "active": 1, "tie": 1}
    assert picked.json()["gate"]["win_rate"] == pytest.approx(2.5 / 4)
    assert c.version(version)["picks"] == {"version": 2, "active": 1, "tie": 1}
    refused(
        c.staff.post(f"/api/admin/model-versions/{version['id']}/picks", json={"winner": "both"}), 400, "invalid_body"
    )
    assert [e["details"]["winner"] for e in c.audit()] == ["tie", "active", "version", "version"]
