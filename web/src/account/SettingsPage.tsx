// /settings: the account's own settings, read fresh from GET /api/auth/me (another browser may
// have changed them). Each section saves on its own and says so; what applies to this browser at
// once (language, theme) is applied before the server answers.
import { useCallback, useEffect, useState } from "react";
import { api } from "../api";
import { useTexts } from "../i18n/texts";
import { accountApi, type Account, type AccountPatch } from "./accountApi";
import { DangerZone } from "./DangerZone";
import type { Failure } from "./failure";
import { InterfaceSection } from "./InterfaceSection";
import { NewChatsSection } from "./NewChatsSection";
import { PrivacySection } from "./PrivacySection";
import { SecuritySection } from "./SecuritySection";
import { accountText } from "./text";
import { useSaving, type Saving } from "./useSaving";

export function SettingsPage({
  failure,
  onAccount,
  onSignedOutEverywhere,
  onDeleted,
}: {
  failure: Failure;
  /** The account as the server sent it (on load and after each save). */
  onAccount(account: Account): void;
  onSignedOutEverywhere(): void;
  onDeleted(): void;
}) {
  const A = useTexts(accountText);
  const [account, setShown] = useState<Account | null>(null);
  const setAccount = useCallback(
    (next: Account) => {
      setShown(next);
      onAccount(next);
    },
    [onAccount],
  );
  const [models, setModels] = useState<string[] | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const look = useSaving(failure);
  const newChats = useSaving(failure);
  const privacy = useSaving(failure);

  useEffect(() => {
    accountApi
      .me()
      .then(setAccount)
      .catch((e) => setError(failure(e)));
    api
      .models()
      .then((m) => setModels(m.models))
      .catch(() => setModels(null));
  }, [failure, setAccount]);

  const save = (saving: Saving) => (patch: AccountPatch) => {
    setShown((a) => (a ? { ...a, ...patch } : a)); // shown at once; the server's reply confirms it
    void saving.run(async () => setAccount(await accountApi.update(patch)), A.saved);
  };

  if (error) {
    return (
      <div className="accountbody">
        <p className="formerror" role="alert">
          {error}
        </p>
      </div>
    );
  }
  if (!account || models === undefined) return <div className="accountbody" aria-busy="true" aria-label={A.loadingPage} />;
  return (
    <div className="accountbody">
      <h1>{A.settings.title}</h1>
      <InterfaceSection account={account} saving={look} onSave={save(look)} />
      <NewChatsSection account={account} models={models} saving={newChats} onSave={save(newChats)} />
      <PrivacySection account={account} saving={privacy} onSave={save(privacy)} />
      <SecuritySection failure={failure} onSignedOutEverywhere={onSignedOutEverywhere} />
      <DangerZone username={account.username} failure={failure} onDeleted={onDeleted} />
    </div>
  );
}
