// Change password (the server ends every other session of the account and closes their sockets;
// this one is signed in again) and sign out everywhere (this session too: the app's sign-in page
// follows). API tokens are untouched by both: the tokens page revokes them.
import { useId, useState } from "react";
import { useTexts } from "../i18n/texts";
import { accountApi } from "./accountApi";
import type { Failure } from "./failure";
import { accountText } from "./text";
import { SaveResult, useSaving } from "./useSaving";

const MIN_PASSWORD = 8; // contract/fields.py Password

export function SecuritySection({ failure, onSignedOutEverywhere }: { failure: Failure; onSignedOutEverywhere(): void }) {
  const T = useTexts(accountText).settings.security;
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const password = useSaving(failure);
  const everywhere = useSaving(failure);
  const help = useId();

  const change = async () => {
    if (!current) return password.fail(T.passwordMissing);
    if ([...next].length < MIN_PASSWORD) return password.fail(T.passwordShort);
    const ok = await password.run(() => accountApi.changePassword({ current_password: current, new_password: next }), T.passwordChanged);
    if (ok) {
      setCurrent("");
      setNext("");
    }
  };

  return (
    <section className="accountsection" aria-labelledby="security-heading">
      <h2 id="security-heading">{T.heading}</h2>
      <form
        noValidate
        aria-labelledby="password-heading"
        onSubmit={(e) => {
          e.preventDefault();
          void change();
        }}
      >
        <h3 id="password-heading">{T.passwordHeading}</h3>
        <label>
          {T.currentPassword}
          <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />
        </label>
        <label>
          {T.newPassword}
          <input type="password" autoComplete="new-password" aria-describedby={help} value={next} onChange={(e) => setNext(e.target.value)} />
        </label>
        <p id={help} className="detail">
          {T.passwordHelp}
        </p>
        <div className="actions">
          <button type="submit" className="primary" disabled={password.busy}>
            {T.changePassword}
          </button>
        </div>
        <SaveResult saving={password} />
      </form>
      <h3>{T.everywhereHeading}</h3>
      <p className="muted">{T.everywhereHelp}</p>
      <div className="actions">
        <button
          type="button"
          disabled={everywhere.busy}
          onClick={() => void everywhere.run(() => accountApi.logoutEverywhere(), "").then((ok) => ok && onSignedOutEverywhere())}
        >
          {T.everywhere}
        </button>
      </div>
      <SaveResult saving={everywhere} />
    </section>
  );
}
