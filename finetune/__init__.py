"""Fine-tuning pipeline: chat data → SFT dataset → Unsloth LoRA → GGUF → Ollama → ModelVersion.

Each step is its own module and its own ``python -m finetune`` command, so a long GPU run can be
resumed or repeated step by step. Only ``train``, ``export``, ``eval`` and ``tiny-base`` need the
training stack (the ``.venv-train`` environment, see ``finetune/constraints.txt``); ``dataset`` and
``register`` run in the chat server's own environment too.
"""
