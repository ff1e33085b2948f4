"""The command as a user runs it: crash-safety under kill -9, resume, clear stops and errors."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from tests.fakes import fake_groq as fake
from tests.fakes.fake_groq import FakeGroq
from tests.translation.conftest import ROOT, cli, cli_env, darija
from translation.sources import write_segments


def write_input(folder: Path, count: int) -> Path:
    path = folder / "segments.json"
    write_segments(path, darija(count))
    return path


def output_ids(path: Path) -> Counter[str]:
    """Ids in a finished output file; every line must be a whole JSON record."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return Counter(str(json.loads(line)["id"]) for line in lines)


def run_args(source: Path, output: Path, server: FakeGroq, *extra: str) -> list[str]:
    return ["run", str(source), str(output), "--base-url", server.base_url, "--rpm", "0", *extra]


def test_kill_9_at_random_points_then_rerun_gives_every_id_exactly_once(tmp_path: Path, groq_key: str) -> None:
    rng = random.Random()
    count = 300
    source, output = write_input(tmp_path, count), tmp_path / "out.jsonl"
    with FakeGroq(api_key=groq_key, latency=0.04) as server:
        # some answers need a split-and-retry, so requests of every size are in flight when killed
        server.behaviour = lambda request: (fake.chatter if rng.random() < 0.15 else fake.correct)(request)
        args = [
            sys.executable,
            "-m",
            "translation",
            *run_args(source, output, server, "--batch-size", "4", "--concurrency", "3"),
        ]
        kills = 0
        for threshold in sorted(rng.sample(range(1, count - 40), 4)):
            process = subprocess.Popen(
                args,
                cwd=ROOT,
                env=cli_env({"GROQ_API_KEY": groq_key}),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            while process.poll() is None:
                if output.exists() and output.read_bytes().count(b"\n") >= threshold:
                    process.send_signal(signal.SIGKILL)
                    kills += 1
                    break
                time.sleep(0.005)
            process.wait(timeout=60)
        assert kills >= 1, "the run finished before any kill: the test did not test anything"
        final = cli(*run_args(source, output, server, "--batch-size", "4"), env={"GROQ_API_KEY": groq_key})
    assert final.returncode == 0, final.stderr
    assert "Done: every segment has a record." in final.stderr
    # a segment whose answers were chatter all the way down to itself alone is recorded as failed
    seen = output_ids(output) + output_ids(tmp_path / "out.failed.jsonl")
    assert set(seen) == {str(i) for i in range(count)}
    assert [key for key, times in seen.items() if times > 1] == []


def test_a_torn_last_line_is_repaired_on_resume(tmp_path: Path, fake_groq: FakeGroq, groq_key: str) -> None:
    source, output = write_input(tmp_path, 30), tmp_path / "out.jsonl"
    first = cli(*run_args(source, output, fake_groq, "--limit", "12"), env={"GROQ_API_KEY": groq_key})
    assert first.returncode == 0 and "18 segments still to do" in first.stderr
    with output.open("a", encoding="utf-8") as handle:
        handle.write('{"id": 29, "text": "rani fel 5edma 29", "transl')  # what a power cut leaves
    second = cli(*run_args(source, output, fake_groq), env={"GROQ_API_KEY": groq_key})
    assert second.returncode == 0, second.stderr
    assert "removed a torn last line" in second.stderr
    assert output_ids(output) == Counter({str(i): 1 for i in range(30)})


def test_ctrl_c_stops_cleanly_and_a_rerun_continues(tmp_path: Path, groq_key: str) -> None:
    source, output = write_input(tmp_path, 200), tmp_path / "out.jsonl"
    with FakeGroq(api_key=groq_key, latency=0.1) as server:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "translation",
                *run_args(source, output, server, "--batch-size", "2", "--concurrency", "1"),
            ],
            cwd=ROOT,
            env=cli_env({"GROQ_API_KEY": groq_key}),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        while not output.exists() or output.read_bytes().count(b"\n") < 4:
            assert process.poll() is None, process.communicate()
            time.sleep(0.01)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
        assert process.returncode == 130, stderr
        assert "Interrupted." in stderr and "rerun the same command to continue" in stderr
        assert "Translation summary" in stdout
        done = sum(output_ids(output).values())
        assert 4 <= done < 200
        rerun = cli(*run_args(source, output, server, "--batch-size", "20"), env={"GROQ_API_KEY": groq_key})
    assert rerun.returncode == 0, rerun.stderr
    assert output_ids(output) == Counter({str(i): 1 for i in range(200)})


def test_missing_key_is_a_clear_error_before_any_work(tmp_path: Path, fake_groq: FakeGroq) -> None:
    source, output = write_input(tmp_path, 5), tmp_path / "out.jsonl"
    result = cli(*run_args(source, output, fake_groq))
    assert result.returncode == 2
    assert "GROQ_API_KEY is not set" in result.stderr and "--backend ollama" in result.stderr
    assert not output.exists() and fake_groq.stats["http requests"] == 0


def test_a_rejected_key_stops_and_is_never_printed(tmp_path: Path, fake_groq: FakeGroq, groq_key: str) -> None:
    source, output = write_input(tmp_path, 5), tmp_path / "out.jsonl"
    wrong_key = groq_key + "-revoked"
    result = cli(*run_args(source, output, fake_groq), env={"GROQ_API_KEY": wrong_key})
    assert result.returncode == 3
    assert "Groq rejected the key in GROQ_API_KEY" in result.stderr
    assert wrong_key not in result.stdout + result.stderr
    assert fake_groq.stats["chat requests"] == 0


def test_exhausted_daily_quota_says_when_to_rerun(tmp_path: Path, fake_groq: FakeGroq, groq_key: str) -> None:
    source, output = write_input(tmp_path, 40), tmp_path / "out.jsonl"
    fake_groq.script.extend([fake.correct, fake.daily_quota(5400)])
    result = cli(
        *run_args(source, output, fake_groq, "--batch-size", "10", "--concurrency", "1"), env={"GROQ_API_KEY": groq_key}
    )
    assert result.returncode == 75, result.stderr
    assert "daily quota exhausted" in result.stderr
    assert "Rerun the same command after" in result.stderr and "(in 1h30m) to continue" in result.stderr
    assert sum(output_ids(output).values()) == 10
    assert groq_key not in result.stdout + result.stderr


def test_progress_and_summary_show_what_was_spent(tmp_path: Path, fake_groq: FakeGroq, groq_key: str) -> None:
    source, output = write_input(tmp_path, 25), tmp_path / "out.jsonl"
    fake_groq.behaviour = fake.echo_ids({"3"})
    result = cli(*run_args(source, output, fake_groq, "--batch-size", "10"), env={"GROQ_API_KEY": groq_key})
    assert result.returncode == 0, result.stderr
    assert "25/25" in result.stderr and "req ·" in result.stderr and "tok" in result.stderr
    summary = result.stdout
    assert "translated now" in summary and "24" in summary
    assert "echoed the source text instead of translating it ×1" in summary
    failed = [json.loads(line) for line in (tmp_path / "out.failed.jsonl").read_text().splitlines()]
    assert [(r["id"], r["error"]) for r in failed] == [(3, "echoed the source text instead of translating it")]

    retry = cli(*run_args(source, output, fake_groq, "--retry-failed"), env={"GROQ_API_KEY": "x" + groq_key})
    assert retry.returncode == 3  # wrong key: nothing retried, the old failures file was kept aside
    fake_groq.behaviour = fake.correct
    retry = cli(*run_args(source, output, fake_groq, "--retry-failed"), env={"GROQ_API_KEY": groq_key})
    assert retry.returncode == 0, retry.stderr
    assert output_ids(output) == Counter({str(i): 1 for i in range(25)})
    kept = list(tmp_path.glob("out.failed.*.jsonl"))  # the earlier failures, kept aside, not lost
    assert [json.loads(line)["id"] for path in kept for line in path.read_text().splitlines()] == [3]
    assert (tmp_path / "out.failed.jsonl").read_text() == ""


def test_a_run_that_translates_almost_nothing_exits_4_with_its_reasons(
    tmp_path: Path, fake_groq: FakeGroq, groq_key: str
) -> None:
    source, output = write_input(tmp_path, 10), tmp_path / "out.jsonl"
    fake_groq.behaviour = fake.echo_ids({str(index) for index in range(10)})  # the keys of darija(10)
    result = cli(*run_args(source, output, fake_groq), env={"GROQ_API_KEY": groq_key})
    assert result.returncode == 4, result.stderr
    assert "Mostly failed" in result.stderr and "echoed the source text" in result.stderr
    assert "Done:" not in result.stderr
    assert sum(output_ids(tmp_path / "out.failed.jsonl").values()) == 10  # every failure kept, with its reason
