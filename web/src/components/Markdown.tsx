// Markdown for answers: GFM (tables, task lists, strikethrough), code blocks highlighted by a
// lazily loaded highlight.js chunk (./highlight) with a copy button, and dir="auto"
// on every text block so a reply that mixes Arabic and Latin paragraphs lays out each one
// in its own direction. Raw HTML in model output is not rendered (react-markdown's default).
import { memo, useEffect, useState, type ReactElement, type ReactNode } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { loadHighlighter, useHighlighter } from "./lazyHighlight";

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <button type="button" className="copy" onClick={copy} aria-label="Copy code">
      {copied ? "Copied" : "Copy"}
    </button>
  );
}

function textOf(node: ReactNode): string {
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (Array.isArray(node)) return node.map(textOf).join("");
  return "";
}

function CodeBlock({ children }: { children?: ReactNode }) {
  const code = children as ReactElement<{ className?: string; children?: ReactNode }> | undefined;
  const className = code?.props?.className ?? "";
  const language = /language-([\w+#-]+)/.exec(className)?.[1]?.toLowerCase() ?? null;
  const text = textOf(code?.props?.children).replace(/\n$/, "");
  const highlight = useHighlighter();
  useEffect(() => {
    if (!highlight && language) void loadHighlighter();
  }, [highlight, language]);
  const html = highlight ? highlight(text, language) : null;
  return (
    <div className="codeblock" dir="ltr">
      <div className="codebar">
        <span>{language ?? "text"}</span>
        <CopyButton text={text} />
      </div>
      <pre>
        {html === null ? (
          <code>{text}</code>
        ) : (
          <code className={`hljs language-${language}`} dangerouslySetInnerHTML={{ __html: html }} />
        )}
      </pre>
    </div>
  );
}

const components: Components = {
  pre: ({ children }) => <CodeBlock>{children}</CodeBlock>,
  p: ({ children }) => <p dir="auto">{children}</p>,
  li: ({ children, className }) => (
    <li dir="auto" className={className}>
      {children}
    </li>
  ),
  h1: ({ children }) => <h1 dir="auto">{children}</h1>,
  h2: ({ children }) => <h2 dir="auto">{children}</h2>,
  h3: ({ children }) => <h3 dir="auto">{children}</h3>,
  h4: ({ children }) => <h4 dir="auto">{children}</h4>,
  blockquote: ({ children }) => <blockquote dir="auto">{children}</blockquote>,
  td: ({ children, style }) => (
    <td dir="auto" style={style}>
      {children}
    </td>
  ),
  th: ({ children, style }) => (
    <th dir="auto" style={style}>
      {children}
    </th>
  ),
  table: ({ children }) => (
    <div className="tablewrap">
      <table>{children}</table>
    </div>
  ),
  a: ({ children, href }) => (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  ),
};

/** Memoised on the text: while one answer streams, the finished ones above it do not re-render. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="md">
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
});
