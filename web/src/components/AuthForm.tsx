// Register / log in. Each form is checked here first (formChecks.ts); what the server still turns
// down (username taken, wrong password) is told by its error code (errorText.ts), never in the
// server's own wording. After a session ended elsewhere the form says so: signing in brings the
// person back to where they were.
import { useState } from "react";
import { api, ApiError } from "../api";
import { errorSentence } from "../errorText";
import { loginProblem, signupProblem } from "../formChecks";
import { authText } from "../i18n/auth";
import { useTexts } from "../i18n/texts";
import { LanguageMenu } from "./LanguageMenu";
import type { UserOut } from "../contract";

export function AuthForm({
  onUser,
  signedOut = false,
  farewell = null,
}: {
  onUser(user: UserOut): void;
  signedOut?: boolean;
  /** Said above the form after leaving on purpose (the account was deleted). */
  farewell?: string | null;
}) {
  const T = useTexts(authText);
  const [mode, setMode] = useState<"login" | "register">("login");
  const [username, setUsername] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const name = username.trim();
    const problem = mode === "login" ? loginProblem(name, password) : signupProblem(name, email, password);
    if (problem) {
      setError(errorSentence(problem, mode));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const login = { username: name, password };
      const user = mode === "login" ? await api.login(login) : await api.register({ ...login, email: email.trim() });
      // Registering may or may not sign in; make sure the session exists before chatting.
      onUser(mode === "register" ? ((await api.me()) ?? (await api.login(login))) : user);
    } catch (e) {
      setError(e instanceof ApiError ? errorSentence(e.code, mode, e.params) : errorSentence("internal", mode));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="auth">
      <form
        className="card"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <LanguageMenu />
        <h1>hadra</h1>
        <p className="sub">{mode === "login" ? T.logIn : T.createAccount}</p>
        {farewell && mode === "login" ? (
          <p className="signedout" role="status">
            {farewell}
          </p>
        ) : null}
        {signedOut && mode === "login" ? (
          <p className="signedout" role="status">
            {T.signedOut}
          </p>
        ) : null}
        <label>
          {T.username}
          <input name="username" autoComplete="username" dir="auto" required value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        {mode === "register" ? (
          <label>
            {T.email}
            <input name="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
        ) : null}
        <label>
          {T.password}
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
          {mode === "login" ? T.submitLogin : T.submitRegister}
        </button>
        <button
          type="button"
          className="link"
          onClick={() => {
            setMode(mode === "login" ? "register" : "login");
            setError(null);
          }}
        >
          {mode === "login" ? T.toRegister : T.toLogin}
        </button>
      </form>
    </main>
  );
}
