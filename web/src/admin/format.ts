// Durations, dates and sizes in the console, as the active language writes them.
import { formatDateTime, formatNumber } from "../i18n/texts";
import { adminText } from "./text";

/** "3 min 20 s", "45 s", "1 h 5 min": for durations and estimates. */
export function duration(seconds: number): string {
  const { second, minute, hour } = adminText.current().units;
  const s = Math.max(0, Math.round(seconds));
  const n = formatNumber;
  if (s < 60) return `${n(s)} ${second}`;
  if (s < 3600) return s % 60 ? `${n(Math.floor(s / 60))} ${minute} ${n(s % 60)} ${second}` : `${n(s / 60)} ${minute}`;
  const m = Math.round((s % 3600) / 60);
  return m ? `${n(Math.floor(s / 3600))} ${hour} ${n(m)} ${minute}` : `${n(Math.floor(s / 3600))} ${hour}`;
}

/** A date and time in the active language. */
export function when(iso: string | null | undefined): string {
  return iso ? formatDateTime(iso) : adminText.current().none;
}

/** Bytes as "1.2 GB", "340 MB". */
export function size(bytes: number | null | undefined): string {
  const T = adminText.current();
  if (bytes === null || bytes === undefined) return T.none;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < T.sizeUnits.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = value < 10 && unit > 0 ? 1 : 0;
  return `${formatNumber(value, { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${T.sizeUnits[unit]}`;
}
