// The person's own consent in the chat's settings: read from GET /api/auth/me when the settings
// open, saved at once with PATCH /api/auth/me, separately from the conversation's model and prompt.
import { act, fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { json, serveApi } from "../testing/adminWire";
import { installFakeSocket } from "../testing/fakeSocket";
import { modelsOut, userOut } from "../testing/wire";
import { ChatApp } from "./ChatApp";

const user = userOut({ username: "amina" });

installFakeSocket();

describe("Settings: exclude my conversations from training", () => {
  it("shows the stored choice and saves a change at once", async () => {
    let excluded = false;
    const api = serveApi({
      "GET /api/models": () => json(modelsOut()),
      "GET /api/conversations": () => json({ conversations: [], next_cursor: null }),
      "GET /api/auth/me": () => json({ ...user, auth_method: "session", exclude_from_training: excluded }),
      "PATCH /api/auth/me": (body) => {
        excluded = (body as { exclude_from_training: boolean }).exclude_from_training;
        return json({ ...user, auth_method: "session", exclude_from_training: excluded });
      },
    });
    window.history.pushState(null, "", "/");
    render(<ChatApp user={user} onLoggedOut={vi.fn()} onSignedOut={vi.fn()} />);
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Conversation settings" })));
    const box = (await screen.findByRole("checkbox", { name: /Exclude my conversations from training/ })) as HTMLInputElement;
    await vi.waitFor(() => expect(box.disabled).toBe(false));
    expect(box.checked).toBe(false);

    await act(async () => fireEvent.click(box));
    expect(api.calls.filter((c) => c.method === "PATCH")).toEqual([
      { method: "PATCH", path: "/api/auth/me", body: { exclude_from_training: true } },
    ]);
    expect(box.checked).toBe(true);
  });
});
