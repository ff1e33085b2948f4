// Versions on the admin page: the gate's figures side by side, held-out prompts answered by both
// models over the admin's socket, picks, and the actions: activate (a 409 eval_gate opens the
// override dialog, whose retry sends the reason), roll back and retire on their own endpoints.
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { json, serveApi, versionOut } from "../testing/adminWire";
import { FakeSocket, installFakeSocket } from "../testing/fakeSocket";
import { conversationOut, messageDone, messageOut, modelsOut, userOut } from "../testing/wire";
import AdminPage from "./AdminPage";
import type { ModelVersionOut } from "../contract";

const staff = userOut({ username: "root", is_staff: true });
const HELDOUT = "ab".repeat(32);
const active = versionOut({
  id: "v1",
  name: "hadra-tiny-cpu:aaaa",
  status: "active",
  metrics: { eval: { heldout_set: HELDOUT, heldout_rows: 8, bpb: 1.5, base_bpb: 2.0, samples: [] }, gguf_bytes: 1_200_000 },
});
const worse = versionOut({
  id: "v2",
  name: "hadra-tiny-cpu:bbbb",
  metrics: {
    eval: {
      heldout_set: HELDOUT,
      heldout_rows: 8,
      bpb: 1.75,
      base_bpb: 2.0,
      samples: [{ prompt: "واش راك؟", messages: [{ role: "user", content: "واش راك؟" }], reference: "Labas" }],
    },
  },
  gate: { heldout_set: HELDOUT, version_bpb: 1.75, active_model: active.ollama_model, active_bpb: 1.5, win_rate: null, passes: false },
});
const retired = versionOut({ id: "v0", name: "old", status: "retired" });

async function mountVersions(versions: ModelVersionOut[], routes: Parameters<typeof serveApi>[0] = {}) {
  const api = serveApi({
    "GET /api/admin/model-versions": () => json({ versions }),
    "GET /api/models": () => json(modelsOut({ default_model: active.ollama_model })),
    ...routes,
  });
  window.history.pushState(null, "", "/admin/versions");
  render(<AdminPage user={staff} onBack={vi.fn()} onSignedOut={vi.fn()} />);
  await act(async () => FakeSocket.last().open());
  await screen.findByText(versions[0].name);
  return api;
}

function row(id: string): HTMLElement {
  return document.querySelector(`tr[data-version-id="${id}"]`) as HTMLElement;
}

installFakeSocket();

describe("versions", () => {
  it("lists name, base, metrics, size and status, with actions by status", async () => {
    await mountVersions([worse, active, retired]);
    expect(row("v1").textContent).toContain("1.5000");
    expect(row("v1").textContent).toContain("1.2 MB");
    expect(row("v1").textContent).toContain("Active");
    expect(within(row("v1")).getByRole("button", { name: "Roll back" })).toBeTruthy();
    expect(within(row("v1")).queryByRole("button", { name: "Activate" })).toBeNull();
    expect(within(row("v2")).getByRole("button", { name: "Activate" })).toBeTruthy();
    expect(within(row("v2")).getByRole("button", { name: "Retire" })).toBeTruthy();
    expect(within(row("v0")).queryByRole("button", { name: /Activate|Retire|Roll back/ })).toBeNull();
  });

  it("names the Ollama hosts a version is missing on, and nothing when every host has it", async () => {
    await mountVersions([{ ...worse, missing_on: ["http://ollama-2:11434", "http://ollama-3:11434"] }, active, retired]);
    const missing = row("v2").querySelector("[data-missing-on]") as HTMLElement;
    expect(missing.textContent).toBe("Missing on http://ollama-2:11434, http://ollama-3:11434");
    expect(missing.title).toContain("answers go only to the hosts that have it");
    expect(row("v1").querySelector("[data-missing-on]")).toBeNull();
    expect(row("v0").querySelector("[data-missing-on]")).toBeNull();
  });

  it("opens the override dialog when the gate refuses (409 eval_gate) and retries with the reason", async () => {
    let attempts = 0;
    const api = await mountVersions([worse, active], {
      "POST /api/admin/model-versions/v2/activate": (body) => {
        attempts += 1;
        if (!body) {
          return json(
            { error: { code: "eval_gate", message: "worse", params: { version_bpb: 1.75, active_bpb: 1.5, heldout_set: HELDOUT } } },
            409,
          );
        }
        return json({ default_model: worse.ollama_model, active_version: { ...worse, status: "active" } });
      },
    });
    await act(async () => fireEvent.click(within(row("v2")).getByRole("button", { name: "Activate" })));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByText(/scores worse than the active model \(1\.750 vs 1\.500 bits per byte\)/)).toBeTruthy();
    expect(dialog.querySelector('[data-figure="version"]')?.textContent).toBe("1.7500");
    expect(dialog.querySelector('[data-figure="active"]')?.textContent).toBe("1.5000");
    const confirm = within(dialog).getByRole("button", { name: "Activate anyway" }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true); // no reason, no override

    fireEvent.change(within(dialog).getByLabelText("Reason for overriding"), { target: { value: "  the picks favour it  " } });
    await act(async () => fireEvent.click(confirm));
    expect(attempts).toBe(2);
    const activations = api.calls.filter((c) => c.path === "/api/admin/model-versions/v2/activate");
    expect(activations.map((c) => c.body)).toEqual([undefined, { override_reason: "the picks favour it" }]);
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(screen.getByRole("status").textContent).toContain(`Active now: ${worse.ollama_model.replace(/:latest$/, "")}`);
  });

  it("rolls back the active version and retires another, each on its own endpoint, after asking", async () => {
    const api = await mountVersions([worse, active], {
      "POST /api/admin/model-versions/v1/rollback": () => json({ default_model: "gemma3:270m", active_version: null }),
      "DELETE /api/admin/model-versions/v2": () => json(null, 204),
    });
    const confirm = vi.spyOn(window, "confirm").mockReturnValue(true);
    await act(async () => fireEvent.click(within(row("v1")).getByRole("button", { name: "Roll back" })));
    expect(api.calls.filter((c) => c.method === "POST").map((c) => c.path)).toEqual(["/api/admin/model-versions/v1/rollback"]);
    expect(await screen.findByText("Rolled back; chats now use gemma3:270m.")).toBeTruthy();

    await act(async () => fireEvent.click(within(row("v2")).getByRole("button", { name: "Retire" })));
    expect(api.calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual(["/api/admin/model-versions/v2"]);
    expect(confirm).toHaveBeenCalledTimes(2);
  });

  it("reads the list again when another admin changes the active model (models.changed)", async () => {
    const api = await mountVersions([worse, active]);
    const reads = () => api.calls.filter((c) => c.path === "/api/admin/model-versions").length;
    expect(reads()).toBe(1);
    await act(async () => FakeSocket.last().receive({ type: "models.changed", default_model: worse.ollama_model, models: [] }));
    expect(reads()).toBe(2);
  });

  it("says why a model could not answer a held-out prompt, and offers to ask again", async () => {
    await mountVersions([worse, active]);
    await act(async () => fireEvent.click(within(row("v2")).getByRole("button", { name: "Compare" })));
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Answer it with both models" })));
    const [a, b] = FakeSocket.last()
      .frames()
      .filter((f) => f.type === "chat.send")
      .map((f) => String(f.request_id));
    await act(async () => {
      for (const requestId of [a, b]) {
        FakeSocket.last().receive({ type: "error", code: "model_not_found", message: "no such model", params: { model: worse.ollama_model }, request_id: requestId });
      }
    });
    const failure = document.querySelector('[data-side="version"] [role="alert"]');
    expect(failure?.textContent).toBe("The model “hadra-tiny-cpu:bbbb” is not available.");
    expect(screen.getByRole("button", { name: "Answer it with both models" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "This version is better" })).toBeNull();
  });

  it("does nothing when the admin does not confirm a retire", async () => {
    const api = await mountVersions([worse, active]);
    vi.spyOn(window, "confirm").mockReturnValue(false);
    await act(async () => fireEvent.click(within(row("v2")).getByRole("button", { name: "Retire" })));
    expect(api.calls.filter((c) => c.method !== "GET")).toEqual([]);
  });

  it("shows the gate figures side by side and has a held-out prompt answered by both models, then records the pick", async () => {
    const api = await mountVersions([worse, active], {
      "POST /api/admin/model-versions/v2/picks": () => json({ ...worse, picks: { version: 1, active: 0, tie: 0 }, gate: { ...worse.gate, win_rate: 1 } }),
      "DELETE /api/conversations/cA": () => json(null, 204),
      "DELETE /api/conversations/cB": () => json(null, 204),
    });
    await act(async () => fireEvent.click(within(row("v2")).getByRole("button", { name: "Compare" })));
    const figures = document.querySelector(".gatefigures") as HTMLElement;
    expect(figures.querySelector('[data-figure="version"]')?.textContent).toBe("1.7500");
    expect(figures.querySelector('[data-figure="active"]')?.textContent).toBe("1.5000");
    expect(figures.querySelector('[data-figure="base"]')?.textContent).toBe("2.0000");
    expect(screen.getByText("Worse than the active model on the held-out rows (lower is better).")).toBeTruthy();
    const prompt = screen.getByText("واش راك؟");
    expect(prompt.getAttribute("dir")).toBe("auto");

    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Answer it with both models" })));
    const sends = FakeSocket.last()
      .frames()
      .filter((f) => f.type === "chat.send");
    expect(sends.map((f) => [f.model, f.content, f.conversation_id])).toEqual([
      [worse.ollama_model, "واش راك؟", null],
      [active.ollama_model, "واش راك؟", null],
    ]);
    const [a, b] = sends.map((f) => String(f.request_id));
    await act(async () => {
      for (const [requestId, cid, mid, text] of [
        [a, "cA", "mA", "لاباس، الحمد لله"],
        [b, "cB", "mB", "Fine, thanks"],
      ]) {
        FakeSocket.last().receive({ type: "conversation.created", request_id: requestId, conversation: conversationOut({ id: cid }) });
        FakeSocket.last().receive({ type: "message.created", request_id: requestId, message: messageOut({ id: `u${cid}`, conversation_id: cid, parent_id: null, role: "user" }) });
        FakeSocket.last().receive({ type: "message.created", request_id: requestId, message: messageOut({ id: mid, conversation_id: cid, parent_id: `u${cid}`, role: "assistant", status: "streaming" }) });
        FakeSocket.last().receive({ type: "message.delta", message_id: mid, seq: 1, text: text.slice(0, 3) });
        FakeSocket.last().receive(messageDone({ message_id: mid, status: "complete", content: text }));
      }
    });
    const mine = document.querySelector('[data-side="version"] .plain') as HTMLElement;
    expect(mine.textContent).toBe("لاباس، الحمد لله");
    expect(mine.getAttribute("dir")).toBe("auto");
    expect(document.querySelector('[data-side="active"] .plain')?.textContent).toBe("Fine, thanks");
    // The throwaway conversations go once their answers are done.
    expect(api.calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual(["/api/conversations/cA", "/api/conversations/cB"]);

    await act(async () => fireEvent.click(screen.getByRole("button", { name: "This version is better" })));
    expect(api.calls.find((c) => c.path === "/api/admin/model-versions/v2/picks")?.body).toEqual({ winner: "version" });
    expect(screen.getByText("Thanks, recorded.")).toBeTruthy();
    expect(figures.querySelector('[data-figure="win-rate"]')?.textContent).toBe("100%");
  });
});
