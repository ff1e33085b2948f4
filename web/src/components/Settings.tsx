// Per-conversation model and system prompt. For a chat that does not exist yet the values travel
// with the first `chat.send`; afterwards they are saved with PATCH /api/conversations/<id>.
import { useState } from "react";
import { matchModel, modelLabel } from "../modelNames";

export function Settings({
  models,
  model,
  systemPrompt,
  onSave,
  onClose,
}: {
  models: string[];
  model: string;
  systemPrompt: string;
  onSave(model: string, systemPrompt: string): void;
  onClose(): void;
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
