// One message of the active branch: its text (markdown for answers, plain for questions), the
// branch switcher, and the actions that apply to it (edit a question; regenerate, rate an answer).
import { useState, type KeyboardEvent } from "react";
import type { FeedbackIn, Stats } from "../contract";
import { errorText } from "../errorText";
import { modelLabel } from "../modelNames";
import { inFlight, type ChatMessage } from "../stream/reducer";
import { Markdown } from "./Markdown";

export interface MessageActions {
  onEdit(message: ChatMessage, content: string): void;
  onRegenerate(message: ChatMessage): void;
  onRate(message: ChatMessage, rating: FeedbackIn["rating"]): void;
  onSwitchBranch(message: ChatMessage, siblingId: string): void;
}

export function formatStats(stats: Stats | null | undefined): string | null {
  if (!stats) return null;
  const parts: string[] = [];
  if (typeof stats.ttft_ms === "number") {
    parts.push(`TTFT ${stats.ttft_ms < 1000 ? `${Math.round(stats.ttft_ms)} ms` : `${(stats.ttft_ms / 1000).toFixed(2)} s`}`);
  }
  if (typeof stats.tokens_per_s === "number") parts.push(`${stats.tokens_per_s.toFixed(1)} tok/s`);
  if (typeof stats.eval_count === "number") parts.push(`${stats.eval_count} tokens`);
  return parts.length ? parts.join(" · ") : null;
}

function BranchSwitcher({ message, onSwitch }: { message: ChatMessage; onSwitch(id: string): void }) {
  const ids = message.sibling_ids;
  if (ids.length < 2) return null;
  const at = ids.indexOf(message.id);
  return (
    <span className="branches" aria-label="Versions">
      <button type="button" disabled={at <= 0} onClick={() => onSwitch(ids[at - 1])} aria-label="Previous version">
        ‹
      </button>
      <span className="branchpos">
        {at + 1}/{ids.length}
      </span>
      <button
        type="button"
        disabled={at >= ids.length - 1}
        onClick={() => onSwitch(ids[at + 1])}
        aria-label="Next version"
      >
        ›
      </button>
    </span>
  );
}

/** How an answer ended, when its error (if any) does not say it already. */
const STATUS_TEXT: Partial<Record<ChatMessage["status"], string>> = {
  stopped: "Stopped",
  interrupted: "Interrupted: the server restarted while answering. Press ↻ to try again.",
};

/** Where a queued answer stands: the answers ahead of it (unknown until the server says). */
export function queueText(position: number | undefined): string {
  if (position === undefined) return "Waiting for the model…";
  if (position === 0) return "Starting…";
  return position === 1 ? "1 answer ahead of yours" : `${position} answers ahead of yours`;
}

/** Why an answer failed or was interrupted, in the app's words for its code. */
function failureOf(message: ChatMessage) {
  if (!message.error || (message.status !== "failed" && message.status !== "interrupted")) return null;
  return errorText(message.error.code, "chat", message.error.params);
}

function EditBox({ message, onSave, onCancel }: { message: ChatMessage; onSave(text: string): void; onCancel(): void }) {
  const [text, setText] = useState(message.content);
  const keys = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      if (text.trim()) onSave(text.trim());
    } else if (e.key === "Escape") {
      e.stopPropagation();
      onCancel();
    }
  };
  return (
    <div className="editbox">
      <textarea dir="auto" value={text} autoFocus onChange={(e) => setText(e.target.value)} onKeyDown={keys} rows={3} />
      <div className="editactions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={!text.trim()} onClick={() => onSave(text.trim())}>
          Save &amp; send
        </button>
      </div>
    </div>
  );
}

export function MessageView({
  message,
  busy,
  actions,
}: {
  message: ChatMessage;
  /** An answer is being generated somewhere on the branch: no new edits or regenerations. */
  busy: boolean;
  actions: MessageActions;
}) {
  const [editing, setEditing] = useState(false);
  const streaming = inFlight(message.status);
  const stats = formatStats(message.stats);
  const failure = failureOf(message);

  return (
    <article className={`msg ${message.role}`} data-status={message.status} data-message-id={message.id}>
      {editing ? (
        <EditBox
          message={message}
          onCancel={() => setEditing(false)}
          onSave={(text) => {
            setEditing(false);
            actions.onEdit(message, text);
          }}
        />
      ) : (
        <div className="bubble" dir="auto">
          {message.role === "assistant" ? (
            message.content ? (
              <Markdown text={message.content} />
            ) : message.status === "queued" ? (
              <span className="queued" role="status">
                {queueText(message.queue_position)}
              </span>
            ) : streaming ? (
              <span className="thinking" aria-label="Waiting for the first token">
                <i />
                <i />
                <i />
              </span>
            ) : null
          ) : (
            <div className="plain" dir="auto">
              {message.content}
            </div>
          )}
        </div>
      )}
      {failure && message.error ? (
        <div className="msgerror" role="alert" data-error-code={message.error.code}>
          <strong>{failure.title}.</strong> {failure.advice}
          {/* The server's own words (hosts, names) for whoever reports the problem; English, so folded. */}
          <details className="detail">
            <summary>Details</summary>
            <span dir="auto">{message.error.message}</span>
          </details>
        </div>
      ) : STATUS_TEXT[message.status] ? (
        <div className="msgstatus">{STATUS_TEXT[message.status]}</div>
      ) : null}
      {!editing ? (
        <footer className="msgfoot">
          <BranchSwitcher message={message} onSwitch={(id) => actions.onSwitchBranch(message, id)} />
          {message.role === "user" ? (
            <button type="button" className="icon" disabled={busy} onClick={() => setEditing(true)} title="Edit and resend">
              ✎ Edit
            </button>
          ) : null}
          {message.role === "assistant" && !streaming ? (
            <>
              <button type="button" className="icon" disabled={busy} onClick={() => actions.onRegenerate(message)} title="Regenerate">
                ↻ Regenerate
              </button>
              <button
                type="button"
                className={`icon ${message.feedback?.rating === "up" ? "on" : ""}`}
                aria-pressed={message.feedback?.rating === "up"}
                onClick={() => actions.onRate(message, "up")}
                title="Good answer"
              >
                👍
              </button>
              <button
                type="button"
                className={`icon ${message.feedback?.rating === "down" ? "on" : ""}`}
                aria-pressed={message.feedback?.rating === "down"}
                onClick={() => actions.onRate(message, "down")}
                title="Bad answer"
              >
                👎
              </button>
            </>
          ) : null}
          {message.role === "assistant" && stats ? <span className="stats">{stats}</span> : null}
          {message.role === "assistant" && message.model ? <span className="model">{modelLabel(message.model)}</span> : null}
        </footer>
      ) : null}
    </article>
  );
}
