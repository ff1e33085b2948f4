// One message of the active branch: its text (markdown for answers, plain for questions), the
// branch switcher, and the actions that apply to it (edit a question; regenerate, rate an answer).
import { useState, type KeyboardEvent } from "react";
import type { FeedbackIn, Stats } from "../contract";
import { errorText } from "../errorText";
import { chatText } from "../i18n/chat";
import { chatActionsText } from "../i18n/chatActions";
import { useTexts } from "../i18n/texts";
import { modelLabel } from "../modelNames";
import { inFlight, type ChatMessage } from "../stream/reducer";
import { CopyAnswer } from "./CopyAnswer";
import { CorrectBox } from "./CorrectBox";
import { LongText } from "./LongText";
import { Markdown } from "./Markdown";
import { NoteBox, NoteShown, RateButtons } from "./Rating";

export interface MessageActions {
  onEdit(message: ChatMessage, content: string): void;
  onRegenerate(message: ChatMessage): void;
  /** Rate an answer, change its note, or take the rating back (`rating: null`). */
  onRate(message: ChatMessage, feedback: FeedbackIn): void;
  onSwitchBranch(message: ChatMessage, siblingId: string): void;
}

export function formatStats(stats: Stats | null | undefined): string | null {
  if (!stats) return null;
  const T = chatText.current().message;
  const parts: string[] = [];
  if (typeof stats.ttft_ms === "number") parts.push(T.ttft(stats.ttft_ms));
  if (typeof stats.tokens_per_s === "number") parts.push(T.speed(stats.tokens_per_s));
  if (typeof stats.eval_count === "number") parts.push(T.tokens(stats.eval_count));
  return parts.length ? parts.join(" · ") : null;
}

function BranchSwitcher({ message, onSwitch }: { message: ChatMessage; onSwitch(id: string): void }) {
  const ids = message.sibling_ids;
  if (ids.length < 2) return null;
  const at = ids.indexOf(message.id);
  const T = chatText.current().message;
  return (
    <span className="branches" aria-label={T.versions}>
      <button type="button" disabled={at <= 0} onClick={() => onSwitch(ids[at - 1])} aria-label={T.previous}>
        ‹
      </button>
      <span className="branchpos">
        {at + 1}/{ids.length}
      </span>
      <button
        type="button"
        disabled={at >= ids.length - 1}
        onClick={() => onSwitch(ids[at + 1])}
        aria-label={T.next}
      >
        ›
      </button>
    </span>
  );
}

/** How an answer ended, when its error (if any) does not say it already. */
function statusText(status: ChatMessage["status"]): string | null {
  const T = chatText.current().message;
  return status === "stopped" ? T.stopped : status === "interrupted" ? T.interrupted : null;
}

/** Where a queued answer stands: the answers ahead of it (unknown until the server says). */
export function queueText(position: number | undefined): string {
  const T = chatText.current().message;
  if (position === undefined) return T.waiting;
  if (position === 0) return T.starting;
  return T.ahead(position);
}

/** Why an answer failed or was interrupted, in the app's words for its code. */
function failureOf(message: ChatMessage) {
  if (!message.error || (message.status !== "failed" && message.status !== "interrupted")) return null;
  return errorText(message.error.code, "chat", message.error.params);
}

function EditBox({ message, onSave, onCancel }: { message: ChatMessage; onSave(text: string): void; onCancel(): void }) {
  const T = useTexts(chatText).message;
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
          {T.cancel}
        </button>
        <button type="button" className="primary" disabled={!text.trim()} onClick={() => onSave(text.trim())}>
          {T.saveAndSend}
        </button>
      </div>
    </div>
  );
}

export function MessageView({
  message,
  busy,
  actions,
  highlighted = false,
}: {
  message: ChatMessage;
  /** An answer is being generated somewhere on the branch: no new edits or regenerations. */
  busy: boolean;
  actions: MessageActions;
  /** Just opened from a search hit: shown briefly highlighted. */
  highlighted?: boolean;
}) {
  const T = useTexts(chatText).message;
  const A = useTexts(chatActionsText);
  const [editing, setEditing] = useState(false);
  const [correcting, setCorrecting] = useState(false);
  // The note box is open for this rating (just given, or the note being changed).
  const [noteFor, setNoteFor] = useState<"up" | "down" | null>(null);
  const streaming = inFlight(message.status);
  const stats = formatStats(message.stats);
  const failure = failureOf(message);
  const status = statusText(message.status);

  return (
    <article className={`msg ${message.role}${highlighted ? " flash" : ""}`} data-status={message.status} data-message-id={message.id}>
      {editing ? (
        <EditBox
          message={message}
          onCancel={() => setEditing(false)}
          onSave={(text) => {
            setEditing(false);
            actions.onEdit(message, text);
          }}
        />
      ) : correcting ? (
        <CorrectBox
          original={message.content}
          onCancel={() => setCorrecting(false)}
          onSave={(text) => {
            setCorrecting(false);
            actions.onEdit(message, text);
          }}
        />
      ) : (
        <div className="bubble" dir="auto">
          {message.role === "assistant" ? (
            message.content ? (
              <LongText text={message.content} streaming={streaming}>
                <Markdown text={message.content} />
              </LongText>
            ) : message.status === "queued" ? (
              <span className="queued" role="status">
                {queueText(message.queue_position)}
              </span>
            ) : streaming ? (
              <span className="thinking" aria-label={T.thinking}>
                <i />
                <i />
                <i />
              </span>
            ) : null
          ) : (
            <LongText text={message.content} streaming={false}>
              <div className="plain" dir="auto">
                {message.content}
              </div>
            </LongText>
          )}
        </div>
      )}
      {failure && message.error ? (
        <div className="msgerror" role="alert" data-error-code={message.error.code}>
          <strong>{failure.title}.</strong> {failure.advice}
          {/* The server's own words (hosts, names) for whoever reports the problem; English, so folded. */}
          <details className="detail">
            <summary>{T.details}</summary>
            <span dir="auto">{message.error.message}</span>
          </details>
        </div>
      ) : status ? (
        <div className="msgstatus">{status}</div>
      ) : null}
      {!editing && !correcting ? (
        <footer className="msgfoot">
          <BranchSwitcher message={message} onSwitch={(id) => actions.onSwitchBranch(message, id)} />
          {message.role === "user" ? (
            <button type="button" className="icon" disabled={busy} onClick={() => setEditing(true)} title={T.editHint}>
              {T.edit}
            </button>
          ) : null}
          {message.role === "assistant" && !streaming ? (
            <>
              <button type="button" className="icon" disabled={busy} onClick={() => actions.onRegenerate(message)} title={T.regenerateHint}>
                {T.regenerate}
              </button>
              <button type="button" className="icon" disabled={busy} onClick={() => setCorrecting(true)} title={A.correctTitle}>
                ✎ {A.correct}
              </button>
              <CopyAnswer text={message.content} />
              <RateButtons
                feedback={message.feedback}
                onRate={(feedback) => actions.onRate(message, feedback)}
                onRated={setNoteFor}
              />
            </>
          ) : null}
          {message.role === "assistant" && stats ? <span className="stats">{stats}</span> : null}
          {message.role === "assistant" && message.model ? <span className="model">{modelLabel(message.model)}</span> : null}
        </footer>
      ) : null}
      {noteFor && !streaming ? (
        <NoteBox
          rating={message.feedback?.rating ?? noteFor}
          note={message.feedback?.note ?? ""}
          onSave={(feedback) => actions.onRate(message, feedback)}
          onClose={() => setNoteFor(null)}
        />
      ) : message.feedback?.note ? (
        <NoteShown note={message.feedback.note} onEdit={() => setNoteFor(message.feedback?.rating ?? null)} />
      ) : null}
    </article>
  );
}
