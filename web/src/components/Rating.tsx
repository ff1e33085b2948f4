// 👍/👎 on an answer, and the short note kept with the rating ("wrong dialect", "too long"): the
// signal fine-tuning learns from. Clicking the rating that is on takes it back (note included).
// Rating opens the note box, which is optional; a saved note is shown under the answer, editable.
import { useId, useState } from "react";
import type { FeedbackIn, FeedbackOut } from "../contract";
import { chatText } from "../i18n/chat";
import { chatActionsText } from "../i18n/chatActions";
import { useTexts } from "../i18n/texts";
import { usePanel } from "../panels";

/** The longest note the server keeps (contract/fields.py MAX_NOTE_CHARS). */
export const NOTE_MAX = 2000;

type Rated = NonNullable<FeedbackIn["rating"]>;

export function RateButtons({
  feedback,
  onRate,
  onRated,
}: {
  feedback: FeedbackOut | null;
  onRate(body: FeedbackIn): void;
  /** A rating was given (not taken back): the note box may open. */
  onRated(rating: Rated): void;
}) {
  const T = useTexts(chatActionsText);
  const M = useTexts(chatText).message;
  const button = (rating: Rated, emoji: string, label: string) => {
    const on = feedback?.rating === rating;
    return (
      <button
        type="button"
        className={`icon ${on ? "on" : ""}`}
        aria-pressed={on}
        aria-label={label}
        title={on ? `${label} · ${T.rateAgainClears}` : label}
        onClick={() => {
          if (on) onRate({ rating: null });
          else {
            onRate({ rating, note: feedback?.note ?? "" });
            onRated(rating);
          }
        }}
      >
        {emoji}
      </button>
    );
  };
  return (
    <>
      {button("up", "👍", M.good)}
      {button("down", "👎", M.bad)}
    </>
  );
}

export function NoteBox({
  rating,
  note,
  onSave,
  onClose,
}: {
  rating: Rated;
  note: string;
  onSave(body: FeedbackIn): void;
  onClose(): void;
}) {
  const T = useTexts(chatActionsText);
  const [text, setText] = useState(note);
  const id = useId();
  usePanel(true, onClose);
  const addChip = (chip: string) =>
    setText((old) => {
      if (old.includes(chip)) return old;
      const joined = old.trim() ? `${old.trim()}, ${chip}` : chip;
      return joined.slice(0, NOTE_MAX);
    });
  return (
    <form
      className="notebox"
      onSubmit={(e) => {
        e.preventDefault();
        onSave({ rating, note: text.trim() });
        onClose();
      }}
    >
      <label htmlFor={id}>{T.noteLabel}</label>
      <div className="chips">
        {T.noteChips.map((chip) => (
          <button key={chip} type="button" className="chip" aria-pressed={text.includes(chip)} onClick={() => addChip(chip)}>
            {chip}
          </button>
        ))}
      </div>
      <textarea
        id={id}
        dir="auto"
        rows={2}
        autoFocus
        maxLength={NOTE_MAX}
        placeholder={T.notePlaceholder}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <div className="editactions">
        <span className="noteleft">{T.noteLeft(NOTE_MAX - text.length)}</span>
        <button type="button" onClick={onClose}>
          {T.skipNote}
        </button>
        <button type="submit" className="primary">
          {T.saveNote}
        </button>
      </div>
    </form>
  );
}

/** The note kept with a rating, and the way to change it. */
export function NoteShown({ note, onEdit }: { note: string; onEdit(): void }) {
  const T = useTexts(chatActionsText);
  return (
    <p className="feedbacknote">
      <span>{T.notePrefix}</span> <q dir="auto">{note}</q>{" "}
      <button type="button" className="linkish" onClick={onEdit}>
        {T.editNote}
      </button>
    </p>
  );
}
