// The list table every admin tab shows (runs, versions, accounts, audit): one header row over the
// rows the tab draws, or the tab's sentence when the server's list came back empty.
import type { ReactNode } from "react";

/**
 * `headings` name the columns ("" for the unnamed actions column); `rows` is null until the list has
 * loaded, so nothing shows while it loads, and `empty` (if given) is said when it loaded with none.
 */
export function AdminTable({ headings, rows, empty }: { headings: string[]; rows: ReactNode[] | null; empty?: string }) {
  if (rows === null) return null;
  if (rows.length === 0) return empty ? <p className="empty">{empty}</p> : null;
  return (
    <table className="admintable">
      <thead>
        <tr>
          {headings.map((h, i) => (
            <th key={i}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>{rows}</tbody>
    </table>
  );
}
