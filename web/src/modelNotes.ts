// What a person reads when the server changed a chat's model without them choosing: the server sends
// a code and its params (contract.ts ModelNote), never a sentence, so the wording lives here.
import type { ModelNote } from "./contract";

/** The sentence for a model note. */
export function modelNoteText(note: ModelNote): string {
  const model = note.params.model ? ` (${note.params.model})` : "";
  return `The model this conversation used${model} was retired; it goes on with the default model.`;
}
