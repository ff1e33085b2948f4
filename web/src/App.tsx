// Signed in or not: asks the server once (GET /api/auth/me, which also sets the CSRF cookie),
// then shows either the login/register form or the chat.
import { useEffect, useState } from "react";
import { api, ApiError } from "./api";
import { AuthForm } from "./components/AuthForm";
import { ChatApp } from "./components/ChatApp";
import type { User } from "./types";

export function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .me()
      .then(setUser)
      .catch((e) => setError(e instanceof ApiError ? e.message : String(e)));
  }, []);

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
  if (user === null) return <AuthForm onUser={setUser} />;
  return <ChatApp user={user} onLoggedOut={() => setUser(null)} />;
}
