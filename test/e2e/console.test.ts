// The web console's flow from issue 15, end to end in Debian's headless chromium against the real server, with
// every request that is not for the server aborted: sign in (by keyboard), create a key with an alias and a tag,
// deny Encrypt in its policy and watch the playground's Encrypt fail, find those events on the audit page,
// schedule deletion and cancel it. Then every API call the browser made is looked up in the audit log.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { after, before, describe, it } from 'node:test'
import type { KMS } from '@aws-sdk/client-kms'
import { chromiumAvailable, type ConsoleBrowser } from './support/browser.js'
import { assertConsoleCallsAudited, startConsoleSession, type ConsoleSession } from './support/console-session.js'
import type { TrentProcess } from './support/server.js'
import { CLI_JS, type CreatedUser } from './support/trent-cli.js'

const T = { timeout: 120_000 }
const ALIAS = 'alias/console-e2e'
const hasChromium = chromiumAvailable()
const run = promisify(execFile)

describe('web console in chromium: the issue\'s flow', { skip: hasChromium ? false : 'chromium is not installed (apt-get install chromium)' }, () => {
  let s: ConsoleSession
  let server: TrentProcess
  let user: CreatedUser
  let browser: ConsoleBrowser
  let admin: KMS
  before(async () => {
    s = await startConsoleSession()
    ;({ server, user, browser, admin } = s)
  })
  after(async () => { await s?.close() })
  const page = () => s.page()
  const go = (hash: string) => s.go(hash)
  const section = (title: string) => s.section(title)
  let keyId = ''
  /** Requests made before the good sign-in (the refused attempt is audited without a principal). */
  let signInAttempts = 0

  it('serves the console at /console with a strict CSP, and signs in by keyboard alone', T, async () => {
    const reply = await fetch(`${server.url}/console/`)
    assert.equal(reply.status, 200)
    assert.match(String(reply.headers.get('content-security-policy')), /^default-src 'self'/)
    await page().goto(`${server.url}/console/`)
    await page().getByRole('heading', { name: 'Sign in to Trent' }).waitFor()
    await page().getByLabel('Access key ID').fill(user.credentials.accessKeyId)
    await page().getByLabel('Secret access key').fill('not-the-secret')
    await page().getByRole('button', { name: 'Sign in' }).click()
    await page().getByRole('alert').waitFor()
    assert.equal(await page().getByRole('alert').locator('.error-type').textContent(), 'InvalidSignatureException')
    assert.equal(await page().evaluate('sessionStorage.length'), 0, 'refused credentials are not kept')
    await browser.screenshot('01-sign-in-refused')
    signInAttempts = browser.requests.length
    await page().reload()
    await page().getByRole('heading', { name: 'Sign in to Trent' }).waitFor()
    const typeInto = async (name: string, text: string) => {
      await page().keyboard.press('Tab')
      assert.equal(await page().locator(':focus').getAttribute('name'), name)
      if (text) await page().keyboard.type(text)
    }
    await page().keyboard.press('Tab') // the skip link comes first
    await typeInto('accessKeyId', user.credentials.accessKeyId)
    await typeInto('secretAccessKey', user.credentials.secretAccessKey)
    await typeInto('sessionToken', '')
    await page().keyboard.press('Enter')
    await page().getByRole('heading', { name: 'Keys', exact: true }).waitFor()
    const stored = await page().evaluate('({ session: sessionStorage.length, local: localStorage.length, cookie: document.cookie })')
    assert.deepEqual(stored, { session: 1, local: 0, cookie: '' })
  })

  it('creates a key with an alias and a tag through the wizard', T, async () => {
    await go('#/create-key')
    await page().getByLabel('Key type').selectOption('symmetric')
    await browser.screenshot('02-create-key-type')
    await page().getByRole('button', { name: 'Next' }).click()
    await page().getByLabel('Alias (optional)').fill(ALIAS)
    await page().getByLabel('Description').fill('console e2e key')
    await page().getByLabel('Tags').fill('Project=console')
    await page().getByRole('button', { name: 'Next' }).click()
    await page().getByRole('button', { name: 'Next' }).click()
    await browser.screenshot('03-create-key-review')
    await page().getByRole('button', { name: 'Create key' }).click()
    const created = page().getByRole('status').filter({ hasText: 'Created key' })
    await created.waitFor()
    keyId = /Created key (\S+) with alias/.exec(String(await created.textContent()))![1]!
    const described = await admin.describeKey({ KeyId: ALIAS })
    assert.equal(described.KeyMetadata?.KeyId, keyId)
    assert.equal(described.KeyMetadata?.Description, 'console e2e key')
    assert.deepEqual((await admin.listResourceTags({ KeyId: keyId })).Tags, [{ TagKey: 'Project', TagValue: 'console' }])
  })

  it('lists the key when filtered by its tag and alias, and not by another state', T, async () => {
    await admin.createKey({ Description: 'another key' })
    await go('#/keys')
    const settled = page().locator('.key-results[aria-busy="false"]')
    await settled.waitFor()
    assert.equal(await page().locator('table.keys tbody tr').count(), 2, 'unfiltered, both keys are listed')
    await page().getByLabel('Tag').fill('Project=console')
    await page().getByRole('button', { name: 'Apply filters' }).click()
    await settled.waitFor()
    const rows = page().locator('table.keys tbody tr')
    assert.equal(await rows.count(), 1)
    assert.match(String(await rows.first().textContent()), new RegExp(`${ALIAS}.*${keyId}.*Enabled`))
    await browser.screenshot('04-keys-filtered')
    await page().getByLabel('Tag').fill('')
    await page().getByLabel('State').selectOption('Disabled')
    await page().getByRole('button', { name: 'Apply filters' }).click()
    await settled.waitFor()
    assert.equal(await page().locator('.key-results').textContent(), 'No keys match.Previous pagePage 1Next page')
    await page().getByLabel('Alias contains').fill('console-e2')
    await page().getByLabel('State').selectOption('')
    await page().getByRole('button', { name: 'Apply filters' }).click()
    await settled.waitFor()
    assert.equal(await rows.count(), 1)
  })

  it('encrypts and decrypts in the playground, then, with Encrypt denied by the key policy, shows AccessDeniedException', T, async () => {
    await go(`#/playground/${ALIAS}`)
    const encrypt = page().locator('section[data-operation="Encrypt"]')
    await encrypt.getByLabel('Plaintext (text)').fill('hello from the console')
    await encrypt.getByRole('button', { name: 'Encrypt' }).click()
    const ciphertext = encrypt.getByLabel('Ciphertext (base64)')
    await ciphertext.waitFor()
    const decrypt = page().locator('section[data-operation="Decrypt"]')
    await decrypt.getByLabel('Ciphertext (base64)').fill(await ciphertext.inputValue())
    await decrypt.getByRole('button', { name: 'Decrypt' }).click()
    assert.equal(await decrypt.getByLabel('Plaintext (text)').inputValue(), 'hello from the console')

    await go(`#/key/${keyId}`)
    const policy = section('Key policy')
    const editor = policy.getByLabel('Policy document (JSON)')
    await editor.fill('{ "Statement": [ ')
    await policy.getByText('Not valid JSON').waitFor()
    const document = JSON.parse((await admin.getKeyPolicy({ KeyId: keyId, PolicyName: 'default' })).Policy!) as { Statement: unknown[] }
    document.Statement.push({ Sid: 'DenyEncrypt', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:Encrypt', Resource: '*' })
    await editor.fill(JSON.stringify(document, null, 2))
    await policy.getByText('Valid policy JSON').waitFor()
    await policy.getByRole('button', { name: 'Save policy' }).click()
    await policy.getByText('Policy saved.').waitFor()
    assert.match(String((await admin.getKeyPolicy({ KeyId: keyId, PolicyName: 'default' })).Policy), /DenyEncrypt/)
    await policy.getByRole('button', { name: 'Check my access' }).click()
    const encryptRow = policy.locator('table.access tr', { hasText: /^Encrypt/ })
    await encryptRow.waitFor()
    assert.match(String(await encryptRow.textContent()), /^Encryptdenied/)
    assert.match(String(await policy.locator('table.access tr', { hasText: /^GenerateDataKey[^W]/ }).textContent()), /allowed/)
    await browser.screenshot('05-key-details')

    await go(`#/playground/${ALIAS}`)
    await encrypt.getByLabel('Plaintext (text)').fill('this must be refused')
    await encrypt.getByRole('button', { name: 'Encrypt' }).click()
    const error = encrypt.getByRole('alert')
    await error.waitFor()
    assert.equal(await error.locator('.error-type').textContent(), 'AccessDeniedException')
    assert.match(String(await error.textContent()), new RegExp(`User: ${user.arn} is not authorized to perform: kms:Encrypt on the resource associated with this ciphertext|not authorized to perform: kms:Encrypt`))
    await browser.screenshot('06-playground-denied')
  })

  it('finds the policy change and the denied Encrypt on the audit page, with the page\'s chain links intact', T, async () => {
    await go('#/audit')
    await page().getByText(/Chain links checked on this page: \d+ verified, 0 broken/).waitFor()
    assert.match(String(await page().locator('.chain-summary').textContent()), /: [1-9]\d* verified, 0 broken/)
    await page().getByLabel('Filter by').selectOption('ResourceName')
    await page().getByLabel('Value').fill(keyId)
    await page().getByRole('button', { name: 'Look up events' }).click()
    const denied = page().locator('li.event[data-event-name="Encrypt"]', { hasText: 'AccessDeniedException' })
    await denied.first().waitFor()
    assert.match(String(await denied.first().textContent()), new RegExp(user.arn))
    const put = page().locator('li.event[data-event-name="PutKeyPolicy"]')
    assert.equal(await put.count(), 1)
    await put.locator('summary').click()
    assert.match(String(await put.locator('pre').textContent()), /"eventName": "PutKeyPolicy"/)
    await browser.screenshot('07-audit')
  })

  it('schedules deletion only after the alias is typed, then cancels it', T, async () => {
    await go(`#/key/${keyId}`)
    const deletion = section('Deletion')
    const schedule = deletion.getByRole('button', { name: 'Schedule deletion' })
    assert.equal(await schedule.isDisabled(), true)
    await deletion.getByLabel(/To confirm, type/).fill('alias/wrong')
    assert.equal(await schedule.isDisabled(), true)
    await deletion.getByLabel(/To confirm, type/).fill(ALIAS)
    await deletion.getByLabel('Waiting period (days)').selectOption('7')
    await schedule.click()
    await section('Deletion').getByRole('button', { name: 'Cancel key deletion' }).waitFor()
    const pending = await admin.describeKey({ KeyId: keyId })
    assert.equal(pending.KeyMetadata?.KeyState, 'PendingDeletion')
    const days = (pending.KeyMetadata!.DeletionDate!.getTime() - Date.now()) / 86_400_000
    assert.ok(days > 6.9 && days <= 7, `deletion in ${days} days`)
    await browser.screenshot('08-pending-deletion')
    await section('Deletion').getByRole('button', { name: 'Cancel key deletion' }).click()
    await section('Metadata').getByRole('button', { name: 'Enable key' }).waitFor()
    assert.equal((await admin.describeKey({ KeyId: keyId })).KeyMetadata?.KeyState, 'Disabled')
  })

  it('shows request and error rates and keys by state from /metrics on the overview', T, async () => {
    await go('#/overview')
    await page().getByText(/^Error rate: \d/).waitFor()
    const keys = page().locator('figure', { hasText: 'Keys by state' })
    assert.match(String(await keys.locator('ul').textContent()), /Enabled: 1.*Disabled: 1/)
    await browser.screenshot('09-overview')
  })

  it('made every API call as the signed-in user, each one in the audit log, and reached nothing outside', T, async () => {
    const refused = browser.requests.slice(0, signInAttempts).filter((r) => r.method() === 'POST')
    assert.equal(refused.length, 1)
    const calls = await assertConsoleCallsAudited(s, browser.requests.slice(signInAttempts))
    assert.ok(calls > 30, `the flow made ${calls} API calls`)
    // A refused signature names no principal, so no account's LookupEvents shows it; the exported log does.
    const refusedId = String(await (await refused[0]!.response())?.headerValue('x-amzn-requestid'))
    const { stdout } = await run(process.execPath, [CLI_JS, 'audit', 'export', '--data-dir', server.dataDir], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 })
    const record = stdout.split('\n').filter((l) => l.includes(refusedId)).map((l) => JSON.parse(l) as { requestID?: string; errorCode?: string }).find((r) => r.requestID === refusedId)
    assert.equal(record?.errorCode, 'InvalidSignatureException', 'the refused sign-in is audited too')
  })

  it('signing out forgets the credentials', T, async () => {
    await page().getByRole('button', { name: 'Sign out' }).click()
    await page().getByRole('heading', { name: 'Sign in to Trent' }).waitFor()
    assert.equal(await page().evaluate('sessionStorage.length'), 0)
    await go('#/keys')
    await page().getByRole('heading', { name: 'Sign in to Trent' }).waitFor()
  })
})
