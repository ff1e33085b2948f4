"""The self-improving loop on the model hadra ships, measured end to end on this machine:

    .venv/bin/python -m bench.loop [--rows 30] [--rounds 5]      (needs `make train-env`)

Two hadra processes share Redis, the embedded MongoDB-protocol server and the real CPU Ollama with
Gemma 3 270M (``hadra-gemma3``); a training worker runs in ``.venv-train``, as ``make run`` starts it.

1. A user chats on process A and corrects each answer by hand (short Darija exchanges): the
   chat's own data.
2. A staff account starts a ``cpu-default`` run over the admin API and the bench follows it to its
   end: wall time per stage, rows, steps, and the held-out loss and bits per byte of the base
   (before) and of the tuned version (after), on the same held-out rows.
3. Activation, ``--rounds`` times: unload every model; process A activates the version (through the
   evaluation gate; an override only if the gate refuses, and the bench says so); a socket already
   open on process B waits for ``models.changed`` and sends a new chat; the clock stops at its first
   ``message.delta``. Then the admin rolls back to the default for the next round.
   Baseline, in the same rounds: Ollama's own first token of the version when it is not loaded
   (what the first user after an activation would pay without the warm-up) and when it is.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

from bench.common import BENCH_VAR, ROOT, Server, bearer_token, hadra, services
from bench.ws import ChatSocket
from embedded import process, redis

TRAIN_PYTHON = ROOT / ".venv-train" / "bin" / "python"
FINAL = {"succeeded", "failed", "cancelled"}
# (question, the answer the user writes instead of the model's): Darija in Latin script.
EXCHANGES = [
    ("Wach rak?", "Labas, hamdoulah. W nta, wach rak dayer?"),
    ("Win kayen el marché?", "El marché kayen qrib el jame3, dour 3la limin w tla9ah."),
    ("Chhal el wa9t?", "Ma3andich sa3a, bessah chouf f telephone ta3ek."),
    ("Wach kayen f la météo lyoum?", "Lyoum chams w chwiya ri7, ma kaynach chta."),
    ("Kifech nroh l la gare?", "Rkeb tram w hbet f la station ta3 la gare, machi b3ida."),
    ("Wach ndir bach nat3allem el 3arbiya?", "A9ra kol youm chwiya w hder m3a nas, haka tat3allem."),
    ("Chkoun rbe7 el match?", "Ma na3rafch, bessah nti9 bli el fari9 lekhor rbe7."),
    ("3tini wasfa ta3 chorba.", "Chorba frik: l7em, tmatem, basla, frik w ma, w khalliha tetteyeb sa3a."),
    ("Wach rak tdir had el weekend?", "Rani nkhmem nroh l la plage m3a sohabi."),
    ("Kach restaurant mlih hna?", "Kayen restaurant sghir f el 7ouma, yetteyeb couscous bnin bezzaf."),
    ("Nheb nechri telephone jdid.", "Chouf 9bel el prix w el batterie, w sa9si li 3andhom."),
    ("Ana 3iyan bezzaf lyoum.", "Re9ed bekri lyoum w echrob ma bezzaf, ghodwa tkoun mlih."),
    ("Wach m3na kelmet sahel?", "Sahel ya3ni machi s3ib, kima easy b l'anglais."),
    ("Kifech nguel merci b darija?", "Ngoulou sa7it wela barak allahou fik."),
    ("Wach nakol lyoum?", "Dir tbikha ta3 loubia, sahla w tchabba3."),
    ("Chhal yeswa el khobz?", "El khobz yeswa 15 dinar f el boulangerie."),
    ("Win nel9a pharmacie?", "Kayen pharmacie 9dam el poste, m7loula 7ta l 10 ta3 el lil."),
    ("Ra7 tsob el chta ghodwa?", "Ghodwa ygoulou ra7 tsob chwiya f la3chiya, di m3ak parapluie."),
    ("Wach ndir ki nkoun m9ela9?", "Khrej timcha chwiya w tnaffes b chwiya, w hder m3a wa7ed t7ebbou."),
    ("3lah el bhar m9ale9 lyoum?", "Kayen ri7 9wi lyoum, ma tdkhelch l el bhar."),
    ("Kifech nsalla7 el wifi?", "Tfi el routeur w 3awed chaalou mor d9i9a."),
    ("Wach el film li tnasa7ni bih?", "Chouf film ta3 Merzak Allouache, yeswa el wa9t."),
    ("Nheb nat3allem el cuisine.", "Bda b tbikhat sahlin kima el 3dess w el omelette."),
    ("Chkoun kteb Nedjma?", "Nedjma kteb-ha Kateb Yacine f 1956."),
    ("Wach hiya 3asimat el Djazair?", "El 3asima hiya Dzayer, el mdina lkbira f el bled."),
    ("Kifech ndir café mlih?", "7at zouj mla3e9 café f el cafetière w khalli el ma ygli chwiya."),
    ("Nheb nsafer l Wahran.", "Rkeb el train men Dzayer, yeddi ta9riban 4 swaye3."),
    ("Wach nechri l mama f 3id milad?", "Echrilha foulard wela bouquet ta3 nwar, tefra7 bih."),
    ("3lah ma rani9ch nre9ed?", "Ma tchoufch telephone 9bel ma tre9ed w ma techrobch café f la3chiya."),
    ("Kifech nwelli nejri kol youm?", "Bda b 10 d9aye9 f nhar w zid chwiya kol simana."),
]
QUESTION = "Wach rak?"


async def chat_data(server: Server, rows: int) -> None:
    """A user asks and corrects ``rows`` answers by hand, each in its own conversation."""
    socket = await ChatSocket.connect(server.ws_url, await bearer_token(server.url))
    for question, better in (EXCHANGES * (rows // len(EXCHANGES) + 1))[:rows]:
        await socket.send("chat.send", conversation_id=None, content=question)
        created = await socket.until(lambda f: f["type"] == "message.created" and f["message"]["role"] == "assistant")
        answer = created["message"]["id"]
        await socket.until(lambda f, a=answer: f["type"] == "message.done" and f["message_id"] == a, 300)
        await socket.send("chat.edit", message_id=answer, content=better)
        await socket.until(lambda f, b=better: f["type"] == "message.created" and f["message"]["content"] == b)
    await socket.close()


def staff_token(env: dict[str, str], url: str) -> str:
    """A staff account made the way ``make staff`` makes one, signed in, with an API token."""
    name = f"bench-admin-{secrets.token_hex(3)}"
    password = secrets.token_urlsafe(16)
    subprocess.run(
        [sys.executable, "-m", "django", "create_staff_user", "--username", name, "--email", f"{name}@example.com"],
        cwd=ROOT,
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "asgi_app.settings", "HADRA_STAFF_PASSWORD": password},
        check=True,
        capture_output=True,
    )
    with httpx.Client(base_url=url, timeout=60) as http:
        http.get("/api/auth/me")
        for path, body in (
            ("/api/auth/login", {"username": name, "password": password}),
            ("/api/tokens", {"name": "bench"}),
        ):
            response = http.post(path, json=body, headers={"X-CSRFToken": http.cookies["csrftoken"]})
            response.raise_for_status()
        return str(response.json()["token"])


async def train(http: httpx.AsyncClient) -> dict[str, Any]:
    """Start a cpu-default run and follow it: when each stage began, and the run at its end."""
    response = await http.post("/api/admin/training-runs", json={"preset": "cpu-default"})
    response.raise_for_status()
    run_id = response.json()["id"]
    started = time.perf_counter()
    stages: dict[str, float] = {}
    while True:
        run = (await http.get(f"/api/admin/training-runs/{run_id}")).json()
        stage = run["progress"]["stage"]
        stages.setdefault(stage, time.perf_counter() - started)
        if run["status"] in FINAL:
            break
        await asyncio.sleep(0.5)
    if run["status"] != "succeeded":
        raise RuntimeError(f"the run ended {run['status']}: {run['error']}\n" + "\n".join(run["log_tail"][-20:]))
    wall = time.perf_counter() - started
    order = [s for s in ("queued", "dataset", "train", "eval", "export", "register") if s in stages]
    spans = {s: (stages[n] if n else wall) - stages[s] for s, n in zip(order, [*order[1:], None], strict=True)}
    return {"run": run, "wall_s": wall, "stage_s": spans}


async def ollama_ttft(host: str, model: str) -> float:
    body = {"model": model, "messages": [{"role": "user", "content": QUESTION}], "stream": True}
    async with httpx.AsyncClient(base_url=host, timeout=300) as client:
        started = time.perf_counter()
        async with client.stream("POST", "/api/chat", json=body) as response:
            async for line in response.aiter_lines():
                if line and json.loads(line).get("message", {}).get("content"):
                    return time.perf_counter() - started
    raise RuntimeError("Ollama sent no content")


async def unload(host: str, *models: str) -> None:
    async with httpx.AsyncClient(base_url=host, timeout=60) as client:
        for model in models:
            (await client.post("/api/generate", json={"model": model, "keep_alive": 0})).raise_for_status()


async def activation_round(
    http: httpx.AsyncClient, watcher: ChatSocket, version: dict[str, Any], host: str, base: str
) -> dict[str, Any]:
    name = version["ollama_model"]
    await unload(host, base, name)
    started = time.perf_counter()
    path = f"/api/admin/model-versions/{version['id']}/activate"
    response = await http.post(path)
    overridden = response.status_code == 409
    if overridden:
        response = await http.post(path, json={"override_reason": "bench: measuring the switch"})
    response.raise_for_status()
    answered = time.perf_counter()
    changed = await watcher.until(lambda f: f["type"] == "models.changed" and f["default_model"] == name, 120)
    await watcher.send("chat.send", conversation_id=None, content=QUESTION)
    created = await watcher.until(lambda f: f["type"] == "message.created" and f["message"]["role"] == "assistant")
    answer = created["message"]["id"]
    first = await watcher.until(lambda f: f["type"] == "message.delta" and f["message_id"] == answer, 300)
    await watcher.until(lambda f: f["type"] == "message.done" and f["message_id"] == answer, 300)
    (await http.post(f"/api/admin/model-versions/{version['id']}/rollback")).raise_for_status()
    await watcher.until(lambda f: f["type"] == "models.changed" and f["default_model"] != name, 120)
    await unload(host, name)
    cold = await ollama_ttft(host, name)
    warm = await ollama_ttft(host, name)
    return {
        "gate_overridden": overridden,
        "answered_by": created["message"].get("model"),
        "activate_http_s": answered - started,
        "models_changed_on_b_s": changed["_at"] - started,
        "first_token_on_b_s": first["_at"] - started,
        "chat_ttft_after_switch_s": first["_at"] - changed["_at"],
        "ollama_cold_ttft_s": cold,
        "ollama_warm_ttft_s": warm,
    }


async def measure(env: dict[str, str], a: Server, b: Server, rows: int, rounds: int) -> dict[str, Any]:
    started = time.perf_counter()
    await chat_data(a, rows)
    chat_s = time.perf_counter() - started
    token = staff_token(env, a.url)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=a.url, headers=headers, timeout=300) as http:
        training = await train(http)
        versions = (await http.get("/api/admin/model-versions")).json()["versions"]
        version = next(v for v in versions if v["id"] == training["run"]["version_id"])
        watcher = await ChatSocket.connect(b.ws_url, token)
        switches = [
            await activation_round(http, watcher, version, env["OLLAMA_HOST"], env["DEFAULT_MODEL"])
            for _ in range(rounds)
        ]
        await watcher.close()
    return {"chat_data_s": chat_s, "training": training, "version": version, "rounds": switches}


def report(result: dict[str, Any]) -> None:
    training, version = result["training"], result["version"]
    metrics = version["metrics"]
    evaluation, trained = metrics.get("eval", {}), metrics.get("train", {})
    print(f"chat data: {training['run']['dataset']} (made in {result['chat_data_s']:.0f} s)")
    print(f"cpu-default run: {training['wall_s']:.0f} s wall, {trained.get('steps')} steps")
    for stage, seconds in training["stage_s"].items():
        print(f"  {stage:9} {seconds:6.1f} s")
    print(f"held-out ({evaluation.get('heldout_rows')} rows, set {str(evaluation.get('heldout_set'))[:12]}):")
    print(f"  loss  base {evaluation.get('base_loss')}  →  tuned {evaluation.get('tuned_loss')}")
    print(f"  bits per byte  base {evaluation.get('base_bpb')}  →  tuned {evaluation.get('bpb')}")
    rounds = result["rounds"]
    print(f"activation, {len(rounds)} rounds (gate overridden in {sum(r['gate_overridden'] for r in rounds)}):")
    for key in [k for k in rounds[0] if k.endswith("_s")]:
        values = [r[key] for r in rounds]
        print(f"  {key:28} median {statistics.median(values):7.3f} s   max {max(values):7.3f} s")
    cold = statistics.median(r["ollama_cold_ttft_s"] for r in rounds)
    after = statistics.median(r["chat_ttft_after_switch_s"] for r in rounds)
    print(f"  first token after the switch ÷ Ollama's cold first token: {after / cold:.3f}×")


def plot(result: dict[str, Any], out: Path) -> Path:
    """Left: the run's wall time by stage. Right: the switch's parts beside the version's cold and
    warm first token (medians)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8))
    stages = result["training"]["stage_s"]
    left.barh(list(stages), list(stages.values()), color="#58a")
    left.invert_yaxis()
    left.set_xlabel("seconds")
    left.set_title(f"cpu-default run: {result['training']['wall_s']:.0f} s")
    rounds = result["rounds"]
    keys = [k for k in rounds[0] if k.endswith("_s")]
    right.barh(
        [k.removesuffix("_s").replace("_", " ") for k in keys],
        [statistics.median(r[k] for r in rounds) for k in keys],
        color="#3b7",
    )
    right.invert_yaxis()
    right.set_xlabel("seconds (median)")
    right.set_title("activate on A → first token on B")
    figure.tight_layout()
    path = out.with_suffix(".png")
    figure.savefig(path, dpi=110)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.loop", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=30, help="hand-corrected chat answers to train on")
    parser.add_argument("--rounds", type=int, default=5, help="activations measured")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "bench" / "loop.json")
    args = parser.parse_args(argv)
    if not TRAIN_PYTHON.exists():
        parser.error("no training environment: run `make train-env` first")
    with ExitStack() as stack:
        env = stack.enter_context(services())
        redis_port = process.free_port()
        process.start(redis.service(redis_port, BENCH_VAR), BENCH_VAR)
        stack.callback(process.stop, redis.NAME, BENCH_VAR)
        env["REDIS_URL"] = redis.url(redis_port)
        env["HADRA_MAX_ANSWER_TOKENS"] = "48"
        env["HADRA_MESSAGES_PER_MINUTE"] = "10000"
        a = stack.enter_context(hadra(env))
        b = stack.enter_context(hadra(env))
        log = (BENCH_VAR / "log" / "worker.log").open("ab")
        stack.callback(log.close)
        worker = subprocess.Popen(
            [str(TRAIN_PYTHON), "-m", "finetune", "worker"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        stack.callback(worker.wait)
        stack.callback(worker.terminate)
        result = asyncio.run(measure(env, a, b, args.rows, args.rounds))
    report(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(f"results → {args.out}, plot → {plot(result, args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
