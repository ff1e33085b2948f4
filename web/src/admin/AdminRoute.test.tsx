// /admin in the whole app: staff get the console (loaded on demand) from a link in the chat;
// anyone else gets a sentence and a way back, and none of the console's requests.
import { act, fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { App } from "../App";
import { switchLanguage } from "../i18n/texts";
import { datasetCounts, json, serveApi } from "../testing/adminWire";
import { installFakeSocket } from "../testing/fakeSocket";
import { meOut, modelsOut } from "../testing/wire";

function serve(isStaff: boolean) {
  const api = serveApi({
    "GET /api/auth/me": () => json(meOut({ username: "amina", is_staff: isStaff })),
    "GET /api/models": () => json(modelsOut()),
    "GET /api/conversations": () => json({ conversations: [], next_cursor: null }),
    "GET /api/admin/dataset": () => json(datasetCounts({ chat_rated: 12, new: 5 })),
    "GET /api/admin/dataset/rows": () => json({ rows: [], next_cursor: null }),
  });
  return api;
}

installFakeSocket();

describe("the /admin route", () => {
  it("tells someone who is not staff that the page is not for them, asks the server nothing admin, and leads back to the chat", async () => {
    const api = serve(false);
    window.history.pushState(null, "", "/admin");
    render(<App />);
    expect(await screen.findByText("This page is for administrators")).toBeTruthy();
    expect(screen.queryByRole("tablist")).toBeNull();
    expect(api.calls.filter((c) => c.path.startsWith("/api/admin"))).toEqual([]);

    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Back to the chat" })));
    expect(await screen.findByLabelText("Message")).toBeTruthy();
    expect(window.location.pathname).toBe("/");
  });

  it("gives no admin link in the chat to someone who is not staff", async () => {
    serve(false);
    window.history.pushState(null, "", "/");
    render(<App />);
    await screen.findByLabelText("Message");
    expect(screen.queryByRole("link", { name: "Admin" })).toBeNull();
  });

  it("takes staff from the chat's link to the console and its data counts, and back", async () => {
    serve(true);
    window.history.pushState(null, "", "/");
    render(<App />);
    await screen.findByLabelText("Message");
    await act(async () => fireEvent.click(screen.getByRole("link", { name: "Admin" })));
    expect(window.location.pathname).toBe("/admin");
    expect(await screen.findByRole("tab", { name: "Data", selected: true })).toBeTruthy();
    const rated = await vi.waitFor(() => {
      const el = document.querySelector('[data-count="chat_rated"] dd');
      if (!el) throw new Error("no counts yet");
      return el;
    });
    expect(rated.textContent).toBe("12");
    expect(document.querySelector('[data-count="new"] dd')?.textContent).toBe("5");

    await act(async () => fireEvent.click(screen.getByRole("link", { name: "← Back to the chat" })));
    expect(await screen.findByLabelText("Message")).toBeTruthy();
    expect(window.location.pathname).toBe("/");
  });

  it("opens the console in the reader's language, its words fetched with its code", async () => {
    serve(true);
    await switchLanguage("ar");
    try {
      window.history.pushState(null, "", "/admin/data");
      render(<App />);
      // The first render of the console is already in Arabic: no English heading flashes first.
      // A bound, not a speed check: the console and its Arabic words are fetched first.
      expect(await screen.findByRole("heading", { name: "إدارة hadra" }, { timeout: 15_000 })).toBeTruthy();
      expect(screen.getByRole("tab", { name: "البيانات", selected: true })).toBeTruthy();
      expect(screen.queryByText("hadra admin")).toBeNull();
      expect(screen.getByRole("link", { name: "→ العودة إلى المحادثة" })).toBeTruthy();
    } finally {
      await switchLanguage("en");
    }
  });
});
