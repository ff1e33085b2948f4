// Signed in or not: asks the server once (GET /api/auth/me, which also sets the CSRF cookie),
// then shows either the login/register form or the chat. When the session ends while chatting
// (logged out in another tab, password changed elsewhere) the sign-in screen takes over and
// signing in again brings back the same conversation with the unsent text (resume.ts).
// /admin is the staff's console, loaded on demand (its own chunk): the chat's first load does not
// carry it, and someone who is not staff is told so without loading it.
import { lazy, Suspense, useCallback, useEffect, useState } from "react";
import { ADMIN_PATH, ADMIN_ROUTE_TEXT, isAdminPath } from "./admin/route";
import { api, ApiError } from "./api";
import { AuthForm } from "./components/AuthForm";
import { ChatApp, type Place } from "./components/ChatApp";
import { errorSentence } from "./errorText";
import { dropResume, saveResume, takeResume } from "./resume";
import type { UserOut } from "./contract";

const AdminPage = lazy(() => import("./admin/AdminPage"));

function chatPath(conversationId: string | null): string {
  return conversationId ? `/c/${encodeURIComponent(conversationId)}` : "/";
}

function NotStaff({ onBack }: { onBack(): void }) {
  return (
    <main className="auth">
      <div className="card" role="alert">
        <h1>{ADMIN_ROUTE_TEXT.notStaffTitle}</h1>
        <p>{ADMIN_ROUTE_TEXT.notStaff}</p>
        <button type="button" className="primary" onClick={onBack}>
          {ADMIN_ROUTE_TEXT.backToChat}
        </button>
      </div>
    </main>
  );
}

export function App() {
  const [user, setUser] = useState<UserOut | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [signedOut, setSignedOut] = useState(false);
  const [draft, setDraft] = useState("");
  const [path, setPath] = useState(() => window.location.pathname);

  /** Go to another page of the app (chat or admin) without reloading; `replace` for redirects. */
  const go = useCallback((next: string, replace = false) => {
    if (window.location.pathname !== next) window.history[replace ? "replaceState" : "pushState"](null, "", next);
    setPath(next);
  }, []);
  const goTo = useCallback((conversationId: string | null) => go(chatPath(conversationId), true), [go]);

  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

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
  }, [goTo]);

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
  if (isAdminPath(path)) {
    if (!user.is_staff) return <NotStaff onBack={() => go("/")} />;
    return (
      <Suspense fallback={<main className="auth" aria-busy="true" aria-label={ADMIN_ROUTE_TEXT.loading} />}>
        <AdminPage
          user={user}
          onBack={() => go("/")}
          onSignedOut={() => {
            setSignedOut(true);
            setUser(null);
          }}
        />
      </Suspense>
    );
  }
  return (
    <ChatApp
      user={user}
      initialDraft={draft}
      onAdmin={user.is_staff ? () => go(ADMIN_PATH) : undefined}
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
