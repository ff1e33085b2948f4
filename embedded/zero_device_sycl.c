/*
 * A stand-in for IPEX-LLM's libollama-ggml-sycl.so that registers a SYCL backend with ZERO devices.
 *
 * Why: the Ollama 0.5.4 build inside the bigdl-core-cpp==2.6.0 wheel links libollama_ggml.so,
 * libollama_llama.so and libollama_llava_shared.so against libollama-ggml-sycl.so. The real library
 * needs Intel's SYCL runtime, oneMKL, oneDNN, TBB and OpenCL (none of which PyPI ships with it) and
 * aborts without an Intel GPU. With this library in its place ggml finds a "SYCL" backend that has
 * no devices, so every tensor stays on the CPU backend and Ollama runs on the CPU.
 *
 * Only the symbols the other libraries import from the real one are defined here (found with
 * `nm -D --undefined-only`, see embedded/ollama.py). The struct layouts copy ggml's
 * ggml-backend-impl.h of that release: ggml only reads them through the function pointers below.
 *
 * Built by embedded/ollama.py: gcc -shared -fPIC -O2 -o libollama-ggml-sycl.so zero_device_sycl.c
 */
#include <stddef.h>
#include <string.h>

/* ggml_backend_reg_t in ggml: a pointer to the registry struct below. */
struct ggml_backend_reg;

/* ggml_backend_reg_i: the interface ggml calls to enumerate a backend's devices. */
struct ggml_backend_reg_i {
    const char *(*get_name)(struct ggml_backend_reg *reg);
    size_t (*get_device_count)(struct ggml_backend_reg *reg);
    void *(*get_device)(struct ggml_backend_reg *reg, size_t index);
    void *(*get_proc_address)(struct ggml_backend_reg *reg, const char *name);
};

/* struct ggml_backend_reg: {api_version, iface, context}. */
struct ggml_backend_reg {
    int api_version;
    struct ggml_backend_reg_i iface;
    void *context;
};

static const char *reg_get_name(struct ggml_backend_reg *reg) {
    (void)reg;
    return "SYCL";
}

/* Zero devices: ggml never asks for a device, so the CPU backend takes every layer. */
static size_t reg_get_device_count(struct ggml_backend_reg *reg) {
    (void)reg;
    return 0;
}

static void *reg_get_device(struct ggml_backend_reg *reg, size_t index) {
    (void)reg;
    (void)index;
    return NULL;
}

/* No optional extensions (split buffers, thread settings, ...): ggml treats NULL as "not offered". */
static void *reg_get_proc_address(struct ggml_backend_reg *reg, const char *name) {
    (void)reg;
    (void)name;
    return NULL;
}

static struct ggml_backend_reg zero_device_reg = {
    .api_version = 1,
    .iface = {
        .get_name = reg_get_name,
        .get_device_count = reg_get_device_count,
        .get_device = reg_get_device,
        .get_proc_address = reg_get_proc_address,
    },
    .context = NULL,
};

/* Imported by libollama_ggml.so: ggml's backend registry adds this backend at start-up. */
struct ggml_backend_reg *ggml_backend_sycl_reg(void) {
    return &zero_device_reg;
}

/* Imported by libollama_llava_shared.so: a SYCL backend for a device; there is none, so NULL
 * (llava then falls back to the CPU backend). */
void *ggml_backend_sycl_init(int device) {
    (void)device;
    return NULL;
}

/* Imported by libollama_llama.so to log a device's name; answer "none" if it is ever asked. */
void ggml_backend_sycl_get_device_name(int device, char *description, size_t description_size) {
    (void)device;
    if (description != NULL && description_size > 0) {
        strncpy(description, "none", description_size - 1);
        description[description_size - 1] = '\0';
    }
}

/* Imported by libollama_llama.so (C++ name of ggml_format_convert_to_xpu(const void*, void*, size_t, int)):
 * converts weights to an XPU layout. Only called for tensors on an Intel GPU, so a no-op here.
 * The mangled name is defined directly because this file is C, not C++. */
void _Z26ggml_format_convert_to_xpuPKvPvmi(const void *src, void *dst, size_t n, int type) {
    (void)src;
    (void)dst;
    (void)n;
    (void)type;
}
