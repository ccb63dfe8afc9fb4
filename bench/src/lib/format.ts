import type { Summary } from "./stats.ts";

export function ms(value: number): string {
  if (!Number.isFinite(value)) return "–";
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (value >= 100) return `${value.toFixed(0)} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

export function bytes(value: number): string {
  if (!Number.isFinite(value)) return "–";
  if (value >= 1024 * 1024) return `${(value / 1024 / 1024).toFixed(2)} MiB`;
  if (value >= 1024) return `${(value / 1024).toFixed(1)} KiB`;
  return `${value} B`;
}

export function perSecond(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(0)}/s` : "–";
}

export function ratio(value: number): string {
  if (!Number.isFinite(value)) return "–";
  return value >= 10 ? `${value.toFixed(0)}×` : `${value.toFixed(2)}×`;
}

/** `median (IQR q1–q3, n runs)` in the unit of `unit`. */
export function spread(s: Summary, unit: (v: number) => string): string {
  return `${unit(s.median)} (IQR ${unit(s.q1)}–${unit(s.q3)}, min–max ${unit(s.min)}–${unit(s.max)}, n=${s.n})`;
}
