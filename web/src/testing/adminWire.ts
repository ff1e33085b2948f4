// What the admin endpoints send, built whole for tests (like wire.ts for the chat), and a fetch
// stand-in that answers by method and path and records what the page sent.
import type { DatasetCountsOut, DatasetRowOut, ModelVersionOut, TrainingRunOut } from "../contract";
import { vi } from "vitest";

const AT = "2026-01-01T00:00:00Z";

export function trainingRunOut(fields: Partial<TrainingRunOut> & Pick<TrainingRunOut, "id">): TrainingRunOut {
  return {
    preset: "tiny-cpu",
    status: "queued",
    created_by: "id-root",
    created_at: AT,
    started_at: null,
    finished_at: null,
    worker_id: null,
    cancel_requested: false,
    progress: { stage: "queued", step: 0, total_steps: 0, loss: null, eta_s: null },
    loss_curve: [],
    log_tail: [],
    folder: `var/finetune/runs/${fields.id}`,
    version_id: null,
    error: null,
    dataset: null,
    ...fields,
  };
}

export function versionOut(fields: Partial<ModelVersionOut> & Pick<ModelVersionOut, "id" | "name">): ModelVersionOut {
  return {
    base_model: "gemma3:270m",
    ollama_model: `${fields.name}:latest`,
    source_run: null,
    gguf_sha256: [],
    metrics: {},
    status: "registered",
    created_at: AT,
    activated_at: null,
    retired_at: null,
    picks: { version: 0, active: 0, tie: 0 },
    gate: null,
    missing_on: [],
    ...fields,
  };
}

export function datasetCounts(fields: Partial<DatasetCountsOut> = {}): DatasetCountsOut {
  return {
    chat_rated: 0,
    chat_edited: 0,
    translation: 0,
    preference_pairs: 0,
    excluded: 0,
    opted_out: 0,
    skipped: {},
    new: 0,
    new_since: null,
    translations_folder: "var/translations",
    ...fields,
  };
}

export function datasetRow(fields: Partial<DatasetRowOut> & Pick<DatasetRowOut, "origin">): DatasetRowOut {
  return {
    source: "chat_rated",
    message_id: fields.origin,
    conversation_id: "c1",
    prompt: [],
    answer: "",
    rejected: null,
    excluded: false,
    at: AT,
    ...fields,
  };
}

export function json(data: unknown, status = 200): Response {
  return new Response(data === null ? null : JSON.stringify(data), { status, headers: { "Content-Type": "application/json" } });
}

type Route = (body: unknown, url: URL) => Response | Promise<Response>;

/**
 * Installs as the global fetch (until vi.unstubAllGlobals) a stand-in that answers `"METHOD /path"`
 * from `routes` (404 not_found otherwise) and keeps each call.
 */
export function serveApi(routes: Record<string, Route>) {
  const calls: Array<{ method: string; path: string; body: unknown }> = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), "http://hadra.test");
    const method = init?.method ?? "GET";
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method, path: url.pathname, body });
    const route = routes[`${method} ${url.pathname}`];
    if (route) return route(body, url);
    return json({ error: { code: "not_found", message: `No route ${method} ${url.pathname} in the test.`, params: {} } }, 404);
  });
  vi.stubGlobal("fetch", fetch);
  return { fetch, calls };
}
