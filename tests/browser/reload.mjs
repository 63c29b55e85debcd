// Browser test of `hindsight serve`: live reload after an edit, and the error overlay.
//   node reload.mjs BASE_URL SITE_DIR
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [base, site] = process.argv.slice(2);
const file = join(site, "content/2024/alpha.md");
const original = readFileSync(file, "utf8");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  await page.goto(new URL("retros/ALPHA-1.html", base).href);
  // Wait until the live-reload connection is open before editing.
  await page.waitForFunction(() => window.__hindsightConnected === true);
  await page.waitForTimeout(300);

  writeFileSync(file, original.replace("Checkout failed.", "Checkout failed, RELOADED-IN-BROWSER."));
  await page.waitForFunction(() => document.body.textContent.includes("RELOADED-IN-BROWSER"), null, { timeout: 15000 });

  writeFileSync(file, original.replace("severity: SEV1", "severity: SEV9"));
  const overlay = page.locator("#hindsight-overlay");
  await overlay.waitFor({ state: "visible", timeout: 15000 });
  const text = await overlay.textContent();
  assert.match(text, /content\/2024\/alpha\.md:5:11/);
  assert.match(text, /unknown severity "SEV9"/);

  writeFileSync(file, original);
  await overlay.waitFor({ state: "detached", timeout: 15000 });
  await page.waitForFunction(() => !document.body.textContent.includes("RELOADED-IN-BROWSER"), null, { timeout: 15000 });
  console.log("browser reload test: 1 passed, 0 failed");
} catch (error) {
  console.error(error);
  console.log("browser reload test: 0 passed, 1 failed");
  process.exitCode = 1;
} finally {
  writeFileSync(file, original);
  await browser.close();
}
