// Register / log in. The server's error message (username taken, weak password, wrong
// password) is shown as it is: it already names the problem and the fix.
import { useState } from "react";
import { api, ApiError } from "../api";
import type { User } from "../types";

export function AuthForm({ onUser }: { onUser(user: User): void }) {
  const [mode, setMode] = useState<"login" | "register">("login");
  const [username, setUsername] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const user =
        mode === "login" ? await api.login(username, password) : await api.register(username, email, password);
      // Registering may or may not sign in; make sure the session exists before chatting.
      onUser(mode === "register" ? ((await api.me()) ?? (await api.login(username, password))) : user);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="auth">
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h1>hadra</h1>
        <p className="sub">{mode === "login" ? "Log in to your conversations" : "Create an account"}</p>
        <label>
          Username
          <input name="username" autoComplete="username" dir="auto" required value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        {mode === "register" ? (
          <label>
            Email
            <input name="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
        ) : null}
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete={mode === "login" ? "current-password" : "new-password"}
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error ? (
          <div className="formerror" role="alert" dir="auto">
            {error}
          </div>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {mode === "login" ? "Log in" : "Register"}
        </button>
        <button
          type="button"
          className="link"
          onClick={() => {
            setMode(mode === "login" ? "register" : "login");
            setError(null);
          }}
        >
          {mode === "login" ? "No account? Register" : "Have an account? Log in"}
        </button>
      </form>
    </main>
  );
}
