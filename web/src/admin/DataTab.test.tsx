// The data a run learns from: counts by source, rows without account names (Arabic laid out by its
// own direction), exclusion and inclusion remembered by the server, an account opened on purpose.
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { datasetCounts, datasetRow, json, serveApi } from "../testing/adminWire";
import { installFakeSocket } from "../testing/fakeSocket";
import { userOut } from "../testing/wire";
import AdminPage from "./AdminPage";

const staff = userOut({ username: "root", is_staff: true });
const rated = datasetRow({
  origin: "m1",
  prompt: [
    { role: "system", content: "Answer briefly." },
    { role: "user", content: "شنو هي عاصمة الجزائر؟" },
  ],
  answer: "الجزائر العاصمة",
});
const pair = datasetRow({
  origin: "m2",
  source: "preference_pairs",
  prompt: [{ role: "user", content: "2+2?" }],
  answer: "4",
  rejected: "5",
});
const translated = datasetRow({ origin: "runs/a.jsonl:3", source: "translation", message_id: null, conversation_id: null, answer: "Hello" });

installFakeSocket();

async function mountData() {
  const api = serveApi({
    "GET /api/admin/dataset": () => json(datasetCounts({ chat_rated: 7, preference_pairs: 1, translation: 30, excluded: 2, new: 4, skipped: { too_long: 2, empty: 1 } })),
    "GET /api/admin/dataset/rows": (_b, url) =>
      json({ rows: url.searchParams.get("source") === "translation" ? [translated] : [rated, pair], next_cursor: null }),
    "PUT /api/admin/dataset/rows/m1/exclusion": () => json({ message_id: "m1", excluded: true }),
    "GET /api/admin/dataset/rows/m1/account": () => json({ message_id: "m1", user_id: "u1", username: "amina" }),
  });
  window.history.pushState(null, "", "/admin");
  render(<AdminPage user={staff} onBack={vi.fn()} onSignedOut={vi.fn()} />);
  await screen.findByText("الجزائر العاصمة");
  return api;
}

const row = (origin: string) => document.querySelector(`[data-origin="${origin}"]`) as HTMLElement;

describe("data", () => {
  it("counts by source and new since the last run, and shows rows without account names, each text in its own direction", async () => {
    await mountData();
    const count = (k: string) => document.querySelector(`[data-count="${k}"] dd`)?.textContent;
    expect([count("chat_rated"), count("preference_pairs"), count("translation"), count("new"), count("excluded"), count("skipped")]).toEqual([
      "7",
      "1",
      "30",
      "4",
      "2",
      "3",
    ]);
    expect(within(row("m1")).queryByText(/amina/)).toBeNull();
    const question = within(row("m1")).getByText("شنو هي عاصمة الجزائر؟");
    expect(question.getAttribute("dir")).toBe("auto");
    expect(within(row("m1")).getByText("Answer briefly.")).toBeTruthy();
    expect(within(row("m2")).getByText("5")).toBeTruthy(); // the 👎 answer of a pair
  });

  it("excludes a row and opens its account only when asked", async () => {
    const api = await mountData();
    expect(api.calls.some((c) => c.path.endsWith("/account"))).toBe(false);
    await act(async () => fireEvent.click(within(row("m1")).getByRole("button", { name: "Exclude" })));
    expect(api.calls.filter((c) => c.method === "PUT").map((c) => c.path)).toEqual(["/api/admin/dataset/rows/m1/exclusion"]);
    expect(within(row("m1")).getByText("Excluded")).toBeTruthy();
    expect(within(row("m1")).getByRole("button", { name: "Include again" })).toBeTruthy();

    await act(async () => fireEvent.click(within(row("m1")).getByRole("button", { name: "Show account" })));
    expect(within(row("m1")).getByText("Account: amina")).toBeTruthy();
  });

  it("filters by source; a translated pair has no account and no exclusion to offer", async () => {
    const api = await mountData();
    await act(async () => fireEvent.change(screen.getByLabelText("Source"), { target: { value: "translation" } }));
    await screen.findByText("Hello");
    expect(api.calls.at(-1)?.path).toBe("/api/admin/dataset/rows");
    expect(within(row("runs/a.jsonl:3")).queryByRole("button")).toBeNull();
    expect(within(row("runs/a.jsonl:3")).getByText("runs/a.jsonl:3")).toBeTruthy();
  });
});
