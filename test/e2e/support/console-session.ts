// One console test session: a real server, an IAM user the CLI creates (allowed kms:* and LookupEvents by its
// identity policy), an admin SDK client, and chromium with only the server reachable. Also the checks every
// console test file ends with: each API call the browser made is in the audit log as that user, nothing
// left the origin, and the secret was never sent.
import assert from 'node:assert/strict'
import { CloudTrail, type Event } from '@aws-sdk/client-cloudtrail'
import type { KMS } from '@aws-sdk/client-kms'
import type { Locator, Page, Request } from 'playwright-core'
import { openConsoleBrowser, type ConsoleBrowser } from './browser.js'
import { kmsClient } from './clients.js'
import { E2E_ACCOUNT_ID, E2E_CREDENTIALS, E2E_REGION, cleanupTrent, startTrent, type TrentProcess } from './server.js'
import { createUserWithKey, type CreatedUser } from './trent-cli.js'

const USER_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:*', 'cloudtrail:LookupEvents'], Resource: '*' }] }

export interface ConsoleSession {
  server: TrentProcess
  user: CreatedUser
  /** The account root through the SDK, to check what the console did. */
  admin: KMS
  browser: ConsoleBrowser
  page(): Page
  /** Opens `/console/<hash>` and waits for its heading. */
  go(hash: string): Promise<void>
  /** The page section titled `title`. */
  section(title: string): Locator
  /** Signs in through the form (with the mouse; console.test.ts does it by keyboard). */
  signIn(): Promise<void>
  close(): Promise<void>
}

export async function startConsoleSession(): Promise<ConsoleSession> {
  const server = await startTrent()
  const user = await createUserWithKey(server.dataDir, E2E_ACCOUNT_ID, 'console-user', USER_POLICY)
  const browser = await openConsoleBrowser(new URL(server.url).origin)
  const page = () => browser.page
  const go = async (hash: string) => {
    await page().goto(`${server.url}/console/${hash}`)
    await page().locator('main h1').first().waitFor()
  }
  return {
    server, user, admin: kmsClient(server.url), browser, page, go,
    section: (title) => page().locator('section', { has: page().getByRole('heading', { name: title, exact: true }) }),
    async signIn() {
      await page().goto(`${server.url}/console/`)
      await page().getByLabel('Access key ID').fill(user.credentials.accessKeyId)
      await page().getByLabel('Secret access key').fill(user.credentials.secretAccessKey)
      await page().getByRole('button', { name: 'Sign in' }).click()
      await page().getByRole('heading', { name: 'Keys', exact: true }).waitFor()
    },
    async close() {
      await browser.close()
      await cleanupTrent()
    },
  }
}

/** Creates a key through the wizard and returns its id; `editPolicy` gets the policy editor, prefilled with the default. */
export async function createThroughWizard(
  s: ConsoleSession, type: string, spec: string, options: { usage?: string; multiRegion?: boolean; editPolicy?: (editor: Locator) => Promise<void> } = {},
): Promise<string> {
  const page = s.page()
  await s.go('#/create-key')
  await page.getByLabel('Key type').selectOption(type)
  await page.getByLabel('Key spec').selectOption(spec)
  if (options.usage) await page.getByLabel('Key usage').selectOption(options.usage)
  if (options.multiRegion) await page.getByLabel('Multi-Region key (mrk- key id)').check()
  await page.getByRole('button', { name: 'Next' }).click()
  await page.getByRole('button', { name: 'Next' }).click()
  if (options.editPolicy) {
    await page.getByLabel('Edit the policy, starting from the default').check()
    await options.editPolicy(page.getByLabel('Key policy (JSON)'))
  }
  await page.getByRole('button', { name: 'Next' }).click()
  await page.getByRole('button', { name: 'Create key' }).click()
  const created = page.getByRole('status').filter({ hasText: 'Created key' })
  await created.waitFor()
  return /Created key (\S+?)(?: with alias .*)?\.$/.exec(String(await created.textContent()))![1]!
}

async function allEvents(url: string): Promise<Event[]> {
  const client = new CloudTrail({ endpoint: url, region: E2E_REGION, credentials: E2E_CREDENTIALS, maxAttempts: 1 })
  const events: Event[] = []
  let NextToken: string | undefined
  do {
    const page = await client.lookupEvents({ MaxResults: 50, NextToken })
    events.push(...(page.Events ?? []))
    NextToken = page.NextToken
  } while (NextToken)
  return events
}

/**
 * Every POST in `apiCalls` has an audit record (found by the reply's x-amzn-requestid) of the operation its
 * X-Amz-Target named, made by `as` (the session's user unless given) with its access key. Also: nothing was blocked or sent to
 * another origin, no request carried the secret, and the page reported no CSP violation. Returns how many calls.
 */
export async function assertConsoleCallsAudited(
  s: ConsoleSession, apiCalls: Request[], as: { arn: string; accessKeyId: string } = { arn: s.user.arn, accessKeyId: s.user.credentials.accessKeyId },
): Promise<number> {
  const { browser, server, user } = s
  assert.deepEqual(browser.blocked, [], 'no request left the server origin')
  const origin = new URL(server.url).origin
  assert.deepEqual(browser.requests.filter((r) => new URL(r.url()).origin !== origin).map((r) => r.url()), [])
  for (const r of browser.requests) {
    const sent = JSON.stringify(await r.allHeaders()) + (r.postData() ?? '')
    assert.ok(!sent.includes(user.credentials.secretAccessKey), `the secret was sent in ${r.url()}`)
  }
  const byRequestId = new Map<string, { eventName: string; userIdentity: { arn: string; accessKeyId: string } }>()
  for (const e of await allEvents(server.url)) {
    const record = JSON.parse(e.CloudTrailEvent!) as { requestID: string; eventName: string; userIdentity: { arn: string; accessKeyId: string } }
    byRequestId.set(record.requestID, record)
  }
  const calls = apiCalls.filter((r) => r.method() === 'POST')
  for (const call of calls) {
    const requestId = String(await (await call.response())?.headerValue('x-amzn-requestid'))
    const target = String(await call.headerValue('x-amz-target'))
    const record = byRequestId.get(requestId)
    assert.ok(record, `no audit record for ${target} (${requestId})`)
    assert.equal(record.eventName, target.split('.').pop())
    assert.equal(record.userIdentity.arn, as.arn)
    assert.equal(record.userIdentity.accessKeyId, as.accessKeyId)
  }
  assert.deepEqual(browser.pageErrors.filter((m) => /Content Security Policy|Refused to/.test(m)), [])
  return calls.length
}
