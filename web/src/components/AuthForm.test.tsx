import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { errorInfo } from "../testing/wire";
import { AuthForm } from "./AuthForm";

function json(data: unknown, status = 200): Response {
  return new Response(JSON.stringify(data), { status, headers: { "Content-Type": "application/json" } });
}

const fetchMock = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) =>
  json({ error: errorInfo("username_taken", "Invalid body: `username`: taken (POST /api/auth/register)") }, 409),
);

beforeEach(() => vi.stubGlobal("fetch", fetchMock));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  fetchMock.mockClear();
});

function fill(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

describe("AuthForm", () => {
  it("checks the sign-up form before sending it and says what to fix", async () => {
    render(<AuthForm onUser={vi.fn()} />);
    fireEvent.click(screen.getByRole("button", { name: "No account? Register" }));
    fill("Username", "amina");
    fill("Email", "amina@example.com");
    fill("Password", "short");
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Register" })));
    expect(screen.getByRole("alert").textContent).toBe("Choose a longer password. A password has at least 8 characters.");
    fill("Username", "a b");
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Register" })));
    expect(screen.getByRole("alert").textContent).toBe("Pick another username. Use 3 to 40 letters, digits, _, . or -.");
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("tells the server's refusal by its code, not in the server's words", async () => {
    render(<AuthForm onUser={vi.fn()} />);
    fireEvent.click(screen.getByRole("button", { name: "No account? Register" }));
    fill("Username", " amina ");
    fill("Email", "amina@example.com");
    fill("Password", "long enough");
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Register" })));
    expect(JSON.parse(String(fetchMock.mock.calls[0][1]?.body))).toMatchObject({ username: "amina" });
    const alert = screen.getByRole("alert").textContent ?? "";
    expect(alert).toBe("That username is taken. Pick another one.");
    expect(alert).not.toMatch(/api|`/);
  });

  it("says a wrong password plainly", async () => {
    fetchMock.mockResolvedValueOnce(json({ error: errorInfo("invalid_credentials", "Wrong username or password.") }, 401));
    render(<AuthForm onUser={vi.fn()} />);
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Log in" })));
    expect(screen.getByRole("alert").textContent).toBe("Enter your username and password. Both are needed to sign in.");
    fill("Username", "amina");
    fill("Password", "nope");
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Log in" })));
    expect(screen.getByRole("alert").textContent).toBe("Wrong username or password. Check both and try again.");
  });
});
