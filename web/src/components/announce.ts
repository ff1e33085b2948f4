// What a screen reader is told when an answer is finished: that it is, and how it starts (the
// first sentence, markdown marks dropped), never the stream token by token.
import { chatActionsText } from "../i18n/chatActions";

const MAX_CHARS = 200;

/** The first sentence of an answer as plain words (or its first 200 characters). */
export function firstSentence(markdown: string): string {
  const plain = markdown
    .replace(/```[\s\S]*?(```|$)/g, " ")
    .replace(/[#>*_`|~[\]]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const end = plain.search(/[.!?؟。](\s|$)/);
  const sentence = end >= 0 ? plain.slice(0, end + 1) : plain;
  return sentence.length > MAX_CHARS ? `${sentence.slice(0, MAX_CHARS).trimEnd()}…` : sentence;
}

/** The live region's words for a finished answer. Called during render: reads the table then. */
export function answerAnnouncement(content: string): string {
  const first = firstSentence(content);
  const done = chatActionsText.current().answerFinished;
  return first ? `${done}. ${first}` : done;
}
