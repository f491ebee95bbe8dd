import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

/**
 * The Chromium the e2e suite drives: $CHROMIUM_PATH, then Debian's /usr/bin/chromium, then
 * Playwright's own download if one exists. (scripts/ensure-chromium.mjs installs Debian's
 * when none is found.)
 */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  for (const path of candidates) if (path && existsSync(path)) return path;
  try {
    const bundled = chromium.executablePath();
    if (bundled && existsSync(bundled)) return bundled;
  } catch {}
  return undefined;
}
