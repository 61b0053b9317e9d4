// Debian's chromium driven by playwright-core for the console e2e tests: a fresh profile, no GPU, no network
// of its own (background networking, component updates and sync off), and every request that is not for the
// Trent server aborted and remembered, so a test can prove the console never reaches outside.
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type BrowserContext, type Page, type Request } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'
export const ARTIFACTS = fileURLToPath(new URL('../../../../test-artifacts/console/', import.meta.url))

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

export interface ConsoleBrowser {
  context: BrowserContext
  page: Page
  /** Every request the page made, in order. */
  requests: Request[]
  /** URLs of requests that were not for the server's origin (aborted). */
  blocked: string[]
  /** Console errors and CSP violations the page reported. */
  pageErrors: string[]
  screenshot(name: string): Promise<void>
  close(): Promise<void>
}

/** Fails on CI when chromium is missing (the CI script installs it), so the suite can never pass without it. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true
  if (process.env.CI === 'true') assert.fail(`${CHROMIUM} is missing on CI (apt-get install chromium)`)
  return false
}

/** Launches headless chromium with a fresh --user-data-dir; only `origin` is reachable. */
export async function openConsoleBrowser(origin: string): Promise<ConsoleBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'trent-chromium-'))
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } })
  const requests: Request[] = []
  const blocked: string[] = []
  const pageErrors: string[] = []
  await context.route('**/*', async (route) => {
    const url = route.request().url()
    if (new URL(url).origin === origin) return route.continue()
    blocked.push(url)
    return route.abort('internetdisconnected')
  })
  const page = context.pages()[0] ?? (await context.newPage())
  page.on('request', (r) => requests.push(r))
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()) })
  page.on('pageerror', (e) => pageErrors.push(String(e)))
  mkdirSync(ARTIFACTS, { recursive: true })
  return {
    context, page, requests, blocked, pageErrors,
    screenshot: async (name) => { await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true }) },
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}
