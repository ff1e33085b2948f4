# The `finetune` service of docker-compose.yml (profile `train`): the training worker on CPU, the
# environment `make train-env` builds (torch's CPU build, hadra, the pinned finetune/requirements-cpu.txt
# with --no-deps, llama.cpp's converters). Trains the CPU presets (finetune/configs/cpu-default.toml);
# GPU configs need docker-compose.gpu.yml. Not built on the development machines (no Docker engine there).
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends build-essential git \
    && rm -rf /var/lib/apt/lists/*
ENV PYTHONUNBUFFERED=1 HF_HOME=/cache/huggingface
WORKDIR /app
# torch first and alone, from PyTorch's CPU index (no CUDA libraries), at the version the lock expects.
RUN pip install --no-cache-dir --index-url https://download.pytorch.org/whl/cpu torch==2.13.0
COPY . .
RUN pip install --no-cache-dir -c finetune/constraints.txt -e . \
    && pip install --no-cache-dir --no-deps -r finetune/requirements-cpu.txt \
    && python -m finetune tools
CMD ["python", "-m", "finetune", "worker"]
