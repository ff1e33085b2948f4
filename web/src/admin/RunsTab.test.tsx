// Training runs on the admin page: a run started here, then watched as the server pushes
// `training.progress` frames on the staff socket; cancel; the server's sentence when no worker runs.
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { json, serveApi, trainingRunOut, versionOut } from "../testing/adminWire";
import { FakeSocket, installFakeSocket } from "../testing/fakeSocket";
import { modelsOut, userOut } from "../testing/wire";
import AdminPage from "./AdminPage";
import { curvePoints } from "./LossCurve";

const staff = userOut({ username: "root", is_staff: true });
const HINT = "No training worker is running: run `make train-env`, then `make run`.";
const presets = {
  presets: [
    { name: "cpu-default", description: "A LoRA on the shipped model, on CPU.", device: "cpu", runnable: true },
    { name: "tiny-cpu", description: "The tiny test base.", device: "cpu", runnable: true },
    { name: "qwen-7b", description: "GPU.", device: "gpu", runnable: false },
  ],
};
const worker = { worker_id: "w1", host: "box", seen_at: "2026-01-01T00:00:00Z", presets: ["cpu-default", "tiny-cpu"], run_id: null };

async function mountRuns(workers: object[] = [worker], enable_hint: string | null = null) {
  const api = serveApi({
    "GET /api/admin/presets": () => json(presets),
    "GET /api/admin/training-runs": () => json({ runs: [], workers, enable_hint: workers.length ? null : enable_hint }),
    "POST /api/admin/training-runs": (body) => json(trainingRunOut({ id: "run1", preset: (body as { preset: string }).preset }), 201),
    "POST /api/admin/training-runs/run1/cancel": () =>
      json(trainingRunOut({ id: "run1", status: "running", cancel_requested: true, progress: { stage: "train", step: 2, total_steps: 10, loss: 2.5, eta_s: 40 } })),
    "GET /api/admin/model-versions": () => json({ versions: [versionOut({ id: "v9", name: "hadra-tiny-cpu:run1" })] }),
    "GET /api/models": () => json(modelsOut()),
  });
  window.history.pushState(null, "", "/admin/runs");
  render(<AdminPage user={staff} onBack={vi.fn()} onSignedOut={vi.fn()} />);
  await act(async () => FakeSocket.last().open());
  await screen.findByRole("option", { name: "tiny-cpu" });
  return api;
}

installFakeSocket();

describe("training runs", () => {
  it("starts a run on the chosen preset and shows each pushed frame: stage, step, loss curve, ETA, log tail, result", async () => {
    const api = await mountRuns();
    fireEvent.change(screen.getByLabelText("Preset"), { target: { value: "tiny-cpu" } });
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Start run" })));
    expect(api.calls.find((c) => c.method === "POST")).toMatchObject({ path: "/api/admin/training-runs", body: { preset: "tiny-cpu" } });
    const view = () => document.querySelector('.runview[data-run-id="run1"]') as HTMLElement;
    expect(within(view()).getByText("Queued")).toBeTruthy();

    await act(async () =>
      FakeSocket.last().receive({
        type: "training.progress",
        run: trainingRunOut({
          id: "run1",
          status: "running",
          started_at: "2026-01-01T00:00:05Z",
          progress: { stage: "train", step: 3, total_steps: 12, loss: 2.75, eta_s: 90 },
          loss_curve: [
            [1, 3.5],
            [2, 3.1],
            [3, 2.75],
          ],
          log_tail: ["step 3/12 loss 2.75", "مرحبا بالعالم"],
        }),
      }),
    );
    expect(within(view()).getByText("Training")).toBeTruthy();
    expect(within(view()).getByText("Step 3 of 12")).toBeTruthy();
    expect(within(view()).getByText("Loss 2.750")).toBeTruthy();
    expect(within(view()).getByText("About 1 min 30 s left")).toBeTruthy();
    expect(within(view()).getByRole("img", { name: "Loss curve: 3 points, last 2.750" })).toBeTruthy();
    expect(view().querySelector("polyline")?.getAttribute("points")).toBe(curvePoints([[1, 3.5], [2, 3.1], [3, 2.75]]));
    const log = view().querySelector(".logtail pre") as HTMLElement;
    expect(log.textContent).toContain("مرحبا بالعالم");
    expect(log.getAttribute("dir")).toBe("auto");

    await act(async () =>
      FakeSocket.last().receive({
        type: "training.progress",
        run: trainingRunOut({
          id: "run1",
          status: "succeeded",
          started_at: "2026-01-01T00:00:05Z",
          finished_at: "2026-01-01T00:03:25Z",
          progress: { stage: "register", step: 12, total_steps: 12, loss: 2.1, eta_s: null },
          version_id: "v9",
        }),
      }),
    );
    expect(within(view()).getByText("Succeeded")).toBeTruthy();
    expect(within(view()).getByText("Took 3 min 20 s")).toBeTruthy();
    expect(within(view()).queryByText(/left$/)).toBeNull();
    expect(within(view()).queryByRole("button", { name: "Cancel run" })).toBeNull();
    const history = document.querySelectorAll('tr[data-run-id="run1"]');
    expect(history).toHaveLength(1);
    expect(history[0].textContent).toContain("Succeeded");

    // The version it made, one click away: the versions tab, compared against the active model.
    await act(async () => fireEvent.click(within(view()).getByRole("button", { name: "Open the version it made" })));
    expect(window.location.pathname).toBe("/admin/versions");
    expect(await screen.findByRole("heading", { name: "hadra-tiny-cpu:run1 against the active model" })).toBeTruthy();
  });

  it("cancels a live run after asking", async () => {
    const api = await mountRuns();
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Start run" })));
    vi.spyOn(window, "confirm").mockReturnValue(true);
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Cancel run" })));
    expect(api.calls.at(-1)).toMatchObject({ method: "POST", path: "/api/admin/training-runs/run1/cancel" });
    expect((screen.getByRole("button", { name: "Cancelling…" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("says how to enable training when no worker is alive, in the server's words", async () => {
    await mountRuns([], HINT);
    expect(screen.getByRole("status").textContent).toBe(HINT);
    expect(screen.getByRole("option", { name: "qwen-7b (no GPU worker is running)" })).toBeTruthy();
  });

  it("notices a worker that starts after the page opened", async () => {
    const workers: object[] = [];
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      await mountRuns(workers, HINT);
      expect(screen.getByRole("status").textContent).toBe(HINT);
      workers.push(worker);
      await act(async () => vi.advanceTimersByTime(10_000));
      expect(await screen.findByText("1 worker alive")).toBeTruthy();
      expect(screen.queryByText(HINT)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it("shows a failed run's reason in the app's words for its code", async () => {
    await mountRuns();
    await act(async () =>
      FakeSocket.last().receive({
        type: "training.progress",
        run: trainingRunOut({ id: "run2", status: "failed", error: { code: "worker_lost", message: "heartbeat older than 60 s" }, log_tail: ["step 4/12"] }),
      }),
    );
    // A frame for a run the list had not seen puts it first.
    const alert = await screen.findByRole("alert");
    expect(alert.getAttribute("data-error-code")).toBe("worker_lost");
    expect(alert.textContent).toContain("The training worker stopped in the middle of this run. Its log is below.");
  });
});
