import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadHighlighter } from "./lazyHighlight";
import { firstStrongDirection, Markdown } from "./Markdown";

afterEach(cleanup);

describe("Markdown", () => {
  it("renders lists, tables and inline code", () => {
    const { container } = render(
      <Markdown text={"Steps:\n\n1. one\n2. two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nUse `ls`."} />,
    );
    expect(container.querySelectorAll("ol > li")).toHaveLength(2);
    expect(container.querySelector("table th")?.textContent).toBe("a");
    expect(container.querySelectorAll("table td")).toHaveLength(2);
    expect(container.querySelector("p code")?.textContent).toBe("ls");
  });

  it("highlights a fenced code block and copies its text", async () => {
    await act(() => loadHighlighter());
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    const code = "def f(x):\n    return x + 1";
    const { container } = render(<Markdown text={"```python\n" + code + "\n```"} />);
    const block = container.querySelector(".codeblock");
    expect(block?.getAttribute("dir")).toBe("ltr");
    expect(block?.querySelector(".hljs-keyword")?.textContent).toBe("def");
    expect(block?.querySelector("code")?.textContent).toBe(code);
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Copy code" })));
    expect(writeText).toHaveBeenCalledWith(code);
    expect(screen.getByRole("button", { name: "Copy code" }).textContent).toBe("Copied");
  });

  it("shows code in an unknown language as plain text", () => {
    const { container } = render(<Markdown text={"```brainfudge\n+++.\n```"} />);
    expect(container.querySelector("pre code")?.textContent).toBe("+++.");
    expect(container.querySelector(".codebar span")?.textContent).toBe("brainfudge");
  });

  it("renders an unfinished code fence while streaming", () => {
    const { container } = render(<Markdown text={"Here:\n\n```js\nconst a = 1"} />);
    expect(container.querySelector("pre code")?.textContent).toBe("const a = 1");
  });

  it("does not render raw HTML from the model", () => {
    const { container } = render(<Markdown text={'<img src=x onerror="alert(1)"> <script>alert(2)</script> text'} />);
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector("script")).toBeNull();
  });

  it("gives every paragraph, list item and cell its own dir=auto, so mixed Arabic/Latin lays out per block", () => {
    const text = "مرحبا بك، كيف حالك؟\n\nHello there.\n\n- عنصر أول\n- second item\n\n| عمود | col |\n|---|---|\n| قيمة | v |";
    const { container } = render(<Markdown text={text} />);
    const blocks = container.querySelectorAll("p, li, td, th");
    expect(blocks.length).toBe(8);
    for (const el of blocks) expect(el.getAttribute("dir")).toBe("auto");
    expect(container.querySelector("p")?.textContent).toBe("مرحبا بك، كيف حالك؟");
  });

  it("sides a list or table by its first strong letter, so Arabic list markers sit on the right", () => {
    const { container } = render(
      <Markdown text={"- `code` عنصر\n- item\n\n1. first\n2. ثاني\n\n| عمود | col |\n|---|---|\n| 1 | 2 |"} />,
    );
    expect(container.querySelector("ul")?.getAttribute("dir")).toBe("rtl");
    expect(container.querySelector("ol")?.getAttribute("dir")).toBe("ltr");
    expect(container.querySelector("table")?.getAttribute("dir")).toBe("rtl");
  });

  it("finds the first strong direction", () => {
    expect(firstStrongDirection("123 — مرحبا hello")).toBe("rtl");
    expect(firstStrongDirection("« Bonjour » مرحبا")).toBe("ltr");
    expect(firstStrongDirection("שלום")).toBe("rtl");
    expect(firstStrongDirection("123 ...")).toBe("auto");
  });
});
