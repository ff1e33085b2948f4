// Which language the app speaks once it knows who is there: the account's own language wins over
// the one this browser started in, and the sign-in page's menu switches the whole page at once.
import { act, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { App } from "../App";
import { json, serveApi } from "../testing/adminWire";
import { installFakeSocket } from "../testing/fakeSocket";
import { errorInfo, meOut, modelsOut } from "../testing/wire";
import { switchLanguage } from "./texts";

installFakeSocket();

/** A bound, not a speed check: the tables of another language are fetched first (slow on a busy machine). */
const SLOW = { timeout: 15_000 };

function serve(language: "en" | "fr" | "ar" | null) {
  return serveApi({
    "GET /api/auth/me": () => json(meOut({ username: "amina", language })),
    "GET /api/models": () => json(modelsOut()),
    "GET /api/conversations": () => json({ conversations: [], next_cursor: null }),
  });
}

describe("the interface language at startup", () => {
  afterEach(async () => {
    vi.unstubAllGlobals();
    window.localStorage.clear();
    await switchLanguage("en", false);
  });

  it("follows the account's language once signed in, and remembers it for the sign-in page", async () => {
    serve("fr");
    window.history.pushState(null, "", "/");
    render(<App />);
    expect(await screen.findByPlaceholderText("Écrire à hadra…", {}, SLOW)).toBeTruthy();
    expect(document.documentElement.lang).toBe("fr");
    expect(window.localStorage.getItem("hadra.lang")).toBe("fr");
  });

  it("keeps the browser's language when the account has none", async () => {
    await switchLanguage("ar", false);
    serve(null);
    window.history.pushState(null, "", "/");
    render(<App />);
    expect(await screen.findByPlaceholderText("اكتب رسالة إلى hadra…", {}, SLOW)).toBeTruthy();
    expect(document.documentElement.dir).toBe("rtl");
  });

  it("switches the sign-in page with its language menu", async () => {
    serveApi({ "GET /api/auth/me": () => json({ error: errorInfo("unauthenticated", "Log in first.") }, 401) });
    window.history.pushState(null, "", "/");
    render(<App />);
    expect(await screen.findByText("Log in to your conversations", {}, SLOW)).toBeTruthy();
    await act(async () => fireEvent.change(screen.getByLabelText("Language"), { target: { value: "ar" } }));
    expect(await screen.findByText("سجّل الدخول إلى محادثاتك", {}, SLOW)).toBeTruthy();
    expect(document.documentElement.dir).toBe("rtl");
    expect(window.localStorage.getItem("hadra.lang")).toBe("ar");
  });
});
