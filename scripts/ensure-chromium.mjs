// Makes sure a Chromium exists for the e2e suite: $CHROMIUM_PATH, /usr/bin/chromium, or
// Playwright's own. When none is found and apt-get is usable as root, installs Debian's
// `chromium`; otherwise explains how to get one.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";

const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean);
if (candidates.some((p) => existsSync(p))) process.exit(0);

try {
  const { chromium } = await import("@playwright/test");
  if (existsSync(chromium.executablePath())) process.exit(0);
} catch {}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
let hasApt = false;
try {
  execSync("command -v apt-get", { stdio: "ignore" });
  hasApt = true;
} catch {}

if (isRoot && hasApt) {
  console.log("No Chromium found: installing Debian's chromium with apt-get…");
  execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium", {
    stdio: "inherit",
  });
  if (existsSync("/usr/bin/chromium")) process.exit(0);
}
console.error(
  "The end-to-end tests need Chromium and none was found.\n" +
    "  - Debian/Ubuntu: sudo apt-get install chromium\n" +
    "  - or point CHROMIUM_PATH at a Chromium/Chrome binary\n" +
    "  - or, where downloads are allowed, npx playwright install chromium",
);
process.exit(1);
