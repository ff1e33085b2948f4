// Markdown for answers: GFM (tables, task lists, strikethrough), code blocks highlighted by a
// lazily loaded highlight.js chunk (./highlight) with a copy button, and dir="auto"
// on every text block so a reply that mixes Arabic and Latin paragraphs lays out each one
// in its own direction. Raw HTML in model output is not rendered (react-markdown's default), and
// an image from another origin is shown as a link, not loaded: a model (or an imported chat) must
// not make the browser call any address it writes, with whatever it puts in the URL.
import { memo, useEffect, type ReactElement, type ReactNode } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { commonText } from "../i18n/common";
import { useTexts } from "../i18n/texts";
import { loadHighlighter, useHighlighter } from "./lazyHighlight";
import { useCopy } from "./useCopy";

function CopyButton({ text }: { text: string }) {
  const T = useTexts(commonText).code;
  const { state, copy } = useCopy(1500);
  return (
    <button type="button" className="copy" onClick={() => copy(text)} aria-label={T.copyLabel}>
      {state === "copied" ? T.copied : T.copy}
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
  const T = useTexts(commonText).code;
  useEffect(() => {
    if (!highlight && language) void loadHighlighter();
  }, [highlight, language]);
  const html = highlight ? highlight(text, language) : null;
  return (
    <div className="codeblock" dir="ltr">
      <div className="codebar">
        <span>{language ?? T.text}</span>
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

/** True for a URL on this page's own origin (a relative path, or this scheme, host and port). */
export function isSameOrigin(url: string, page: Pick<Location, "href" | "origin"> = window.location): boolean {
  try {
    return new URL(url, page.href).origin === page.origin;
  } catch {
    return false;
  }
}

function Image({ src, alt, title }: { src?: unknown; alt?: string; title?: string }) {
  const url = typeof src === "string" ? src : "";
  const T = useTexts(commonText).code;
  if (url && isSameOrigin(url)) return <img src={url} alt={alt ?? ""} title={title} />;
  if (!url) return <span className="imagelink">{alt}</span>; // an unsafe scheme, dropped by react-markdown
  return (
    <a className="imagelink" href={url} target="_blank" rel="noreferrer noopener" title={T.offsiteImage}>
      {alt ? `${alt} (${url})` : url}
    </a>
  );
}

type HastNode = { type: string; value?: string; tagName?: string; children?: HastNode[] };

/** The text of a node, skipping code (identifiers are Latin even in an Arabic list). */
function plainText(node: HastNode | undefined): string {
  if (!node) return "";
  if (node.type === "text") return node.value ?? "";
  if (node.tagName === "code" || node.tagName === "pre") return "";
  return (node.children ?? []).map(plainText).join("");
}

/** "rtl" or "ltr" from the first strong letter (Unicode bidi rule P2, for the scripts we meet). */
export function firstStrongDirection(text: string): "rtl" | "ltr" | "auto" {
  const m = /[A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]|[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/.exec(text);
  if (!m) return "auto";
  return /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/.test(m[0]) ? "rtl" : "ltr";
}

function blockDirection(node: unknown): "rtl" | "ltr" | "auto" {
  return firstStrongDirection(plainText(node as HastNode));
}

const components: Components = {
  pre: ({ children }) => <CodeBlock>{children}</CodeBlock>,
  p: ({ children }) => <p dir="auto">{children}</p>,
  // A list's or table's own dir="auto" would look only at text outside its dir-carrying items
  // (there is none), so their side (markers, column order) comes from their first strong letter.
  ul: ({ children, className, node }) => (
    <ul dir={blockDirection(node)} className={className}>
      {children}
    </ul>
  ),
  ol: ({ children, className, start, node }) => (
    <ol dir={blockDirection(node)} className={className} start={start}>
      {children}
    </ol>
  ),
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
  // The wrapper takes the table's side too: an Arabic table sits on the right of its answer.
  table: ({ children, node }) => {
    const dir = blockDirection(node);
    return (
      <div className="tablewrap" dir={dir}>
        <table dir={dir}>{children}</table>
      </div>
    );
  },
  img: ({ src, alt, title }) => <Image src={src} alt={alt} title={title} />,
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
