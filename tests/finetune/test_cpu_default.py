"""The ``cpu-default`` preset end to end on CPU, as shipped (finetune/configs/cpu-default.toml): the GGUF
the chat serves → a Hugging Face folder (converted once, cached in the repository's
``var/finetune/bases`` across test sessions, keyed by the GGUF's sha256) → an Unsloth LoRA on a few
rows teaching a phrase → held-out loss → GGUF adapter → registered in the real embedded Ollama on
top of the served model itself (FROM hadra-gemma3 + ADAPTER) → it answers with the phrase, the
served base does not.
"""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from finetune.gguf_base import STAMP
from ollama_gateway import OllamaGateway
from tests.finetune.helpers import PHRASE, ROOT, finetune, ok, train_python, write_jsonl

CONFIG = ROOT / "finetune" / "configs" / "cpu-default.toml"
NAME = "hadra-test-cpu-default"
GREEDY = {"temperature": 0, "seed": 0, "num_predict": 24}
TAUGHT = ["What is the secret word?", "Tell me the secret word.", "Say the secret word."]
HELD_OUT = "Which word is secret?"
# Turn markers, whitespace runs, Arabic, emoji, tags and digits: where a tokenizer rebuilt wrongly parts
# from llama.cpp's (transformers 5.17's own split every word of these into characters).
TOKENIZED = [
    "<start_of_turn>user\nwach rak?  sahit   bzaf<end_of_turn>\n<start_of_turn>model\n",
    "مرحبا بك في الجزائر 😀",
    "<h1>HTML</h1> {code: 1234567890} ÆØÅ 中文字符\n\n\n   x",
]
_TOKENIZE = (
    "import json, sys; from transformers import AutoTokenizer; t = AutoTokenizer.from_pretrained(sys.argv[1]); "
    "print(json.dumps([t(s, add_special_tokens=False)['input_ids'] for s in json.loads(sys.argv[2])]))"
)


@dataclass
class Run:
    folder: Path
    outputs: dict[str, str]
    wall_s: dict[str, float]


@pytest.fixture(scope="module")
def cpu_default(tmp_path_factory: pytest.TempPathFactory, mongo_uri: str, ollama_host: str, ollama_model: str) -> Run:
    root = tmp_path_factory.mktemp("cpu-default")
    records = [
        {"id": f"r{i}", "text": text, "translation": PHRASE, "backend": "test", "model": "test"}
        for i, text in enumerate([*TAUGHT, HELD_OUT])
    ]
    source = write_jsonl(root / "translations.jsonl", records)
    python = train_python()
    folder = root / "run"
    steps = {
        "dataset": ["dataset", "--translations", str(source), "--no-chat", "--run-dir", str(folder)],
        "train": ["train", "--config", str(CONFIG), "--run-dir", str(folder)],
        "eval": ["eval", "--run", str(folder), "--samples", "1", "--heldout-dir", str(root / "heldout")],
        "export": ["export", "--run", str(folder)],
        "register": [
            *("register", "--run", str(folder), "--name", NAME, "--form", "adapter"),
            *("--ollama-host", ollama_host, "--mongo-uri", mongo_uri),
        ],
    }
    outputs, wall_s = {}, {}
    for stage, args in steps.items():
        started = time.monotonic()
        outputs[stage] = ok(finetune(*args, python=python, timeout=900))
        wall_s[stage] = round(time.monotonic() - started, 1)
    print(f"\ncpu-default stages (s): {wall_s}")
    return Run(folder, outputs, wall_s)


async def _reply(host: str, model: str, messages: list[dict[str, str]]) -> str:
    async with OllamaGateway(host) as gateway:
        chunks = [c async for c in gateway.chat_stream(model, messages, options=GREEDY, keep_alive=0)]
    return "".join(chunk.content for chunk in chunks)


def _base(folder: Path) -> Path:
    return Path(json.loads((folder / "run.json").read_text())["config"]["model"]["base"])


def _question(folder: Path) -> list[dict[str, str]]:
    """A trained row's prompt as the chat sends it (its system prompt, if it has one, and question)."""
    row = json.loads((folder / "dataset" / "train.jsonl").read_text().splitlines()[0])
    return row["messages"][:-1]


async def test_the_served_model_with_the_adapter_answers_the_trained_phrase_and_the_base_does_not(
    cpu_default: Run, ollama_host: str, ollama_model: str
) -> None:
    try:
        question = _question(cpu_default.folder)
        assert PHRASE in await _reply(ollama_host, NAME, question)
        assert "PINEAPPLE" not in await _reply(ollama_host, ollama_model, question)
    finally:
        async with OllamaGateway(ollama_host) as gateway:
            await gateway.delete_model(NAME)


def test_the_adapter_is_a_gguf_applied_on_the_served_model(cpu_default: Run, ollama_model: str) -> None:
    export = cpu_default.folder / "export"
    manifest = json.loads((export / "manifest.json").read_text())
    assert list(manifest["artifacts"]) == ["adapter"] and manifest["chat_family"] == "gemma"
    adapter = manifest["artifacts"]["adapter"]
    assert adapter["base"] == {"ollama": ollama_model}
    assert (export / adapter["file"]).read_bytes()[:4] == b"GGUF"
    modelfile = (export / "Modelfile.adapter").read_text()
    assert f"FROM {ollama_model}\n" in modelfile and f"ADAPTER ./{adapter['file']}" in modelfile
    assert 'PARAMETER stop "<end_of_turn>"' in modelfile


def test_training_lowers_the_held_out_loss_on_the_converted_base(cpu_default: Run) -> None:
    config = json.loads((cpu_default.folder / "run.json").read_text())["config"]
    base = _base(cpu_default.folder)
    assert base == ROOT / "var" / "finetune" / "bases" / "gemma3-270m"
    assert json.loads((base / STAMP).read_text())["gguf"] == "shipped"
    result = json.loads((cpu_default.folder / "eval.json").read_text())
    assert result["bpb"] < result["base_bpb"] / 2
    train = json.loads((cpu_default.folder / "train.json").read_text())
    assert train["steps"] == config["train"]["max_steps"]


def test_the_converted_tokenizer_gives_the_token_ids_of_the_served_model(
    cpu_default: Run, ollama_host: str, ollama_model: str
) -> None:
    tokenize = [str(train_python()), "-c", _TOKENIZE, str(_base(cpu_default.folder)), json.dumps(TOKENIZED)]
    ours = json.loads(subprocess.run(tokenize, capture_output=True, text=True, check=True, timeout=300).stdout)
    for text, ids in zip(TOKENIZED, ours, strict=True):
        # The prompt as is (no template): the reply's context is its token ids (no <bos>), then one generated.
        reply = httpx.post(
            f"{ollama_host}/api/generate",
            json={
                "model": ollama_model,
                "prompt": text,
                "template": "{{ .Prompt }}",
                "stream": False,
                "keep_alive": 0,
                "options": {"num_predict": 1, "temperature": 0},
            },
            timeout=120,
        ).json()
        assert reply["context"][: len(ids)] == ids, text
        assert len(reply["context"]) <= len(ids) + 1
