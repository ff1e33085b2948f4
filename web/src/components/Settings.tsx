// Per-conversation model and system prompt. For a chat that does not exist yet the values travel
// with the first `chat.send`; afterwards they are saved with PATCH /api/conversations/<id>.
// The person's own settings (defaults for new chats, consent to training) are on /settings.
import { useState } from "react";
import { chatText } from "../i18n/chat";
import { useTexts } from "../i18n/texts";
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
  const T = useTexts(chatText);
  const [chosen, setChosen] = useState(() => (model ? (matchModel(model, models) ?? model) : ""));
  const [prompt, setPrompt] = useState(systemPrompt);
  // A model the server no longer lists (or not yet: Ollama down) stays choosable, not silently lost.
  const choices = models.includes(chosen) || !chosen ? models : [chosen, ...models];
  return (
    <form
      className="settings"
      aria-label={T.settings}
      onSubmit={(e) => {
        e.preventDefault();
        onSave(chosen, prompt);
      }}
    >
      <label>
        {T.settingsPanel.model}
        <select value={chosen} onChange={(e) => setChosen(e.target.value)} aria-label={T.settingsPanel.model}>
          {choices.length === 0 ? <option value="">{T.settingsPanel.noModels}</option> : null}
          {choices.map((m) => (
            <option key={m} value={m}>
              {modelLabel(m)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {T.settingsPanel.systemPrompt}
        <textarea
          dir="auto"
          rows={3}
          value={prompt}
          placeholder={T.settingsPanel.placeholder}
          onChange={(e) => setPrompt(e.target.value)}
        />
      </label>
      <div className="editactions">
        <button type="button" onClick={onClose}>
          {T.settingsPanel.close}
        </button>
        <button type="submit" className="primary">
          {T.settingsPanel.save}
        </button>
      </div>
    </form>
  );
}
