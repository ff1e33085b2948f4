# The `finetune` service of docker-compose.gpu.yml: Unsloth LoRA training on an NVIDIA GPU, GGUF export
# with llama.cpp's converters and llama-quantize (both from the pinned llama-cpp-python sdist on PyPI),
# registration with the Ollama service. Not built on the development machines (no Docker engine there).

# --- llama-quantize, for q4_k_m exports, from the same pinned sources as the converters ---
FROM nvidia/cuda:12.8.1-cudnn-devel-ubuntu24.04 AS quantize
RUN apt-get update && apt-get install -y --no-install-recommends python3-pip cmake build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
RUN printf 'llama-cpp-python==0.3.36 --hash=sha256:832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e\n' > req.txt \
    && pip download --break-system-packages --no-deps --no-binary :all: --require-hashes -r req.txt -d . \
    && tar xzf llama_cpp_python-0.3.36.tar.gz \
    && cmake -S llama_cpp_python-0.3.36/vendor/llama.cpp -B build -DBUILD_SHARED_LIBS=OFF -DGGML_NATIVE=OFF \
       -DLLAMA_CURL=OFF -DGGML_CUDA=OFF \
    && cmake --build build --target llama-quantize -j"$(nproc)"

# --- the training image ---
FROM nvidia/cuda:12.8.1-cudnn-devel-ubuntu24.04
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv python3-dev \
    build-essential git && rm -rf /var/lib/apt/lists/*
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 \
    HADRA_LLAMA_QUANTIZE=/usr/local/bin/llama-quantize HF_HOME=/cache/huggingface
RUN python3 -m venv /opt/venv
WORKDIR /app
# torch first and alone (the CUDA build from PyPI), then the training extra under the same pins.
RUN pip install --no-cache-dir torch==2.13.0
COPY . .
RUN pip install --no-cache-dir -c finetune/constraints.txt -e ".[train]" \
    && pip uninstall -y torchvision \
    && python -m finetune tools
COPY --from=quantize /src/build/bin/llama-quantize /usr/local/bin/llama-quantize
CMD ["sh", "docker/finetune-pipeline.sh"]
