/** Display formatting shared by the UI and reports. Pure functions, no DOM. */

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${units[unit]}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Renders one result cell value as text; `type` is DuckDB's column type. */
export function formatValue(value: unknown, type: string): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") {
    if (/^(TIMESTAMP|DATE)/i.test(type)) return formatTemporal(value, type);
    if (Number.isInteger(value)) return String(value);
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
    return String(Number(value.toPrecision(10)));
  }
  if (value instanceof Date) return formatTemporal(value.getTime(), type);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (typeof value === "object" && "toJSON" in value && typeof value.toJSON === "function") {
    return JSON.stringify(value.toJSON(), (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  }
  return String(value);
}

function formatTemporal(ms: number, type: string): string {
  const iso = new Date(ms).toISOString();
  if (/^DATE$/i.test(type)) return iso.slice(0, 10);
  return iso
    .replace("T", " ")
    .replace(/\.000Z$/, "")
    .replace(/Z$/, "");
}
