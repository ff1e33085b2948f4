// /tokens: the account's API tokens. A new token's secret is in the create reply only, so it is
// shown once, right there, with a copy button and ready lines that use it; after "I have copied
// it" (or leaving the page) only the list remains, which never holds secrets.
import { useEffect, useState } from "react";
import { ApiError } from "../api";
import type { TokenCreatedOut, TokenOut } from "../contract";
import { formatDateTime, useTexts } from "../i18n/texts";
import { useCopy } from "../components/useCopy";
import { accountApi } from "./accountApi";
import type { Failure } from "./failure";
import { accountText } from "./text";
import { tokenExamples } from "./tokenExamples";

function CopyButton({ text }: { text: string }) {
  const T = useTexts(accountText).tokens;
  const { state, copy } = useCopy();
  return (
    <>
      <button type="button" onClick={() => copy(text)}>
        {state === "copied" ? T.copied : T.copy}
      </button>
      {state === "failed" ? (
        <span className="formerror" role="alert">
          {T.copyFailed}
        </span>
      ) : null}
    </>
  );
}

function NewToken({ token, onDone }: { token: TokenCreatedOut; onDone(): void }) {
  const T = useTexts(accountText).tokens;
  const examples = tokenExamples(token.token, window.location);
  return (
    <section className="newtoken" aria-labelledby="newtoken-heading">
      <h3 id="newtoken-heading" dir="auto">
        {T.createdHeading(token.name)}
      </h3>
      <p className="signedout" role="alert">
        {T.onceWarning}
      </p>
      <div className="secret">
        <code aria-label={T.secretLabel} dir="ltr">
          {token.token}
        </code>
        <CopyButton text={token.token} />
      </div>
      <p>{T.wsExample}</p>
      <pre className="example" dir="ltr">
        {examples.socket}
      </pre>
      <p>{T.httpExample}</p>
      <pre className="example" dir="ltr">
        {examples.http}
      </pre>
      <button type="button" className="primary" onClick={onDone}>
        {T.done}
      </button>
    </section>
  );
}

export function TokensPage({ failure }: { failure: Failure }) {
  const T = useTexts(accountText).tokens;
  const [tokens, setTokens] = useState<TokenOut[] | null>(null);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<TokenCreatedOut | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  useEffect(() => {
    accountApi
      .tokens()
      .then((list) => setTokens(list.tokens))
      .catch((e) => setError(failure(e)));
  }, [failure]);

  const create = async () => {
    if (!name.trim()) {
      setError(T.nameMissing);
      return;
    }
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      const token = await accountApi.createToken({ name: name.trim() });
      setCreated(token);
      setName("");
      const { token: _secret, ...listed } = token;
      setTokens((list) => [listed, ...(list ?? [])]);
    } catch (e) {
      setError(failure(e));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (token: TokenOut) => {
    if (!window.confirm(T.revokeConfirm(token.name))) return;
    setError(null);
    try {
      await accountApi.revokeToken(token.id);
      setTokens((list) => (list ?? []).filter((t) => t.id !== token.id));
      if (created?.id === token.id) setCreated(null);
      setStatus(T.revoked(token.name));
    } catch (e) {
      // Already gone (revoked in another tab): the list just catches up.
      if (e instanceof ApiError && e.code === "not_found") setTokens((list) => (list ?? []).filter((t) => t.id !== token.id));
      else setError(failure(e));
    }
  };

  return (
    <div className="accountbody">
      <h1>{T.title}</h1>
      <p className="muted">{T.intro}</p>
      <section aria-labelledby="create-heading">
        <h2 id="create-heading">{T.createHeading}</h2>
        <form
          className="inline"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <label>
            {T.nameLabel}
            <input dir="auto" maxLength={100} value={name} placeholder={T.namePlaceholder} onChange={(e) => setName(e.target.value)} />
          </label>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? T.creating : T.create}
          </button>
        </form>
        {error ? (
          <p className="formerror" role="alert">
            {error}
          </p>
        ) : null}
        {created ? <NewToken token={created} onDone={() => setCreated(null)} /> : null}
      </section>
      <section aria-labelledby="list-heading">
        <h2 id="list-heading">{T.listHeading}</h2>
        {status ? (
          <p role="status" dir="auto">
            {status}
          </p>
        ) : null}
        {tokens === null ? null : tokens.length === 0 ? (
          <p className="muted">{T.none}</p>
        ) : (
          <table className="tokens">
            <caption className="muted">{T.count(tokens.length)}</caption>
            <thead>
              <tr>
                <th scope="col">{T.name}</th>
                <th scope="col">{T.created}</th>
                <th scope="col">{T.lastUsed}</th>
                <th scope="col">
                  <span className="visually-hidden">{T.actions}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id} data-token-id={t.id}>
                  <td>
                    <bdi>{t.name}</bdi>
                  </td>
                  <td data-label={T.created}>{formatDateTime(t.created_at)}</td>
                  <td data-label={T.lastUsed}>{t.last_used_at ? formatDateTime(t.last_used_at) : T.never}</td>
                  <td>
                    <button type="button" aria-label={T.revokeLabel(t.name)} onClick={() => void revoke(t)}>
                      {T.revoke}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
