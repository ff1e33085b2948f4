import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SearchHitOut } from "../contract";
import { conversationOut } from "../testing/wire";
import { Sidebar } from "./Sidebar";

afterEach(cleanup);

function setup(search: { query?: string; hits?: SearchHitOut[] | null; searching?: boolean } = {}) {
  const props = {
    onQuery: vi.fn(),
    onOpenHit: vi.fn(),
    onImported: vi.fn(),
    onImportError: vi.fn(),
    onMore: vi.fn(),
    onNew: vi.fn(),
    onOpen: vi.fn(),
    onRename: vi.fn(),
    onDelete: vi.fn(),
    onLogout: vi.fn(),
  };
  render(
    <Sidebar
      user={{ username: "amina" }}
      conversations={[
        conversationOut({ id: "c1", title: "Python files" }),
        conversationOut({ id: "c2", title: "وصفة الكسكس" }),
        conversationOut({ id: "c3", title: null }),
      ]}
      activeId="c1"
      query={search.query ?? ""}
      hits={search.hits ?? null}
      searching={search.searching ?? false}
      hasMore
      open={false}
      {...props}
    />,
  );
  return props;
}

/** Rename from the conversation's "⋯" menu. */
function rename(title: string) {
  fireEvent.click(screen.getByLabelText(`Actions for ${title}`));
  fireEvent.click(screen.getByRole("menuitem", { name: /Rename/ }));
}

describe("Sidebar", () => {
  it("opens, searches and pages through conversations", () => {
    const p = setup();
    fireEvent.click(screen.getByText("وصفة الكسكس"));
    expect(p.onOpen).toHaveBeenCalledWith("c2");
    expect(screen.getByText("وصفة الكسكس").getAttribute("dir")).toBe("auto");
    fireEvent.change(screen.getByLabelText("Search conversations"), { target: { value: "kus" } });
    expect(p.onQuery).toHaveBeenCalledWith("kus");
    fireEvent.click(screen.getByText("Load more"));
    expect(p.onMore).toHaveBeenCalled();
  });

  it("calls a conversation the server has not named yet New chat, and renames it from an empty box", () => {
    const p = setup();
    expect(screen.getByRole("link", { name: "New chat" }).getAttribute("href")).toBe("/c/c3");
    rename("New chat");
    const input = screen.getByLabelText("Conversation title") as HTMLInputElement;
    expect(input.value).toBe("");
    fireEvent.change(input, { target: { value: "Named" } });
    fireEvent.keyDown(input, { key: "Enter" });
    expect(p.onRename).toHaveBeenCalledWith("c3", "Named");
  });

  it("renames in place with Enter and keeps the old title on Escape", () => {
    const p = setup();
    rename("Python files");
    const input = screen.getByLabelText("Conversation title");
    fireEvent.change(input, { target: { value: "Reading files" } });
    fireEvent.keyDown(input, { key: "Enter" });
    expect(p.onRename).toHaveBeenCalledWith("c1", "Reading files");

    rename("وصفة الكسكس");
    fireEvent.change(screen.getByLabelText("Conversation title"), { target: { value: "x" } });
    fireEvent.keyDown(screen.getByLabelText("Conversation title"), { key: "Escape" });
    expect(p.onRename).toHaveBeenCalledTimes(1);
  });

  it("deletes only after confirmation", () => {
    const p = setup();
    const confirm = vi.spyOn(window, "confirm").mockReturnValueOnce(false).mockReturnValueOnce(true);
    fireEvent.click(screen.getByLabelText("Actions for Python files"));
    fireEvent.click(screen.getByRole("menuitem", { name: /Delete/ }));
    expect(p.onDelete).not.toHaveBeenCalled();
    fireEvent.click(screen.getByLabelText("Actions for Python files"));
    fireEvent.click(screen.getByRole("menuitem", { name: /Delete/ }));
    expect(p.onDelete).toHaveBeenCalledWith("c1");
    confirm.mockRestore();
  });
});
