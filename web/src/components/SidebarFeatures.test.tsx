// The sidebar's per-conversation menu (keyboard too), export links, import of a JSON export, and
// the search results with the matched words marked (Arabic letter variants folded as the server does).
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../api";
import { closeTopPanel } from "../panels";
import type { SearchHitOut } from "../contract";
import { markMatches, normaliseWord } from "../search";
import { json, serveApi } from "../testing/adminWire";
import { conversationOut } from "../testing/wire";
import { ConversationMenu, exportUrl } from "./ConversationMenu";
import { ImportButton, importFile } from "./ImportButton";
import { SearchResults } from "./SearchResults";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("ConversationMenu", () => {
  function setup() {
    const props = { onRename: vi.fn(), onDelete: vi.fn() };
    render(<ConversationMenu conversationId="c1" title="Couscous" {...props} />);
    return { ...props, trigger: screen.getByRole("button", { name: "Actions for Couscous" }) };
  }

  it("is a button in the tab order that opens a menu moved through with the arrow keys", () => {
    const { trigger, onRename } = setup();
    expect(trigger.getAttribute("aria-haspopup")).toBe("menu");
    expect(trigger.tabIndex).toBe(0);
    fireEvent.click(trigger);
    expect(trigger.getAttribute("aria-expanded")).toBe("true");
    const items = screen.getAllByRole("menuitem");
    expect(items.map((i) => i.textContent)).toEqual(["✎ Rename", "⤓ Export as Markdown", "⤓ Export as JSON", "🗑 Delete"]);
    expect(document.activeElement).toBe(items[0]);
    fireEvent.keyDown(items[0], { key: "ArrowDown" });
    expect(document.activeElement).toBe(items[1]);
    fireEvent.keyDown(items[1], { key: "ArrowUp" });
    fireEvent.keyDown(items[0], { key: "ArrowUp" });
    expect(document.activeElement).toBe(items[3]); // wraps around
    fireEvent.keyDown(items[3], { key: "Home" });
    fireEvent.click(document.activeElement as HTMLElement);
    expect(onRename).toHaveBeenCalled();
    expect(screen.queryByRole("menu")).toBeNull();
  });

  it("downloads Markdown and JSON exports from the server", () => {
    const { trigger } = setup();
    fireEvent.click(trigger);
    const md = screen.getByRole("menuitem", { name: /Markdown/ });
    expect(md.getAttribute("href")).toBe("/api/conversations/c1/export?format=md");
    expect(md.hasAttribute("download")).toBe(true);
    expect(screen.getByRole("menuitem", { name: /JSON/ }).getAttribute("href")).toBe(exportUrl("c1", "json"));
  });

  it("closes on Esc (the topmost panel) and gives focus back to its button", () => {
    const { trigger } = setup();
    fireEvent.click(trigger);
    act(() => void closeTopPanel());
    expect(screen.queryByRole("menu")).toBeNull();
    expect(document.activeElement).toBe(trigger);
  });

  it("deletes only after confirmation", () => {
    const { trigger, onDelete } = setup();
    vi.spyOn(window, "confirm").mockReturnValueOnce(false).mockReturnValueOnce(true);
    fireEvent.click(trigger);
    fireEvent.click(screen.getByRole("menuitem", { name: /Delete/ }));
    expect(onDelete).not.toHaveBeenCalled();
    fireEvent.click(trigger);
    fireEvent.click(screen.getByRole("menuitem", { name: /Delete/ }));
    expect(window.confirm).toHaveBeenLastCalledWith("Delete “Couscous” and all its messages?");
    expect(onDelete).toHaveBeenCalledTimes(1);
  });
});

describe("Import", () => {
  const doc = { format: "hadra.conversation", version: 1, conversation: {}, messages: [] };

  it("sends the file's JSON as the body and hands back the new conversation", async () => {
    const made = conversationOut({ id: "c9", title: "Imported" });
    const { calls } = serveApi({ "POST /api/conversations/import": () => json(made, 201) });
    expect(await importFile(JSON.stringify(doc))).toEqual(made);
    expect(calls).toEqual([{ method: "POST", path: "/api/conversations/import", body: doc }]);
  });

  it("refuses a file that is not JSON without asking the server", async () => {
    const { calls } = serveApi({});
    await expect(importFile("not json {")).rejects.toMatchObject({ code: "invalid_import" });
    expect(calls).toHaveLength(0);
  });

  it("reports the server's refusal by its code", async () => {
    serveApi({
      "POST /api/conversations/import": () => json({ error: { code: "invalid_import", message: "m0: parent unknown", params: {} } }, 400),
    });
    const onImported = vi.fn();
    const onError = vi.fn();
    render(<ImportButton onImported={onImported} onError={onError} />);
    const input = screen.getByLabelText("Import a conversation exported as JSON") as HTMLInputElement;
    expect(input.accept).toBe(".json,application/json");
    // jsdom's File has no text(): the browser's is stood in for.
    const file = Object.assign(new File([], "chat.json", { type: "application/json" }), { text: async () => JSON.stringify(doc) });
    await act(async () => fireEvent.change(input, { target: { files: [file] } }));
    await vi.waitFor(() => expect(onError).toHaveBeenCalled());
    expect(onError.mock.calls[0][0]).toBeInstanceOf(ApiError);
    expect(onError.mock.calls[0][0]).toMatchObject({ code: "invalid_import", message: "m0: parent unknown" });
    expect(onImported).not.toHaveBeenCalled();
  });
});

describe("Search", () => {
  it("folds words as the server's index does", () => {
    expect(normaliseWord("أَهْلاً")).toBe("اهلا");
    expect(normaliseWord("مدرسة")).toBe("مدرسه");
    expect(normaliseWord("مستشفى")).toBe("مستشفي");
    expect(normaliseWord("ÉCOLE")).toBe("ecole");
    expect(normaliseWord("3ayla")).toBe("3ayla");
    expect(normaliseWord("مسؤول")).toBe("مسوول");
    expect(normaliseWord("٢٠٢٦")).toBe("2026");
  });

  it("marks every query word, and the last one as a prefix, in the snippet's own text", () => {
    const pieces = markMatches("…قال: إِنَّ المدرسة بعيدة عن الدار", "ان المدرسه");
    expect(pieces.filter((p) => p.match).map((p) => p.text)).toEqual(["إِنَّ", "المدرسة"]);
    expect(pieces.map((p) => p.text).join("")).toBe("…قال: إِنَّ المدرسة بعيدة عن الدار");
    expect(markMatches("Le café est fermé", "caf").filter((p) => p.match).map((p) => p.text)).toEqual(["café"]);
  });

  it("lists each conversation found with its title, marked snippet and where it matched; opens a hit", () => {
    const hits: SearchHitOut[] = [
      {
        conversation: conversationOut({ id: "c1", title: "Recettes" }),
        message_id: "a1",
        role: "assistant",
        snippet: "Le couscous se prépare…",
        on_active_branch: false,
      },
      { conversation: conversationOut({ id: "c2", title: "Couscous royal" }), message_id: null, role: null, snippet: "Couscous royal", on_active_branch: true },
    ];
    const onOpen = vi.fn();
    render(<SearchResults query="couscous" hits={hits} searching={false} onOpen={onOpen} />);
    expect(screen.getByText("2 conversations found")).toBeTruthy();
    expect([...document.querySelectorAll("mark")].map((m) => m.textContent)).toEqual(["couscous", "Couscous"]);
    expect(screen.getByText("In an answer · In another version")).toBeTruthy();
    expect(screen.getByText("In the title")).toBeTruthy();
    fireEvent.click(screen.getByText("Recettes"));
    expect(onOpen).toHaveBeenCalledWith(hits[0]);
  });

  it("says when nothing is found, and while it is looking", () => {
    const { rerender } = render(<SearchResults query="zzz" hits={null} searching onOpen={vi.fn()} />);
    expect(screen.getByRole("status").textContent).toBe("Searching…");
    rerender(<SearchResults query="zzz" hits={[]} searching={false} onOpen={vi.fn()} />);
    expect(screen.getByRole("status").textContent).toBe("Nothing found.");
  });
});
