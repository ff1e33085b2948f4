import { describe, expect, it } from "vitest";
import { readCookie } from "./api";
import { describeError, modelsNotice } from "./notices";
import { matchModel, modelLabel, normalizeError, normalizeMessage, normalizeModels } from "./protocol";

describe("normalize", () => {
  it("fills a message's defaults and always lists it among its siblings", () => {
    const m = normalizeMessage({ id: "m1", conversation_id: "c", role: "assistant", parent_id: "p" });
    expect(m).toMatchObject({ content: "", status: "complete", sibling_ids: ["m1"], error: null });
    expect(normalizeMessage({ id: "m2", conversation_id: "c", sibling_ids: ["m1", "m2"] }).sibling_ids).toEqual(["m1", "m2"]);
  });

  it("accepts errors as strings or objects", () => {
    expect(normalizeError("boom")).toEqual({ code: "error", message: "boom" });
    expect(normalizeError({ code: "rate_limited", message: "slow down" })).toEqual({ code: "rate_limited", message: "slow down" });
    expect(normalizeError(null)).toBeNull();
  });

  it("accepts models as names or objects", () => {
    expect(normalizeModels({ default_model: "b", models: ["a", { name: "b" }] })).toEqual({
      default_model: "b",
      models: ["a", "b"],
      ollama_error: null,
    });
    expect(normalizeModels({ models: [{ name: "x" }] }).default_model).toBe("x");
  });
});

describe("model names", () => {
  it("treats name and name:latest as one model", () => {
    expect(modelLabel("hadra-gemma3:latest")).toBe("hadra-gemma3");
    expect(modelLabel("qwen2:7b")).toBe("qwen2:7b");
    expect(matchModel("hadra-gemma3", ["a:latest", "hadra-gemma3:latest"])).toBe("hadra-gemma3:latest");
    expect(matchModel("gone", ["a:latest"])).toBeNull();
  });
});

describe("describeError", () => {
  it("tells a rate-limited user to wait, with the server's words kept", () => {
    const n = describeError("rate_limited", "20 messages per minute; try again in 31 s");
    expect(n.kind).toBe("limit");
    expect(n.advice).toMatch(/Wait/);
    expect(n.detail).toBe("20 messages per minute; try again in 31 s");
  });

  it("tells the user what to do when the model server is down", () => {
    const n = describeError("ollama_unavailable", "connection refused");
    expect(n.kind).toBe("down");
    expect(n.advice).toMatch(/Ollama/);
  });

  it("recognises the gateway's own failure texts", () => {
    expect(describeError("error", "Ollama at http://127.0.0.1:11434 is not reachable; start it (make run) or set OLLAMA_HOST").kind).toBe("down");
    expect(describeError("error", "model 'x' is not available on Ollama at h (pull it)").kind).toBe("model");
    expect(describeError("error", "Ollama at h is busy (queue full); try again in a moment").kind).toBe("busy");
    expect(describeError("busy", "An answer is still being generated in this conversation; stop it or wait.").kind).toBe("busy");
  });

  it("reads GET /api/models: a notice only when Ollama could not be reached", () => {
    expect(modelsNotice(normalizeModels({ default_model: "m", models: ["m"], ollama_error: null }))).toBeNull();
    expect(modelsNotice(normalizeModels({ default_model: "m", models: [], ollama_error: "Ollama cannot be reached" }))).toMatchObject({
      kind: "down",
      detail: "Ollama cannot be reached",
    });
  });

  it("still shows an unknown error's message", () => {
    expect(describeError("weird", "something odd")).toMatchObject({ kind: "other", detail: "something odd" });
  });
});

describe("readCookie", () => {
  it("finds Django's CSRF cookie among others", () => {
    expect(readCookie("csrftoken", "sessionid=abc; csrftoken=tok%3D1; x=y")).toBe("tok=1");
    expect(readCookie("csrftoken", "sessionid=abc")).toBeNull();
  });
});
