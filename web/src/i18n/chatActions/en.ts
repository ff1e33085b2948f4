// The chat's actions on answers and conversations: correct, rate with a note, copy, show more,
// scroll to the latest, export/import, search, and what screen readers are told.
import { plural } from "../texts";

export const en = {
  // Correct an answer by hand
  correct: "Correct",
  correctTitle: "Write the answer it should have given",
  correctLabel: "Corrected answer",
  correctHint: "Your corrected answer is saved as a new version and teaches the next model.",
  saveCorrection: "Save correction",
  cancel: "Cancel",

  // Rating and its note
  rateAgainClears: "Click again to take the rating back",
  noteLabel: "Add a note (optional)",
  notePlaceholder: "What was right or wrong with it?",
  noteChips: ["Wrong dialect", "Too long", "Too short", "Not true", "Helpful"],
  noteLeft: (n: number) => plural(n, { one: "{n} character left", other: "{n} characters left" }),
  saveNote: "Save note",
  skipNote: "Skip",
  editNote: "Edit note",
  notePrefix: "Note:",

  // Copy, long answers, following the stream
  copy: "Copy",
  copyAnswer: "Copy the whole answer",
  copied: "Copied",
  copyFailed: "Could not copy: select the text and copy it yourself.",
  showMore: "Show more",
  showLess: "Show less",
  scrollLatest: "Jump to the latest",

  // Screen readers
  answerFinished: "Answer finished",

  // Each conversation's menu in the sidebar
  menuFor: (title: string) => `Actions for ${title}`,
  exportMarkdown: "Export as Markdown",
  exportJson: "Export as JSON",

  // Import
  importButton: "Import",
  importTitle: "Import a conversation exported as JSON",

  // Search
  searchPlaceholder: "Search messages and titles",
  searching: "Searching…",
  noHits: "Nothing found.",
  hitCount: (n: number) => plural(n, { one: "{n} conversation found", other: "{n} conversations found" }),
  inQuestion: "In a question",
  inAnswer: "In an answer",
  inTitle: "In the title",
  otherVersion: "In another version",
};

export type ChatActionsText = typeof en;
