// What a person reads when the server changed a chat's model without them choosing: the server sends
// a code and its params (contract.ts ModelNote), never a sentence, so the wording is the reader's
// language's (the chat area's `modelNotes`, one sentence per code).
import type { ModelNote } from "./contract";
import { chatText } from "./i18n/chat";

/** The sentence for a model note, in the active language. */
export function modelNoteText(note: ModelNote): string {
  return chatText.current().modelNotes[note.code](note.params.model ?? "");
}
