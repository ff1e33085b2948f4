// Correcting an answer by hand: the answer's text in a box to rewrite. Saving makes the person's
// text a new version of the answer (chat.edit on the answer; nothing is generated), and corrected
// answers are what the next fine-tuned model learns from, which the hint under the box says.
import { useId, useState, type KeyboardEvent } from "react";
import { chatActionsText } from "../i18n/chatActions";
import { useTexts } from "../i18n/texts";
import { usePanel } from "../panels";

export function CorrectBox({ original, onSave, onCancel }: { original: string; onSave(text: string): void; onCancel(): void }) {
  const T = useTexts(chatActionsText);
  const [text, setText] = useState(original);
  const hint = useId();
  usePanel(true, onCancel);
  const changed = text.trim() !== "" && text.trim() !== original.trim();
  const keys = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter makes a new line here (answers have paragraphs); Ctrl/⌘+Enter saves.
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && changed) {
      e.preventDefault();
      onSave(text.trim());
    }
  };
  return (
    <div className="editbox correctbox">
      <label className="correcttitle">
        {T.correctTitle}
        <textarea
          dir="auto"
          aria-label={T.correctLabel}
          aria-describedby={hint}
          value={text}
          autoFocus
          onChange={(e) => setText(e.target.value)}
          onKeyDown={keys}
          rows={Math.min(16, Math.max(4, text.split("\n").length + 1))}
        />
      </label>
      <p className="hint" id={hint}>
        {T.correctHint}
      </p>
      <div className="editactions">
        <button type="button" onClick={onCancel}>
          {T.cancel}
        </button>
        <button type="button" className="primary" disabled={!changed} onClick={() => onSave(text.trim())}>
          {T.saveCorrection}
        </button>
      </div>
    </div>
  );
}
