/** Mid-tone colours that read on both the light and the dark page theme. Text uses currentColor. */
export const PALETTE = {
  reference: "#8a94a6",
  current: "#3b82f6",
  pass: "#2f9e62",
  warn: "#e0a020",
  fail: "#e5484d",
  neutral: "#7c8594",
} as const;

/** Shared Plot style: transparent background, the page's text colour and font. */
export const PLOT_STYLE = { background: "transparent", color: "currentColor", fontSize: "11px", overflow: "visible" };
