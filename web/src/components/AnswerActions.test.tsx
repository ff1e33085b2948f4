// The actions on one answer: correct it by hand, rate it (and take the rating back) with a note,
// copy it whole, and long messages folded with "Show more".
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { closeTopPanel, openPanelCount } from "../panels";
import type { ChatMessage } from "../stream/reducer";
import { branchMessage } from "../testing/wire";
import { CopyAnswer } from "./CopyAnswer";
import { CorrectBox } from "./CorrectBox";
import { isLong, LongText } from "./LongText";
import { MessageView, type MessageActions } from "./MessageView";
import { NOTE_MAX, NoteBox, NoteShown, RateButtons } from "./Rating";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function actions(): MessageActions {
  return { onEdit: vi.fn(), onRegenerate: vi.fn(), onRate: vi.fn(), onSwitchBranch: vi.fn() };
}

const answer: ChatMessage = branchMessage({
  id: "a1",
  conversation_id: "c1",
  parent_id: "u1",
  role: "assistant",
  content: "Salam! **Labas**?",
});

describe("Correct an answer", () => {
  it("opens prefilled with the answer, says what a correction is for, and sends it as an edit of the answer", () => {
    const a = actions();
    render(<MessageView message={answer} busy={false} actions={a} />);
    fireEvent.click(screen.getByRole("button", { name: "✎ Correct" }));
    const box = screen.getByLabelText("Corrected answer") as HTMLTextAreaElement;
    expect(box.value).toBe("Salam! **Labas**?");
    expect(box.getAttribute("dir")).toBe("auto");
    expect(screen.getByText("Your corrected answer is saved as a new version and teaches the next model.")).toBeTruthy();
    const save = screen.getByRole("button", { name: "Save correction" });
    expect(save.hasAttribute("disabled")).toBe(true); // unchanged: nothing to save
    fireEvent.change(box, { target: { value: "Salam! Labas, l7amdoulah.\n" } });
    fireEvent.click(save);
    expect(a.onEdit).toHaveBeenCalledWith(answer, "Salam! Labas, l7amdoulah.");
    expect(screen.queryByLabelText("Corrected answer")).toBeNull();
  });

  it("is a panel Esc closes, and cancels without sending", () => {
    const onSave = vi.fn();
    const onCancel = vi.fn();
    render(<CorrectBox original="x" onSave={onSave} onCancel={onCancel} />);
    expect(openPanelCount()).toBe(1);
    act(() => void closeTopPanel());
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onSave).not.toHaveBeenCalled();
  });

  it("is not offered while an answer is being written", () => {
    render(<MessageView message={answer} busy actions={actions()} />);
    expect(screen.getByRole("button", { name: "✎ Correct" }).hasAttribute("disabled")).toBe(true);
  });
});

describe("Rating", () => {
  it("rates, keeps the note when the rating changes, and takes the rating back on a second click", () => {
    const onRate = vi.fn();
    const onRated = vi.fn();
    const { rerender } = render(<RateButtons feedback={null} onRate={onRate} onRated={onRated} />);
    fireEvent.click(screen.getByRole("button", { name: "Good answer" }));
    expect(onRate).toHaveBeenLastCalledWith({ rating: "up", note: "" });
    expect(onRated).toHaveBeenCalledWith("up");

    const rated = { rating: "up" as const, note: "too long", created_at: "2026-01-01T00:00:00Z" };
    rerender(<RateButtons feedback={rated} onRate={onRate} onRated={onRated} />);
    expect(screen.getByRole("button", { name: "Good answer" }).getAttribute("aria-pressed")).toBe("true");
    fireEvent.click(screen.getByRole("button", { name: "Bad answer" }));
    expect(onRate).toHaveBeenLastCalledWith({ rating: "down", note: "too long" });
    fireEvent.click(screen.getByRole("button", { name: "Good answer" }));
    expect(onRate).toHaveBeenLastCalledWith({ rating: null });
    expect(onRated).toHaveBeenCalledTimes(2);
  });

  it("saves a note from quick chips and free text, limited to the contract's length", () => {
    const onSave = vi.fn();
    const onClose = vi.fn();
    render(<NoteBox rating="down" note="" onSave={onSave} onClose={onClose} />);
    fireEvent.click(screen.getByRole("button", { name: "Wrong dialect" }));
    fireEvent.click(screen.getByRole("button", { name: "Too long" }));
    fireEvent.click(screen.getByRole("button", { name: "Too long" })); // once is enough
    const box = screen.getByLabelText("Add a note (optional)") as HTMLTextAreaElement;
    expect(box.value).toBe("Wrong dialect, Too long");
    expect(box.maxLength).toBe(NOTE_MAX);
    expect(screen.getByText(`${(NOTE_MAX - box.value.length).toLocaleString("en")} characters left`)).toBeTruthy();
    fireEvent.change(box, { target: { value: `${box.value}, says "wesh" ` } });
    fireEvent.click(screen.getByRole("button", { name: "Save note" }));
    expect(onSave).toHaveBeenCalledWith({ rating: "down", note: 'Wrong dialect, Too long, says "wesh"' });
    expect(onClose).toHaveBeenCalled();
  });

  it("opens the note box after rating, and shows the saved note with a way to change it", () => {
    const a = actions();
    const { rerender } = render(<MessageView message={answer} busy={false} actions={a} />);
    fireEvent.click(screen.getByRole("button", { name: "Bad answer" }));
    expect(screen.getByLabelText("Add a note (optional)")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Too short" }));
    fireEvent.click(screen.getByRole("button", { name: "Save note" }));
    expect(a.onRate).toHaveBeenLastCalledWith(answer, { rating: "down", note: "Too short" });

    const rated = { ...answer, feedback: { rating: "down" as const, note: "Too short", created_at: "2026-01-01T00:00:00Z" } };
    rerender(<MessageView message={rated} busy={false} actions={a} />);
    expect(document.querySelector(".feedbacknote q")?.textContent).toBe("Too short");
    fireEvent.click(screen.getByRole("button", { name: "Edit note" }));
    expect((screen.getByLabelText("Add a note (optional)") as HTMLTextAreaElement).value).toBe("Too short");
  });

  it("shows a note on its own, editable", () => {
    const onEdit = vi.fn();
    render(<NoteShown note="لهجة خاطئة" onEdit={onEdit} />);
    expect(screen.getByText("لهجة خاطئة").getAttribute("dir")).toBe("auto");
    fireEvent.click(screen.getByRole("button", { name: "Edit note" }));
    expect(onEdit).toHaveBeenCalled();
  });
});

describe("Copy an answer", () => {
  it("copies the raw markdown and says so", async () => {
    const writeText = vi.fn(async () => undefined);
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    render(<CopyAnswer text={"# Title\n\n**bold** and `code`"} />);
    await act(async () => fireEvent.click(screen.getByTitle("Copy the whole answer")));
    expect(writeText).toHaveBeenCalledWith("# Title\n\n**bold** and `code`");
    expect(screen.getByTitle("Copy the whole answer").textContent).toBe("⧉ Copied");
  });

  it("tells the person to copy by hand when the browser refuses", async () => {
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText: async () => Promise.reject(new Error("denied")) } });
    render(<CopyAnswer text="x" />);
    await act(async () => fireEvent.click(screen.getByTitle("Copy the whole answer")));
    expect(screen.getByText("Could not copy: select the text and copy it yourself.")).toBeTruthy();
  });
});

describe("Long messages", () => {
  const long = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join("\n");

  it("counts as long past 1,200 characters or 24 lines", () => {
    expect(isLong("x".repeat(1200))).toBe(false);
    expect(isLong("x".repeat(1201))).toBe(true);
    expect(isLong(long)).toBe(true);
  });

  it("folds a long message behind Show more / Show less", () => {
    render(
      <LongText text={long} streaming={false}>
        <p>{long}</p>
      </LongText>,
    );
    const more = screen.getByRole("button", { name: "Show more" });
    expect(more.getAttribute("aria-expanded")).toBe("false");
    expect(document.querySelector(".longtext.folded")).not.toBeNull();
    fireEvent.click(more);
    expect(document.querySelector(".longtext.folded")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Show less" }));
    expect(document.querySelector(".longtext.folded")).not.toBeNull();
  });

  it("never folds the answer being written, nor folds it when it ends on screen", () => {
    const streaming = { ...answer, content: long, status: "streaming" as const };
    const { rerender } = render(<MessageView message={streaming} busy actions={actions()} />);
    expect(screen.queryByRole("button", { name: "Show more" })).toBeNull();
    rerender(<MessageView message={{ ...streaming, status: "complete" }} busy={false} actions={actions()} />);
    expect(document.querySelector(".longtext.folded")).toBeNull();
    expect(screen.getByRole("button", { name: "Show less" })).toBeTruthy();
  });
});
