// `npm test`: lint and format check, type check, unit tests, production build, end-to-end
// tests in headless Chromium. Runs every stage even after a failure (so one run shows all
// problems) and ends with one line: `N passed, N failed`.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
let passed = 0;
let failed = 0;
const failures = [];

function run(label, command, args) {
  console.log(`\n▶ ${label}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env });
  return result.status === 0;
}

function check(label, ok) {
  if (ok) passed++;
  else {
    failed++;
    failures.push(label);
  }
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return null;
  }
}

mkdirSync("test-results", { recursive: true });
const npx = process.platform === "win32" ? "npx.cmd" : "npx";
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

check("lint", run("lint", npx, ["biome", "check", "."]));
check("typecheck", run("typecheck", npx, ["tsc", "--noEmit", "-p", "tsconfig.json"]));

rmSync("test-results/unit.json", { force: true });
const unitOk = run("unit tests", npx, [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  "--outputFile=test-results/unit.json",
]);
const unit = readJson("test-results/unit.json");
if (unit) {
  passed += unit.numPassedTests ?? 0;
  failed += unit.numFailedTests ?? 0;
  if ((unit.numFailedTests ?? 0) > 0) failures.push(`${unit.numFailedTests} unit test(s)`);
  if (!unitOk && (unit.numFailedTests ?? 0) === 0) check("unit test run (suite error)", false);
} else check("unit tests (no report)", unitOk && false);

const built = run("build", npm, ["run", "build"]);
check("build", built);
if (built && existsSync("out/index.html")) {
  rmSync("test-results/e2e.json", { force: true });
  const chromiumOk = run("chromium", "node", ["scripts/ensure-chromium.mjs"]);
  if (!chromiumOk) check("chromium available", false);
  else {
    const e2eOk = run("end-to-end tests", npx, ["playwright", "test"]);
    const e2e = readJson("test-results/e2e.json");
    if (e2e?.stats) {
      passed += (e2e.stats.expected ?? 0) + (e2e.stats.flaky ?? 0);
      failed += e2e.stats.unexpected ?? 0;
      if ((e2e.stats.unexpected ?? 0) > 0) failures.push(`${e2e.stats.unexpected} e2e test(s)`);
      if (!e2eOk && (e2e.stats.unexpected ?? 0) === 0) check("e2e run (suite error)", false);
    } else check("e2e tests (no report)", false);
  }
} else check("e2e tests (skipped: build failed)", false);

if (failures.length > 0) console.log(`\nFailed: ${failures.join(", ")}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
