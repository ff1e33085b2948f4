// Per-conversation model and system prompt. For a chat that does not exist yet the values travel
// with the first `chat.send`; afterwards they are saved with PATCH /api/conversations/<id>.
// Below them, the person's own consent: keep all their conversations out of training (saved at once
// with PATCH /api/auth/me, since it is theirs, not the conversation's).
import { useState } from "react";
import { matchModel, modelLabel } from "../modelNames";

export function Settings({
  models,
  model,
  systemPrompt,
  onSave,
  onClose,
  excludeFromTraining,
  onExcludeFromTraining,
}: {
  models: string[];
  model: string;
  systemPrompt: string;
  onSave(model: string, systemPrompt: string): void;
  onClose(): void;
  /** Whether the person keeps their conversations out of training; null while it is being read. */
  excludeFromTraining: boolean | null;
  onExcludeFromTraining(excluded: boolean): void;
}) {
  const [chosen, setChosen] = useState(() => (model ? (matchModel(model, models) ?? model) : ""));
  const [prompt, setPrompt] = useState(systemPrompt);
  // A model the server no longer lists (or not yet: Ollama down) stays choosable, not silently lost.
  const choices = models.includes(chosen) || !chosen ? models : [chosen, ...models];
  return (
    <form
      className="settings"
      aria-label="Conversation settings"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(chosen, prompt);
      }}
    >
      <label>
        Model
        <select value={chosen} onChange={(e) => setChosen(e.target.value)} aria-label="Model">
          {choices.length === 0 ? <option value="">(no models available)</option> : null}
          {choices.map((m) => (
            <option key={m} value={m}>
              {modelLabel(m)}
            </option>
          ))}
        </select>
      </label>
      <label>
        System prompt
        <textarea
          dir="auto"
          rows={3}
          value={prompt}
          placeholder="e.g. Answer briefly, in the language of the question."
          onChange={(e) => setPrompt(e.target.value)}
        />
      </label>
      <label className="consent">
        <input
          type="checkbox"
          checked={excludeFromTraining ?? false}
          disabled={excludeFromTraining === null}
          onChange={(e) => onExcludeFromTraining(e.target.checked)}
        />
        <span>
          Exclude my conversations from training
          <span className="detail">None of your conversations, past or future, is used to train a model. Saved at once.</span>
        </span>
      </label>
      <div className="editactions">
        <button type="button" onClick={onClose}>
          Close
        </button>
        <button type="submit" className="primary">
          Save
        </button>
      </div>
    </form>
  );
}
