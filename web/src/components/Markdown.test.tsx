import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadHighlighter } from "./lazyHighlight";
import { firstStrongDirection, isSameOrigin, Markdown } from "./Markdown";

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

  it("loads images of this origin only; an image elsewhere is a link, never fetched", () => {
    const here = window.location.origin;
    const { container } = render(
      <Markdown
        text={
          "![chart](/media/chart.png) ![same](" + here + "/a.png)\n\n" +
          "![secret](https://elsewhere.example/leak?q=token) ![](//cdn.example/x.png) " +
          "![svg](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=) ![js](javascript:alert(1))"
        }
      />,
    );
    expect([...container.querySelectorAll("img")].map((i) => i.getAttribute("src"))).toEqual([
      "/media/chart.png",
      here + "/a.png",
    ]);
    const links = [...container.querySelectorAll("a.imagelink")];
    expect(links.map((a) => a.getAttribute("href"))).toEqual(["https://elsewhere.example/leak?q=token", "//cdn.example/x.png"]);
    expect(links[0].textContent).toBe("secret (https://elsewhere.example/leak?q=token)");
    expect(links[1].textContent).toBe("//cdn.example/x.png");
    expect(links[0].getAttribute("rel")).toContain("noreferrer");
    // data: and javascript: URLs are dropped by react-markdown: only the alt text is left.
    expect(container.textContent).toContain("svg");
    expect(container.innerHTML).not.toContain("javascript:");
    expect(container.innerHTML).not.toContain("data:");
  });

  it("tells same-origin URLs from others", () => {
    const page = { href: "https://chat.example/c/1", origin: "https://chat.example" };
    expect(isSameOrigin("/media/a.png", page)).toBe(true);
    expect(isSameOrigin("a.png", page)).toBe(true);
    expect(isSameOrigin("https://chat.example/a.png", page)).toBe(true);
    expect(isSameOrigin("http://chat.example/a.png", page)).toBe(false); // another scheme
    expect(isSameOrigin("https://chat.example:8443/a.png", page)).toBe(false); // another port
    expect(isSameOrigin("//elsewhere.example/a.png", page)).toBe(false);
    expect(isSameOrigin("https://chat.example.evil/a.png", page)).toBe(false);
    expect(isSameOrigin("http://[bad", page)).toBe(false);
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
    // Its wrapper too: the table itself sits on the right of the answer, not only its columns.
    expect(container.querySelector(".tablewrap")?.getAttribute("dir")).toBe("rtl");
  });

  it("finds the first strong direction", () => {
    expect(firstStrongDirection("123 — مرحبا hello")).toBe("rtl");
    expect(firstStrongDirection("« Bonjour » مرحبا")).toBe("ltr");
    expect(firstStrongDirection("שלום")).toBe("rtl");
    expect(firstStrongDirection("123 ...")).toBe("auto");
  });
});
