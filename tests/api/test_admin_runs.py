"""Training runs over the API without a worker (tests/finetune/test_worker.py runs real ones): what
staff can ask and start, what everyone else gets (403 and nothing more), how a run whose worker
vanished ends, and the audit of each start and cancel."""

from __future__ import annotations

from datetime import timedelta

from beanie import PydanticObjectId

from models import AuditEntry, RunStatus, TrainingRun
from models.clock import utcnow
from tests.api.clients import bearer, error_code
from tests.support.users import make_token, make_user


async def _staff(api_server):
    user = await make_user("admin", is_staff=True)
    return user, bearer(api_server, await make_token(user))


async def test_only_staff_may_see_or_start_runs(db, api_server) -> None:
    user = bearer(api_server, await make_token(await make_user()))
    run = await TrainingRun(preset="tiny-cpu").insert()
    try:
        for method, path, body in [
            ("GET", "/api/admin/presets", None),
            ("GET", "/api/admin/training-runs", None),
            ("POST", "/api/admin/training-runs", {"preset": "tiny-cpu"}),
            ("GET", f"/api/admin/training-runs/{run.id}", None),
            ("POST", f"/api/admin/training-runs/{run.id}/cancel", None),
        ]:
            response = user.request(method, path, json=body)
            assert response.status_code == 403 and error_code(response) == "forbidden", (method, path)
            assert str(run.id) not in response.text
        stored = await TrainingRun.get(run.id)
        assert stored is not None and stored.status == RunStatus.QUEUED and not stored.cancel_requested
        assert await TrainingRun.find({"preset": "tiny-cpu", "created_by": {"$ne": None}}).count() == 0
    finally:
        await run.delete()


async def test_presets_list_the_cpu_ones_and_the_gpu_configs(db, api_server) -> None:
    _, staff = await _staff(api_server)
    presets = {p["name"]: p for p in staff.get("/api/admin/presets").json()["presets"]}
    assert presets["tiny-cpu"]["device"] == presets["cpu-default"]["device"] == "cpu"
    assert presets["qwen2.5-7b-darija"]["device"] == "gpu"
    assert all(p["description"] for p in presets.values())
    assert not any(p["runnable"] for p in presets.values())  # no worker alive on this database


async def test_a_run_is_queued_audited_and_cancelled_at_once_while_no_worker_runs(db, api_server) -> None:
    admin, staff = await _staff(api_server)
    created = staff.post("/api/admin/training-runs", json={"preset": "tiny-cpu"})
    assert created.status_code == 201, created.text
    run = created.json()
    assert run["status"] == "queued" and run["preset"] == "tiny-cpu" and run["created_by"] == str(admin.id)
    assert run["progress"] == {"stage": "queued", "step": 0, "total_steps": 0, "loss": None, "eta_s": None}
    assert run["version_id"] is None and run["error"] is None and run["log_tail"] == []

    listed = staff.get("/api/admin/training-runs").json()
    assert listed["runs"][0]["id"] == run["id"]  # newest first
    assert listed["workers"] == []
    assert "make train-env" in listed["enable_hint"] and "make run" in listed["enable_hint"]
    assert "worker:" in listed["enable_hint"] and "finetune" in listed["enable_hint"]

    cancelled = staff.post(f"/api/admin/training-runs/{run['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert staff.get(f"/api/admin/training-runs/{run['id']}").json()["status"] == "cancelled"
    again = staff.post(f"/api/admin/training-runs/{run['id']}/cancel")
    assert again.status_code == 409 and error_code(again) == "run_finished"

    entries = await AuditEntry.find({"target": run["id"]}).sort("at").to_list()
    assert [(e.action, e.actor, e.details) for e in entries] == [
        ("run.start", admin.username, {"preset": "tiny-cpu"}),
        ("run.cancel", admin.username, {"preset": "tiny-cpu"}),
    ]


async def test_unknown_presets_and_runs_are_refused_with_a_code(db, api_server) -> None:
    _, staff = await _staff(api_server)
    before = await TrainingRun.count()
    unknown = staff.post("/api/admin/training-runs", json={"preset": "no-such-preset"})
    assert unknown.status_code == 400 and error_code(unknown) == "unknown_preset"
    assert "tiny-cpu" in unknown.json()["error"]["message"]
    assert await TrainingRun.count() == before
    missing = staff.get(f"/api/admin/training-runs/{PydanticObjectId()}")
    assert missing.status_code == 404 and error_code(missing) == "not_found"
    bad = staff.post("/api/admin/training-runs", json={"preset": {"$gt": ""}})
    assert bad.status_code == 400 and error_code(bad) == "invalid_body"


async def test_a_running_run_whose_worker_stopped_beating_is_failed_when_the_list_is_read(db, api_server) -> None:
    _, staff = await _staff(api_server)
    long_ago = utcnow() - timedelta(minutes=3)
    stale = await TrainingRun(
        preset="tiny-cpu",
        status=RunStatus.RUNNING,
        worker_id="gone-host-1-abc",
        started_at=long_ago,
        heartbeat_at=long_ago,
        log_tail=["── train ──", "step 3"],
    ).insert()
    fresh = await TrainingRun(
        preset="tiny-cpu", status=RunStatus.RUNNING, worker_id="busy-host-2-def", heartbeat_at=utcnow()
    ).insert()
    try:
        runs = {r["id"]: r for r in staff.get("/api/admin/training-runs").json()["runs"]}
        lost = runs[str(stale.id)]
        assert lost["status"] == "failed" and lost["error"]["code"] == "worker_lost"
        assert "gone-host-1-abc" in lost["error"]["message"] and lost["log_tail"] == ["── train ──", "step 3"]
        assert runs[str(fresh.id)]["status"] == "running"
    finally:
        await stale.delete()
        await fresh.delete()
