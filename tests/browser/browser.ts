import AxeBuilder from '@axe-core/playwright';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { gatewayUrl, ROOT } from '../e2e/support/client';

/** Debian's Chromium (the `chromium` package; `.ci/run` installs it), headless. */
export const CHROMIUM = process.env.RH_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(ROOT, '.data', 'test-results', 'screenshots');
export const AXE_RESULTS = path.join(ROOT, '.data', 'test-results', 'axe.json');

export function launch(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (the browser tests use Debian's Chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/** The console's URL: the gateway's root. */
export const consoleUrl = (p = '/') => new URL(p, gatewayUrl()).href;

let signInChecked = false;

/** Opens the console and signs in with a development token; waits for the navigation. */
export async function signIn(page: Page, token: string, at = '/'): Promise<void> {
  await page.goto(consoleUrl(at));
  await page.getByLabel('Development token').waitFor();
  if (!signInChecked) {
    signInChecked = true;
    const violations = await check(page, 'sign-in');
    if (violations.length) throw new Error(`the sign-in page has serious accessibility violations: ${JSON.stringify(violations)}`);
  }
  await page.getByLabel('Development token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

export async function openPage(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Admin center' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
}

const axeLog: Record<string, { id: string; impact: string | null | undefined; nodes: number }[]> = {};

/** A screenshot of the page, and its axe-core check: the serious and critical violations (expected none). */
export async function check(page: Page, name: string): Promise<{ id: string; impact: string | null | undefined; help: string; targets: string[] }[]> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  axeLog[name] = result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  // Every browser test file has a log of its own (Jest loads this module once per file): the
  // file's pages are added to what the other files wrote.
  const written = fs.existsSync(AXE_RESULTS) ? (JSON.parse(fs.readFileSync(AXE_RESULTS, 'utf8')) as typeof axeLog) : {};
  fs.writeFileSync(AXE_RESULTS, JSON.stringify({ ...written, ...axeLog }, null, 2));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}
