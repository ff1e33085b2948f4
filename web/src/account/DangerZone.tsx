// Delete the account and all its data. Two checks before the server's: the password (the server
// checks it too) and the username typed out, so no stray click deletes anything. The page says
// what is gone and what is not: models already trained keep what they learned.
import { useState } from "react";
import { useTexts } from "../i18n/texts";
import { accountApi } from "./accountApi";
import type { Failure } from "./failure";
import { accountText } from "./text";
import { SaveResult, useSaving } from "./useSaving";

export function DangerZone({ username, failure, onDeleted }: { username: string; failure: Failure; onDeleted(): void }) {
  const T = useTexts(accountText).settings.danger;
  const [password, setPassword] = useState("");
  const [typed, setTyped] = useState("");
  const deleting = useSaving(failure);
  const confirmed = typed.trim() === username;

  return (
    <section className="accountsection danger" aria-labelledby="danger-heading">
      <h2 id="danger-heading">{T.heading}</h2>
      <form
        noValidate
        aria-labelledby="delete-heading"
        onSubmit={(e) => {
          e.preventDefault();
          if (!confirmed) return deleting.fail(T.confirmMismatch);
          void deleting.run(() => accountApi.deleteAccount({ password }), "").then((ok) => ok && onDeleted());
        }}
      >
        <h3 id="delete-heading">{T.deleteHeading}</h3>
        <p>{T.explain}</p>
        <label>
          {T.password}
          <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <label>
          {T.confirm(username)}
          <input dir="auto" autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} />
        </label>
        <div className="actions">
          <button type="submit" className="danger" disabled={deleting.busy || !password || !confirmed}>
            {deleting.busy ? T.deleting : T.delete}
          </button>
        </div>
        <SaveResult saving={deleting} />
      </form>
    </section>
  );
}
