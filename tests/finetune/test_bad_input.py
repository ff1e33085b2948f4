"""Bad input and unusable environments: each ends with exit code 2 and a message naming the problem
and the fix, never a traceback, never a silent fallback."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from embedded.process import free_port
from tests.finetune.helpers import SYSTEM, config_text, finetune, ok, translation_records, write_jsonl
from tests.support.gguf import gguf


def _failed(result) -> str:
    assert result.returncode == 2, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stdout + result.stderr
    return " ".join(result.stdout.split())  # rich wraps long lines


def test_a_dataset_with_no_usable_rows_is_an_error_that_counts_what_was_skipped(tmp_path: Path) -> None:
    source = tmp_path / "translations.jsonl"
    source.write_text('{"id": "1", "text": "wach rak?"}\n{"id": "2", "text": "", "translation": "x"}\nnot json\n')
    out = _failed(finetune("dataset", "--translations", str(source), "--no-chat", "--out", str(tmp_path / "ds")))
    assert "no usable rows" in out
    assert "translations.jsonl: 3 read" in out
    assert "1 no 'translation'" in out and "1 no 'text'" in out and "1 not valid JSON" in out
    assert not (tmp_path / "ds" / "train.jsonl").exists()


def test_a_config_with_unknown_keys_names_each_key_and_what_is_allowed(tmp_path: Path) -> None:
    config = tmp_path / "run.toml"
    text = config_text(tmp_path, tmp_path, tmp_path / "run").replace("alpha = 32", "alpha = 32\nrnk = 8")
    config.write_text(text + "\n[extra]\nx = 1\n")
    out = _failed(finetune("train", "--config", str(config)))
    assert "unknown key 'lora.rnk'" in out and "allowed in [lora]: r, alpha, dropout, target_modules" in out
    assert "unknown key 'extra'" in out


def test_a_config_with_a_wrong_value_names_the_key(tmp_path: Path) -> None:
    config = tmp_path / "run.toml"
    config.write_text(
        config_text(tmp_path, tmp_path, tmp_path / "run").replace("learning_rate = 1e-2", 'learning_rate = "fast"')
    )
    out = _failed(finetune("train", "--config", str(config)))
    assert "'train.learning_rate'" in out and "'fast'" in out


def test_training_without_unsloth_stops_loudly_instead_of_falling_back(tmp_path: Path) -> None:
    """The chat server's venv has no Unsloth: train must refuse, not quietly use plain TRL."""
    source = write_jsonl(tmp_path / "t.jsonl", translation_records())
    ok(
        finetune(
            "dataset",
            "--translations",
            str(source),
            "--no-chat",
            "--out",
            str(tmp_path / "ds"),
            "--system-prompt",
            SYSTEM,
        )
    )
    config = tmp_path / "run.toml"
    config.write_text(config_text(tmp_path / "base", tmp_path / "ds", tmp_path / "run"))
    out = _failed(finetune("train", "--config", str(config)))  # sys.executable: the server's venv
    assert "UNSLOTH UNAVAILABLE" in out and "never falls back to another trainer" in out
    assert not (tmp_path / "run" / "adapter").exists()


class _RefusingOllama(BaseHTTPRequestHandler):
    """An Ollama whose disk is full: it answers, but refuses every blob upload as the real one would."""

    def do_GET(self) -> None:
        self._json(200, {"version": "0.12.6"}) if self.path == "/api/version" else self._json(404, {})

    def do_HEAD(self) -> None:
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:
        length = self.headers.get("Content-Length")
        if length:
            self.rfile.read(int(length))
        else:  # chunked upload
            while size := int(self.rfile.readline().strip() or b"0", 16):
                self.rfile.read(size + 2)
            self.rfile.readline()
        self._json(500, {"error": "write /models/blobs/sha256-partial: no space left on device"})

    def _json(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def refusing_ollama() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _RefusingOllama)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _exported_run(root: Path) -> Path:
    """A run folder as `export` leaves it (a small valid GGUF stands in for the model: register's
    file check passes it, so what refuses it is Ollama)."""
    from finetune.config import parse
    from finetune.runs import Run, file_sha256

    run = Run(root / "run")
    config = parse({"model": {"base": "tiny"}, "train": {"dataset": "ds", "output_dir": "run"}}, root / "x.toml")
    run.write_json(run.manifest, {"config": json.loads(config.model_dump_json())})
    model = run.export / "model-q8_0.gguf"
    model.parent.mkdir(parents=True)
    model.write_bytes(gguf({"general.architecture": "llama"}, [("token_embd.weight", (8, 4))]))
    run.write_json(
        run.export / "manifest.json",
        {
            "base_model": "tiny",
            "chat_family": "chatml",
            "template": "{{ .Prompt }}",
            "stops": ["<|im_end|>"],
            "system": SYSTEM,
            "artifacts": {"merged": {"file": model.name, "sha256": file_sha256(model), "bytes": model.stat().st_size}},
        },
    )
    return run.root


def test_an_ollama_that_refuses_the_blob_is_named_with_its_reason(
    tmp_path: Path, refusing_ollama: str, mongo_uri: str
) -> None:
    run = _exported_run(tmp_path)
    out = _failed(
        finetune(
            "register",
            "--run",
            str(run),
            "--name",
            "refused-model",
            "--ollama-host",
            refusing_ollama,
            "--mongo-uri",
            mongo_uri,
        )
    )
    assert f"Ollama at {refusing_ollama} refused the blob model-q8_0.gguf" in out
    assert "no space left on device" in out


def test_register_without_an_export_says_which_step_to_run(tmp_path: Path, mongo_uri: str) -> None:
    out = _failed(finetune("register", "--run", str(tmp_path), "--name", "x", "--mongo-uri", mongo_uri))
    assert "manifest.json not found" in out and "python -m finetune export" in out
