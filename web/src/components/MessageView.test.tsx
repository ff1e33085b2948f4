import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ErrorCode } from "../contract";
import type { ChatMessage } from "../stream/reducer";
import { branchMessage, errorInfo, stats } from "../testing/wire";
import { Composer } from "./Composer";
import { formatStats, MessageView, type MessageActions } from "./MessageView";

afterEach(cleanup);

function actions(): MessageActions {
  return { onEdit: vi.fn(), onRegenerate: vi.fn(), onRate: vi.fn(), onSwitchBranch: vi.fn() };
}

const answer: ChatMessage = branchMessage({
  id: "a2",
  conversation_id: "c1",
  parent_id: "u1",
  role: "assistant",
  content: "**Bold** answer",
  status: "complete",
  sibling_ids: ["a1", "a2", "a3"],
  stats: stats({ ttft_ms: 83, tokens_per_s: 45.25, eval_count: 120 }),
});

/** Each way an answer can fail, and the start of what the reader is told. */
const FAILURES: Array<[ErrorCode, string]> = [
  ["model_not_found", "That model is not available."],
  ["model_server_unavailable", "The model server is not answering."],
  ["model_server_busy", "The model server is busy."],
  ["model_server_timeout", "The model server took too long to answer."],
  ["model_server_error", "The model server could not answer."],
  ["answer_cut_short", "The answer was cut short."],
  ["database_gone", "The answer could not be saved."],
  ["interrupted", "The answer was interrupted."],
  ["answer_failed", "The answer failed."],
];

describe("MessageView", () => {
  it("shows stats, the branch position and switches branches", () => {
    const a = actions();
    const { container } = render(<MessageView message={answer} busy={false} actions={a} />);
    expect(container.querySelector("strong")?.textContent).toBe("Bold");
    expect(screen.getByText("TTFT 83 ms · 45.3 tok/s · 120 tokens")).toBeTruthy();
    expect(screen.getByText("2/3")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Next version" }));
    expect(a.onSwitchBranch).toHaveBeenCalledWith(answer, "a3");
    fireEvent.click(screen.getByRole("button", { name: "Previous version" }));
    expect(a.onSwitchBranch).toHaveBeenCalledWith(answer, "a1");
  });

  it("rates and regenerates an answer", () => {
    const a = actions();
    render(<MessageView message={answer} busy={false} actions={a} />);
    fireEvent.click(screen.getByTitle("Good answer"));
    expect(a.onRate).toHaveBeenCalledWith(answer, { rating: "up", note: "" });
    fireEvent.click(screen.getByTitle("Regenerate"));
    expect(a.onRegenerate).toHaveBeenCalledWith(answer);
  });

  it("offers no regenerate or rating while the answer streams", () => {
    render(<MessageView message={{ ...answer, status: "streaming", content: "" }} busy actions={actions()} />);
    expect(screen.queryByTitle("Regenerate")).toBeNull();
    expect(screen.getByLabelText("Waiting for the first token")).toBeTruthy();
  });

  it("shows a queued answer's place as it moves, then its text", () => {
    const queued: ChatMessage = { ...answer, status: "queued", content: "", queue_position: 2 };
    const { rerender } = render(<MessageView message={queued} busy actions={actions()} />);
    expect(screen.getByRole("status").textContent).toBe("2 answers ahead of yours");
    expect(screen.queryByTitle("Regenerate")).toBeNull();
    rerender(<MessageView message={{ ...queued, queue_position: 1 }} busy actions={actions()} />);
    expect(screen.getByRole("status").textContent).toBe("1 answer ahead of yours");
    rerender(<MessageView message={{ ...queued, queue_position: 0 }} busy actions={actions()} />);
    expect(screen.getByRole("status").textContent).toBe("Starting…");
    rerender(<MessageView message={{ ...answer, status: "streaming", content: "First words" }} busy actions={actions()} />);
    expect(screen.queryByRole("status")).toBeNull();
    expect(screen.getByText("First words")).toBeTruthy();
  });

  it("edits a question into a new branch", () => {
    const a = actions();
    const question: ChatMessage = { ...answer, id: "u1", role: "user", content: "old question", parent_id: null, sibling_ids: ["u1"] };
    render(<MessageView message={question} busy={false} actions={a} />);
    fireEvent.click(screen.getByTitle("Edit and resend"));
    const box = screen.getByDisplayValue("old question");
    expect(box.getAttribute("dir")).toBe("auto");
    fireEvent.change(box, { target: { value: "new question" } });
    fireEvent.keyDown(box, { key: "Enter" });
    expect(a.onEdit).toHaveBeenCalledWith(question, "new question");
  });

  it("explains a failed answer by its code and what to do, the server's words only folded away", () => {
    const message = "Ollama at http://127.0.0.1:11434 is not reachable; start it (make run) or set OLLAMA_HOST";
    const failed: ChatMessage = { ...answer, status: "failed", error: errorInfo("model_server_unavailable", message) };
    render(<MessageView message={failed} busy={false} actions={actions()} />);
    const alert = screen.getByRole("alert");
    expect(alert.querySelector("strong")?.textContent).toBe("The model server is not answering.");
    expect(alert.textContent).toContain("Make sure Ollama is running");
    expect(alert.querySelector("details")?.open).toBe(false);
    expect(alert.querySelector("details span")?.textContent).toBe(message);
    expect(screen.getByTitle("Regenerate")).toBeTruthy();
  });

  it.each(FAILURES)("shows its own sentence for a failed answer with code %s", (code, title) => {
    const failed: ChatMessage = { ...answer, status: "failed", error: errorInfo(code, "English words for logs") };
    render(<MessageView message={failed} busy={false} actions={actions()} />);
    const alert = screen.getByRole("alert");
    expect(alert.getAttribute("data-error-code")).toBe(code);
    expect(alert.querySelector("strong")?.textContent).toBe(title);
  });

  it("names the missing model when the server says which", () => {
    const error = errorInfo("model_not_found", "model 'gone' is not available", { model: "gone:latest", host: "h" });
    render(<MessageView message={{ ...answer, status: "failed", error }} busy={false} actions={actions()} />);
    expect(screen.getByRole("alert").querySelector("strong")?.textContent).toBe("The model “gone” is not available.");
  });

  it("tells an interrupted answer once: by its code when it has one, else by its status", () => {
    const interrupted: ChatMessage = { ...answer, status: "interrupted", error: errorInfo("interrupted") };
    const { unmount } = render(<MessageView message={interrupted} busy={false} actions={actions()} />);
    expect(screen.getByRole("alert").querySelector("strong")?.textContent).toBe("The answer was interrupted.");
    expect(document.querySelector(".msgstatus")).toBeNull();
    unmount();
    render(<MessageView message={{ ...answer, status: "interrupted" }} busy={false} actions={actions()} />);
    expect(screen.queryByRole("alert")).toBeNull();
    expect(document.querySelector(".msgstatus")?.textContent).toContain("Interrupted");
  });

  it("puts dir=auto on the message and renders Arabic questions as typed", () => {
    const arabic: ChatMessage = { ...answer, id: "u5", role: "user", content: "شنو هو الذكاء الاصطناعي؟ explain AI", sibling_ids: ["u5"] };
    const { container } = render(<MessageView message={arabic} busy={false} actions={actions()} />);
    expect(container.querySelector(".bubble")?.getAttribute("dir")).toBe("auto");
    const plain = container.querySelector(".plain");
    expect(plain?.getAttribute("dir")).toBe("auto");
    expect(plain?.textContent).toBe("شنو هو الذكاء الاصطناعي؟ explain AI");
  });
});

describe("formatStats", () => {
  it("formats seconds for slow first tokens and omits missing figures", () => {
    expect(formatStats(stats({ ttft_ms: 1234 }))).toBe("TTFT 1.23 s");
    expect(formatStats(stats())).toBeNull();
    expect(formatStats(null)).toBeNull();
  });
});

describe("Composer", () => {
  function setup(streaming = false) {
    const props = { onChange: vi.fn(), onSend: vi.fn(), onStop: vi.fn() };
    render(<Composer value="مرحبا" streaming={streaming} disabled={false} placeholder="Message" {...props} />);
    return { ...props, box: screen.getByLabelText("Message") };
  }

  it("sends on Enter, keeps Shift+Enter for a new line, and is dir=auto", () => {
    const { box, onSend } = setup();
    expect(box.getAttribute("dir")).toBe("auto");
    fireEvent.keyDown(box, { key: "Enter", shiftKey: true });
    expect(onSend).not.toHaveBeenCalled();
    fireEvent.keyDown(box, { key: "Enter" });
    expect(onSend).toHaveBeenCalledTimes(1);
  });

  it("still hands Enter to the app while disconnected, so it can say why nothing was sent", () => {
    const onSend = vi.fn();
    render(<Composer value="hi" streaming={false} disabled placeholder="Message" onChange={vi.fn()} onSend={onSend} onStop={vi.fn()} />);
    expect(screen.getByRole("button", { name: "Send" }).hasAttribute("disabled")).toBe(true);
    fireEvent.keyDown(screen.getByLabelText("Message"), { key: "Enter" });
    expect(onSend).toHaveBeenCalledTimes(1);
  });

  it("does not send while an IME composition is open", () => {
    const { box, onSend } = setup();
    fireEvent.keyDown(box, { key: "Enter", isComposing: true });
    expect(onSend).not.toHaveBeenCalled();
  });

  it("turns the button into Stop while streaming", () => {
    const { onStop, onSend, box } = setup(true);
    fireEvent.keyDown(box, { key: "Enter" });
    expect(onSend).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole("button", { name: "Stop generating" }));
    expect(onStop).toHaveBeenCalledTimes(1);
  });
});
