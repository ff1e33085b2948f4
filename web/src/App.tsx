// Signed in or not: asks the server once (GET /api/auth/me, which also sets the CSRF cookie),
// then shows either the login/register form or the chat. When the session ends while chatting
// (logged out in another tab, password changed elsewhere) the sign-in screen takes over and
// signing in again brings back the same conversation with the unsent text (resume.ts).
// /admin is the staff's console, loaded on demand (its own chunk): the chat's first load does not
// carry it, and someone who is not staff is told so without loading it.
import { lazy, Suspense, useCallback, useEffect, useState } from "react";
import { accountNavText } from "./i18n/accountLinks";
import { accountPageOf, accountPath } from "./account/route";
import { ADMIN_PATH, isAdminPath } from "./admin/route";
import { api, ApiError } from "./api";
import { AuthForm } from "./components/AuthForm";
import { ChatApp, type Place } from "./components/ChatApp";
import { errorSentence } from "./errorText";
import { commonText } from "./i18n/common";
import { followAccountLanguage, useTexts } from "./i18n/texts";
import { dropResume, saveResume, takeResume } from "./resume";
import { followAccountTheme } from "./theme";
import type { UserOut } from "./contract";

// The console's words in the reader's language come with its code, before its first render.
const AdminPage = lazy(() => import("./admin/AdminPage").then(async (page) => (await page.loadAdminWords(), page)));
const AccountPage = lazy(() => import("./account/AccountPage"));

function chatPath(conversationId: string | null): string {
  return conversationId ? `/c/${encodeURIComponent(conversationId)}` : "/";
}

function NotStaff({ onBack }: { onBack(): void }) {
  const T = useTexts(commonText).admin;
  return (
    <main className="auth">
      <div className="card" role="alert">
        <h1>{T.notStaffTitle}</h1>
        <p>{T.notStaff}</p>
        <button type="button" className="primary" onClick={onBack}>
          {T.backToChat}
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
  /** Said on the sign-in page after leaving on purpose (the account was deleted). */
  const [farewell, setFarewell] = useState<string | null>(null);
  const accountNav = useTexts(accountNavText);
  const C = useTexts(commonText);
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
      setFarewell(null);
      // The account's theme (login answers without it: ask once more).
      // …and its language, which wins over this browser's.
      const follow = (me: object) => {
        followAccountTheme(me);
        void followAccountLanguage(me);
      };
      if ("theme" in next) follow(next);
      else
        void api.me().then((me) => {
          if (!me) return;
          follow(me);
          setUser(me); // the account's defaults for new chats, which the chat reads
        }, () => undefined);
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
      // The account's language is fetched before the chat shows, so it does not flash in another.
      .then(async (me) => {
        if (me) await followAccountLanguage(me).catch(() => undefined);
        enter(me);
      })
      .catch((e) => setError(e instanceof ApiError ? errorSentence(e.code, "load", e.params) : errorSentence("internal", "load")));
  }, [enter]);

  if (error) {
    return (
      <main className="auth">
        <div className="card" role="alert">
          <h1>hadra</h1>
          <p>{error}</p>
          <button type="button" className="primary" onClick={() => window.location.reload()}>
            {C.reload}
          </button>
        </div>
      </main>
    );
  }
  if (user === undefined) return <main className="auth" aria-busy="true" />;
  if (user === null) return <AuthForm onUser={enter} signedOut={signedOut} farewell={farewell} />;
  const accountPage = accountPageOf(path);
  if (accountPage) {
    return (
      <Suspense fallback={<main className="auth" aria-busy="true" aria-label={accountNav.loading} />}>
        <AccountPage
          page={accountPage}
          user={user}
          onOpen={(page) => go(accountPath(page))}
          onBack={() => go("/")}
          onSignedOut={() => {
            setSignedOut(true);
            setUser(null);
          }}
          onLeft={(said) => {
            dropResume();
            setSignedOut(false);
            setFarewell(said);
            setUser(null);
            go("/", true);
          }}
          onAccount={setUser}
        />
      </Suspense>
    );
  }
  if (isAdminPath(path)) {
    if (!user.is_staff) return <NotStaff onBack={() => go("/")} />;
    return (
      <Suspense fallback={<main className="auth" aria-busy="true" aria-label={C.admin.loading} />}>
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
      onOpenPage={(page) => go(accountPath(page))}
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
