// What a new chat starts with: the server's default model (which follows what the admin
// activates) or a pinned one, and a system prompt. A pinned model an admin retired sends the
// account back to the server default, and the server's notice says so here until another is saved.
import { useId, useState } from "react";
import { useTexts } from "../i18n/texts";
import { matchModel, modelLabel } from "../modelNames";
import type { Account, AccountPatch } from "./accountApi";
import { accountText } from "./text";
import { SaveResult, type Saving } from "./useSaving";

export function NewChatsSection({
  account,
  models,
  saving,
  onSave,
}: {
  account: Account;
  /** The models the server offers; null when they could not be listed. */
  models: string[] | null;
  saving: Saving;
  onSave(patch: AccountPatch): void;
}) {
  const T = useTexts(accountText).settings.newChats;
  const pinned = account.default_model;
  const [model, setModel] = useState(() => (pinned ? (matchModel(pinned, models ?? []) ?? pinned) : ""));
  const [prompt, setPrompt] = useState(account.default_system_prompt);
  // The pinned model stays choosable while the server does not list it (Ollama down), not lost.
  const choices = !model || (models ?? []).includes(model) ? (models ?? []) : [model, ...(models ?? [])];
  const notice = account.default_model_notice;
  const help = useId();
  return (
    <section className="accountsection" aria-labelledby="newchats-heading">
      <h2 id="newchats-heading">{T.heading}</h2>
      <p className="muted">{T.intro}</p>
      {notice?.code === "model_retired" ? (
        <p className="signedout" role="status" dir="auto">
          {T.retired(notice.params.model ? modelLabel(notice.params.model) : "")}
        </p>
      ) : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSave({ default_model: model || null, default_system_prompt: prompt });
        }}
      >
        <label>
          {T.model}
          <select value={model} aria-describedby={help} onChange={(e) => setModel(e.target.value)}>
            <option value="">{T.serverDefault}</option>
            {choices.map((m) => (
              <option key={m} value={m}>
                {modelLabel(m)}
              </option>
            ))}
          </select>
        </label>
        <p id={help} className="detail">
          {models === null ? T.noModels : T.modelHelp}
        </p>
        <label>
          {T.systemPrompt}
          <textarea dir="auto" rows={3} value={prompt} placeholder={T.systemPromptPlaceholder} onChange={(e) => setPrompt(e.target.value)} />
        </label>
        <div className="actions">
          <button type="submit" className="primary" disabled={saving.busy}>
            {T.save}
          </button>
        </div>
      </form>
      <SaveResult saving={saving} />
    </section>
  );
}
