// Signed in or not: asks the server once (GET /api/auth/me, which also sets the CSRF cookie),
// then shows either the login/register form or the chat. When the session ends while chatting
// (logged out in another tab, password changed elsewhere) the sign-in screen takes over and
// signing in again brings back the same conversation with the unsent text (resume.ts).
import { useCallback, useEffect, useState } from "react";
import { api, ApiError } from "./api";
import { AuthForm } from "./components/AuthForm";
import { ChatApp, type Place } from "./components/ChatApp";
import { errorSentence } from "./errorText";
import { dropResume, saveResume, takeResume } from "./resume";
import type { UserOut } from "./contract";

function goTo(conversationId: string | null): void {
  const path = conversationId ? `/c/${encodeURIComponent(conversationId)}` : "/";
  if (window.location.pathname !== path) window.history.replaceState(null, "", path);
}

export function App() {
  const [user, setUser] = useState<UserOut | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [signedOut, setSignedOut] = useState(false);
  const [draft, setDraft] = useState("");

  /** Someone is signed in (or not): put back where they were, if the session ended under them. */
  const enter = useCallback((next: UserOut | null) => {
    if (next) {
      const resume = takeResume(next.username);
      if (resume === "other") goTo(null);
      else if (resume !== "none") {
        goTo(resume.conversationId);
        setDraft(resume.draft);
      }
    }
    setUser(next);
  }, []);

  useEffect(() => {
    api
      .me()
      .then(enter)
      .catch((e) => setError(e instanceof ApiError ? errorSentence(e.code, "load", e.params) : errorSentence("internal", "load")));
  }, [enter]);

  if (error) {
    return (
      <main className="auth">
        <div className="card" role="alert">
          <h1>hadra</h1>
          <p>{error}</p>
          <button type="button" className="primary" onClick={() => window.location.reload()}>
            Reload
          </button>
        </div>
      </main>
    );
  }
  if (user === undefined) return <main className="auth" aria-busy="true" />;
  if (user === null) return <AuthForm onUser={enter} signedOut={signedOut} />;
  return (
    <ChatApp
      user={user}
      initialDraft={draft}
      onLoggedOut={() => {
        dropResume();
        setSignedOut(false);
        setDraft("");
        setUser(null);
      }}
      onSignedOut={(place: Place) => {
        saveResume({ username: user.username, ...place });
        setSignedOut(true);
        setDraft("");
        setUser(null);
      }}
    />
  );
}
