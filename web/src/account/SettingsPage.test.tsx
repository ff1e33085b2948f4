// /settings: each section sends PATCH /api/auth/me with only what it changed (language, theme,
// default model and system prompt, training consent); the retired-model notice; download all data;
// change password; sign out everywhere; delete only with the password and the username typed.
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { MeOut, MePatch } from "../contract";
import { errorSentence } from "../errorText";
import { activeLanguage, switchLanguage } from "../i18n/texts";
import { json, serveApi } from "../testing/adminWire";
import { installFakeSocket } from "../testing/fakeSocket";
import { meOut, modelsOut, userOut } from "../testing/wire";
import AccountPage from "./AccountPage";

function amina(fields: Partial<MeOut> = {}): MeOut {
  return meOut({ username: "amina", ...fields });
}

function serveSettings(me: MeOut, routes: Parameters<typeof serveApi>[0] = {}) {
  return serveApi({
    "GET /api/auth/me": () => json(me),
    "PATCH /api/auth/me": (body) => {
      me = { ...me, ...(body as MePatch), default_model_notice: null };
      return json(me);
    },
    "GET /api/models": () => json(modelsOut({ default_model: "gemma3:270m", models: ["gemma3:270m", "qwen2.5:0.5b"] })),
    ...routes,
  });
}

async function mount(me: MeOut = amina(), routes: Parameters<typeof serveApi>[0] = {}) {
  const api = serveSettings(me, routes);
  const onLeft = vi.fn();
  const onAccount = vi.fn();
  window.history.pushState(null, "", "/settings");
  render(
    <AccountPage
      page="settings"
      user={userOut({ username: me.username })}
      onOpen={vi.fn()}
      onBack={vi.fn()}
      onSignedOut={vi.fn()}
      onLeft={onLeft}
      onAccount={onAccount}
    />,
  );
  await screen.findByRole("heading", { name: "Settings", level: 1 });
  return { api, onLeft, onAccount };
}

function sent(api: ReturnType<typeof serveApi>, method: string) {
  return api.calls.filter((c) => c.method === method).map((c) => ({ path: c.path, body: c.body }));
}

function section(name: string): HTMLElement {
  return screen.getByRole("region", { name });
}

installFakeSocket();
afterEach(async () => {
  if (activeLanguage() !== "en") await switchLanguage("en");
  delete document.documentElement.dataset.theme;
  window.localStorage.clear();
});

describe("the settings page", () => {
  it("switches the interface language at once and saves it on the account", async () => {
    const { api } = await mount();
    await act(async () => fireEvent.change(within(section("Interface")).getByLabelText(/Language/), { target: { value: "fr" } }));
    await screen.findByRole("heading", { name: "Paramètres", level: 1 });
    expect(document.documentElement.lang).toBe("fr");
    await vi.waitFor(() => expect(sent(api, "PATCH")).toEqual([{ path: "/api/auth/me", body: { language: "fr" } }]));
  });

  it("draws the page in the theme picked and saves it on the account and in this browser", async () => {
    const { api } = await mount();
    const themes = within(section("Interface"));
    expect((themes.getByRole("radio", { name: "Same as my system" }) as HTMLInputElement).checked).toBe(true);
    await act(async () => fireEvent.click(themes.getByRole("radio", { name: "Dark" })));
    expect(document.documentElement.dataset.theme).toBe("dark");
    expect(window.localStorage.getItem("hadra.theme")).toBe("dark");
    expect(sent(api, "PATCH")).toEqual([{ path: "/api/auth/me", body: { theme: "dark" } }]);
    expect(await themes.findByText("Saved.")).toBeTruthy();

    await act(async () => fireEvent.click(themes.getByRole("radio", { name: "Same as my system" })));
    expect(document.documentElement.dataset.theme).toBeUndefined();
    expect(sent(api, "PATCH").at(-1)).toEqual({ path: "/api/auth/me", body: { theme: "system" } });
  });

  it("saves a pinned default model and system prompt for new chats, and the server default as null", async () => {
    const { api, onAccount } = await mount();
    const box = within(section("New chats"));
    const model = box.getByLabelText("Default model") as HTMLSelectElement;
    expect(model.value).toBe("");
    expect(model.options[0].text).toBe("Server default (follows the model the admin activates)");
    expect([...model.options].map((o) => o.text).slice(1)).toEqual(["gemma3:270m", "qwen2.5:0.5b"]);

    fireEvent.change(model, { target: { value: "qwen2.5:0.5b" } });
    fireEvent.change(box.getByLabelText("System prompt for new chats"), { target: { value: "Jaweb b darija." } });
    await act(async () => fireEvent.click(box.getByRole("button", { name: "Save" })));
    expect(sent(api, "PATCH")).toEqual([
      { path: "/api/auth/me", body: { default_model: "qwen2.5:0.5b", default_system_prompt: "Jaweb b darija." } },
    ]);
    // The app learns the account's new defaults (the chat's next new chat starts with them).
    expect(onAccount).toHaveBeenLastCalledWith(expect.objectContaining({ default_model: "qwen2.5:0.5b" }));

    fireEvent.change(model, { target: { value: "" } });
    await act(async () => fireEvent.click(box.getByRole("button", { name: "Save" })));
    expect(sent(api, "PATCH").at(-1)).toEqual({
      path: "/api/auth/me",
      body: { default_model: null, default_system_prompt: "Jaweb b darija." },
    });
  });

  it("says when the pinned model was retired and the account went back to the server default", async () => {
    await mount(amina({ default_model_notice: { code: "model_retired", params: { model: "hadra-x:v1" } } }));
    const box = within(section("New chats"));
    expect(box.getByText(/^The model you pinned, “hadra-x:v1”, was retired: your new chats use the server default/)).toBeTruthy();
    expect((box.getByLabelText("Default model") as HTMLSelectElement).value).toBe("");
  });

  it("has training consent on by default and saves turning it off as exclude_from_training", async () => {
    const { api } = await mount();
    const consent = within(section("Privacy")).getByRole("checkbox", { name: /Use my conversations for training/ }) as HTMLInputElement;
    expect(consent.checked).toBe(true);
    await act(async () => fireEvent.click(consent));
    expect(sent(api, "PATCH")).toEqual([{ path: "/api/auth/me", body: { exclude_from_training: true } }]);
    expect(consent.checked).toBe(false);
    expect(within(section("Privacy")).getByRole("link", { name: "Download all my data" }).getAttribute("href")).toBe("/api/auth/me/export");
  });

  it("changes the password with the current one, and says when that one is wrong", async () => {
    let attempts = 0;
    const { api } = await mount(amina(), {
      "POST /api/auth/password": () =>
        ++attempts === 1
          ? json({ error: { code: "invalid_credentials", message: "wrong", params: {} } }, 401)
          : json(userOut({ username: "amina" })),
    });
    const box = within(section("Security"));
    fireEvent.change(box.getByLabelText("Current password"), { target: { value: "old-password" } });
    fireEvent.change(box.getByLabelText("New password"), { target: { value: "short" } });
    await act(async () => fireEvent.click(box.getByRole("button", { name: "Change password" })));
    expect(box.getByRole("alert").textContent).toContain("at least 8 characters");
    expect(sent(api, "POST")).toEqual([]);

    fireEvent.change(box.getByLabelText("New password"), { target: { value: "a-new-password" } });
    await act(async () => fireEvent.click(box.getByRole("button", { name: "Change password" })));
    expect(box.getByRole("alert").textContent).toBe(errorSentence("invalid_credentials", "account"));
    await act(async () => fireEvent.click(box.getByRole("button", { name: "Change password" })));
    expect(sent(api, "POST")).toEqual([
      { path: "/api/auth/password", body: { current_password: "old-password", new_password: "a-new-password" } },
      { path: "/api/auth/password", body: { current_password: "old-password", new_password: "a-new-password" } },
    ]);
    expect(box.getAllByRole("status").map((s) => s.textContent)).toContain(
      "Password changed. Your other sessions are signed out and their connections closed.",
    );
    expect((box.getByLabelText("Current password") as HTMLInputElement).value).toBe("");
  });

  it("signs out everywhere, then hands the app back to the sign-in page", async () => {
    const { api, onLeft } = await mount(amina(), { "POST /api/auth/logout-everywhere": () => json(null, 204) });
    await act(async () => fireEvent.click(within(section("Security")).getByRole("button", { name: "Sign out everywhere" })));
    expect(sent(api, "POST")).toEqual([{ path: "/api/auth/logout-everywhere", body: undefined }]);
    expect(onLeft).toHaveBeenCalledWith(null);
  });

  it("deletes the account only with the password and the username typed, and says the account is gone", async () => {
    let attempts = 0;
    const { api, onLeft } = await mount(amina(), {
      "DELETE /api/auth/me": () =>
        ++attempts === 1 ? json({ error: { code: "invalid_credentials", message: "wrong", params: {} } }, 401) : json(null, 204),
    });
    const box = within(section("Danger zone"));
    expect(box.getByText(/Models already trained are not retrained/)).toBeTruthy();
    const button = box.getByRole("button", { name: "Delete my account" }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    fireEvent.change(box.getByLabelText("Your password"), { target: { value: "the-password" } });
    expect(button.disabled).toBe(true);
    fireEvent.change(box.getByLabelText("Type your username, amina, to confirm"), { target: { value: "amin" } });
    expect(button.disabled).toBe(true);
    fireEvent.change(box.getByLabelText("Type your username, amina, to confirm"), { target: { value: "amina" } });
    expect(button.disabled).toBe(false);

    await act(async () => fireEvent.click(button));
    expect(box.getByRole("alert").textContent).toBe("The password is wrong. Check it and try again; nothing was changed.");
    expect(onLeft).not.toHaveBeenCalled();

    await act(async () => fireEvent.click(button));
    expect(sent(api, "DELETE")).toEqual([
      { path: "/api/auth/me", body: { password: "the-password" } },
      { path: "/api/auth/me", body: { password: "the-password" } },
    ]);
    expect(onLeft).toHaveBeenCalledWith("Your account and all its data were deleted.");
  });
});
