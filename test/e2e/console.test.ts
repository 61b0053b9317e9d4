// The web console end to end in Debian's headless chromium, against the real server, with every request that
// is not for the server aborted: sign in (by keyboard), create a key with an alias and a tag, deny Encrypt in
// its policy and watch the playground's Encrypt fail, find those events on the audit page, schedule deletion
// and cancel it. Afterwards every API call the browser made is looked up in the audit log, as the signed-in user.
import assert from 'node:assert/strict'
import { createHash, createPublicKey, verify as cryptoVerify } from 'node:crypto'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { after, before, describe, it } from 'node:test'
import { CloudTrail, type Event } from '@aws-sdk/client-cloudtrail'
import type { KMS } from '@aws-sdk/client-kms'
import { SignatureV4 } from '@smithy/signature-v4'
import { NodeSha256 } from '../support/node-sha256.js'
import type { Locator } from 'playwright-core'
import { chromiumAvailable, openConsoleBrowser, type ConsoleBrowser } from './support/browser.js'
import { kmsClient } from './support/clients.js'
import { E2E_ACCOUNT_ID, E2E_CREDENTIALS, E2E_REGION, cleanupTrent, startTrent, type TrentProcess } from './support/server.js'
import { CLI_JS, createUserWithKey, type CreatedUser } from './support/trent-cli.js'

const T = { timeout: 120_000 }
const ALIAS = 'alias/console-e2e'
const USER_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:*', 'cloudtrail:LookupEvents'], Resource: '*' }] }
const hasChromium = chromiumAvailable()
const run = promisify(execFile)

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

describe('web console in chromium', { skip: hasChromium ? false : 'chromium is not installed (apt-get install chromium)' }, () => {
  let server: TrentProcess
  let user: CreatedUser
  let browser: ConsoleBrowser
  let admin: KMS
  let keyId = ''
  /** Requests made before the good sign-in (the refused attempt is audited without a principal). */
  let signInAttempts = 0

  before(async () => {
    server = await startTrent()
    user = await createUserWithKey(server.dataDir, E2E_ACCOUNT_ID, 'console-user', USER_POLICY)
    admin = kmsClient(server.url)
    browser = await openConsoleBrowser(new URL(server.url).origin)
  })
  after(async () => {
    await browser?.close()
    await cleanupTrent()
  })

  const page = () => browser.page
  const go = async (hash: string) => {
    await page().goto(`${server.url}/console/${hash}`)
    await page().locator('main h1').first().waitFor()
  }
  const section = (title: string) => page().locator('section', { has: page().getByRole('heading', { name: title, exact: true }) })

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

  it('signs exactly as @smithy/signature-v4 does (the browser\'s WebCrypto SigV4)', T, async () => {
    const input = { target: 'TrentService.ListKeys', body: '{"Limit":1}', date: '2026-01-02T03:04:05.000Z', host: new URL(server.url).host }
    const browserHeaders = await page().evaluate(async ({ target, body, date, host }) => {
      const { signRequest } = (await import('/console/sigv4.js' as string)) as { signRequest(i: unknown): Promise<Record<string, string>> }
      return signRequest({ credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'tok' }, region: 'us-east-1', service: 'kms', host, target, contentType: 'application/x-amz-json-1.1', body, date: new Date(date) })
    }, input)
    const signer = new SignatureV4({ service: 'kms', region: 'us-east-1', sha256: NodeSha256, applyChecksum: false, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'tok' } })
    const [hostname, port] = input.host.split(':')
    const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: hostname!, port: Number(port), path: '/', query: {},
      headers: { host: input.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': input.target }, body: input.body }, { signingDate: new Date(input.date) })
    assert.equal(browserHeaders.authorization, signed.headers.authorization)
    assert.match(browserHeaders.authorization!, /SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,/)
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

  /** Creates a key through the wizard; `editPolicy` gets the policy editor, prefilled with the default, to change. */
  const createThroughWizard = async (type: string, spec: string, usage?: string, multiRegion = false, editPolicy?: (editor: Locator) => Promise<void>): Promise<string> => {
    await go('#/create-key')
    await page().getByLabel('Key type').selectOption(type)
    await page().getByLabel('Key spec').selectOption(spec)
    if (usage) await page().getByLabel('Key usage').selectOption(usage)
    if (multiRegion) await page().getByLabel('Multi-Region key (mrk- key id)').check()
    await page().getByRole('button', { name: 'Next' }).click()
    await page().getByRole('button', { name: 'Next' }).click()
    if (editPolicy) {
      await page().getByLabel('Edit the policy, starting from the default').check()
      await editPolicy(page().getByLabel('Key policy (JSON)'))
    }
    await page().getByRole('button', { name: 'Next' }).click()
    await page().getByRole('button', { name: 'Create key' }).click()
    const created = page().getByRole('status').filter({ hasText: 'Created key' })
    await created.waitFor()
    return /Created key (\S+)\./.exec(String(await created.textContent()))![1]!
  }

  it('creates a Multi-Region ECC signing key, downloads its public key as PEM, and signs and verifies in the playground', T, async () => {
    const signingKey = await createThroughWizard('asymmetric', 'ECC_NIST_P256', 'SIGN_VERIFY', true)
    assert.match(signingKey, /^mrk-/)
    const described = (await admin.describeKey({ KeyId: signingKey })).KeyMetadata!
    assert.deepEqual([described.KeySpec, described.KeyUsage, described.MultiRegion], ['ECC_NIST_P256', 'SIGN_VERIFY', true])
    await go(`#/key/${signingKey}`)
    const download = page().waitForEvent('download')
    await section('Public key').getByRole('link', { name: 'Download PEM' }).click()
    const file = await (await download).path()
    const pem = readFileSync(file, 'utf8')
    assert.match(pem, /^-----BEGIN PUBLIC KEY-----\n/)
    const der = (await admin.getPublicKey({ KeyId: signingKey })).PublicKey!
    assert.deepEqual(createPublicKey(pem).export({ type: 'spki', format: 'der' }), Buffer.from(der))

    await go(`#/playground/${signingKey}`)
    const signForm = page().locator('section[data-operation="Sign"]')
    await signForm.getByLabel('Message (text)').fill('signed in the console')
    await signForm.getByLabel('Signing algorithm').selectOption('ECDSA_SHA_256')
    await signForm.getByRole('button', { name: 'Sign' }).click()
    const signature = await signForm.getByLabel('Signature (base64)').inputValue()
    assert.ok(cryptoVerify('sha256', Buffer.from('signed in the console'), pem, Buffer.from(signature, 'base64')), 'node verifies the console\'s signature')
    const verifyForm = page().locator('section[data-operation="Verify"]')
    await verifyForm.getByLabel('Message (text)').fill('signed in the console')
    await verifyForm.getByLabel('Signature (base64)').fill(signature)
    await verifyForm.getByLabel('Signing algorithm').selectOption('ECDSA_SHA_256')
    await verifyForm.getByRole('button', { name: 'Verify' }).click()
    assert.equal(await verifyForm.getByLabel('Signature valid').inputValue(), 'true')
  })

  it('creates an HMAC key, generates and verifies a MAC, and shows the bare KMSInvalidMacException for a wrong one', T, async () => {
    let policy = ''
    const macKey = await createThroughWizard('hmac', 'HMAC_256', undefined, false, async (editor) => {
      const start = JSON.parse(await editor.inputValue()) as { Statement: { Principal: { AWS: string } }[] }
      assert.equal(start.Statement[0]!.Principal.AWS, `arn:aws:iam::${E2E_ACCOUNT_ID}:root`, 'the default policy names the signed-in account')
      policy = JSON.stringify({ ...start, Id: 'console-edited' })
      await editor.fill(policy)
    })
    assert.equal((await admin.getKeyPolicy({ KeyId: macKey, PolicyName: 'default' })).Policy, policy, 'the edited policy was sent as typed')
    await go(`#/playground/${macKey}`)
    const generate = page().locator('section[data-operation="Generate MAC"]')
    await generate.getByLabel('Message (text)').fill('mac me')
    await generate.getByRole('button', { name: 'Generate MAC' }).click()
    const mac = await generate.getByLabel('MAC (base64)').inputValue()
    const verify = page().locator('section[data-operation="Verify MAC"]')
    await verify.getByLabel('Message (text)').fill('mac me')
    await verify.getByLabel('MAC (base64)').fill(mac)
    await verify.getByRole('button', { name: 'Verify MAC' }).click()
    assert.equal(await verify.getByLabel('MAC valid').inputValue(), 'true')
    await verify.getByLabel('Message (text)').fill('not what was MACed')
    await verify.getByRole('button', { name: 'Verify MAC' }).click()
    await verify.getByRole('alert').waitFor()
    assert.equal(await verify.getByRole('alert').textContent(), 'KMSInvalidMacException')
    const dataKey = page().locator('section[data-operation="Generate data key"]')
    await page().getByLabel('Key (key ID, key ARN, alias name or alias ARN)').fill(ALIAS)
    await dataKey.getByRole('button', { name: 'Generate data key' }).click()
    await dataKey.getByRole('alert').waitFor()
    assert.equal(await dataKey.locator('.error-type').textContent(), 'DisabledException', 'the cancelled key is still disabled')
    await browser.screenshot('10-playground-mac')
  })

  it('enables the key again, then creates and revokes a grant on the key details page', T, async () => {
    await go(`#/key/${keyId}`)
    await section('Metadata').getByRole('button', { name: 'Enable key' }).click()
    await section('Metadata').getByRole('button', { name: 'Disable key' }).waitFor()
    assert.equal((await admin.describeKey({ KeyId: keyId })).KeyMetadata?.KeyState, 'Enabled')
    const grants = section('Grants')
    await grants.getByText('Create a grant').click()
    await grants.getByLabel('Grantee principal').fill(user.arn)
    await grants.getByLabel('Decrypt', { exact: true }).check()
    await grants.getByRole('button', { name: 'Create grant' }).click()
    await grants.getByRole('status').or(grants.getByRole('alert')).waitFor()
    assert.equal(await grants.getByRole('alert').count(), 0, String(await grants.getByRole('alert').allTextContents()))
    await grants.getByText('Grant created.').waitFor()
    const listed = (await admin.listGrants({ KeyId: keyId })).Grants!
    assert.deepEqual(listed.map((g) => g.Operations), [['Decrypt']])
    await grants.getByRole('button', { name: /^Revoke / }).click()
    await grants.getByText('Grant revoked.').waitFor()
    assert.deepEqual((await admin.listGrants({ KeyId: keyId })).Grants, [])
  })

  it('pages through keys, with a tag filter that spans several ListKeys pages, and through audit events by time', T, async () => {
    for (let i = 0; i < 12; i += 1) {
      await admin.createKey({ Description: `batch ${i}`, Tags: i === 5 ? [] : [{ TagKey: 'Batch', TagValue: 'yes' }] })
    }
    await go('#/keys')
    const settled = page().locator('.key-results[aria-busy="false"]')
    const rows = page().locator('table.keys tbody tr')
    await settled.waitFor()
    await page().getByLabel('Per page').selectOption('10')
    await page().getByLabel('Tag').fill('Batch=yes')
    await page().getByRole('button', { name: 'Apply filters' }).click()
    await settled.waitFor()
    assert.equal(await rows.count(), 10)
    const firstPage = await rows.allTextContents()
    await page().getByRole('button', { name: 'Next page' }).click()
    await settled.waitFor()
    assert.equal(await rows.count(), 1, '11 of the 12 new keys carry the tag')
    assert.ok(!firstPage.includes(String(await rows.first().textContent())), 'page 2 is not a page-1 key again')
    assert.equal(await page().getByRole('button', { name: 'Next page' }).isDisabled(), true)
    await page().getByRole('button', { name: 'Previous page' }).click()
    await settled.waitFor()
    assert.deepEqual(await rows.allTextContents(), firstPage)
    assert.ok(firstPage.every((r) => /batch \d+/.test(r)))

    await go('#/audit')
    const events = page().locator('li.event')
    await page().getByLabel('Per page', { exact: true }).selectOption('10')
    await page().getByRole('button', { name: 'Look up events' }).click()
    await page().getByText('Page 1').waitFor()
    await events.nth(9).waitFor()
    const newest = await events.first().textContent()
    await page().getByRole('button', { name: 'Older' }).click()
    await page().getByText('Page 2').waitFor()
    assert.notEqual(await events.first().textContent(), newest)
    await page().getByLabel('From').fill('2099-01-01T00:00:00')
    await page().getByRole('button', { name: 'Look up events' }).click()
    await page().getByText('No events.').waitFor()
  })

  it('detects a broken chain link and reads Prometheus text (the console\'s own modules, in the browser)', T, async () => {
    const first = '{"eventName":"A","trentPreviousHash":"' + '0'.repeat(64) + '","trentSequence":1}'
    const good = `{"eventName":"B","trentPreviousHash":"${createHash('sha256').update(first).digest('hex')}","trentSequence":2}`
    const bad = `{"eventName":"B","trentPreviousHash":"${'1'.repeat(64)}","trentSequence":2}`
    const result = await page().evaluate(async ({ first, good, bad }) => {
      const chain = (await import('/console/chain-links.js' as string)) as { checkLinks(r: string[]): Promise<string[]> }
      const metrics = (await import('/console/metrics.js' as string)) as { parseMetrics(t: string): unknown[] }
      const policy = (await import('/console/policy-check.js' as string)) as { policyProblems(t: string): string[] }
      return {
        good: await chain.checkLinks([good, first]), bad: await chain.checkLinks([bad, first]),
        metrics: metrics.parseMetrics('# HELP x\ntrent_requests_total{operation="Encrypt",outcome="a\\"b"} 3\ntrent_keys{state="Enabled"} 2\n'),
        problems: [policy.policyProblems('{'), policy.policyProblems('{"Statement":[{"Effect":"Maybe","Action":"kms:*","Principal":"*"}]}')],
      }
    }, { first, good, bad })
    assert.deepEqual(result.good, ['verified', 'unchecked'])
    assert.deepEqual(result.bad, ['broken', 'unchecked'])
    assert.deepEqual(result.metrics, [
      { name: 'trent_requests_total', labels: { operation: 'Encrypt', outcome: 'a"b' }, value: 3 }, { name: 'trent_keys', labels: { state: 'Enabled' }, value: 2 },
    ])
    assert.match(result.problems[0]![0]!, /^Not valid JSON/)
    assert.deepEqual(result.problems[1], ['Statement #1: Effect must be Allow or Deny.'])
  })

  it('made every API call as the signed-in user, each one in the audit log, and reached nothing outside', T, async () => {
    assert.deepEqual(browser.blocked, [], 'no request left the server origin')
    const origin = new URL(server.url).origin
    assert.deepEqual(browser.requests.filter((r) => new URL(r.url()).origin !== origin).map((r) => r.url()), [])
    const apiCalls = browser.requests.slice(signInAttempts).filter((r) => r.method() === 'POST')
    const refused = browser.requests.slice(0, signInAttempts).filter((r) => r.method() === 'POST')
    assert.equal(refused.length, 1)
    assert.ok(apiCalls.length > 30, `the flow made ${apiCalls.length} API calls`)
    for (const r of browser.requests) {
      const sent = JSON.stringify(await r.allHeaders()) + (r.postData() ?? '')
      assert.ok(!sent.includes(user.credentials.secretAccessKey), `the secret was sent in ${r.url()}`)
    }
    const byRequestId = new Map<string, Record<string, unknown>>()
    for (const e of await allEvents(server.url)) {
      const record = JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>
      byRequestId.set(String(record.requestID), record)
    }
    // A refused signature names no principal, so no account's LookupEvents shows it; the exported log does.
    const refusedId = String(await (await refused[0]!.response())?.headerValue('x-amzn-requestid'))
    const { stdout } = await run(process.execPath, [CLI_JS, 'audit', 'export', '--data-dir', server.dataDir], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 })
    const refusedRecord = stdout.split('\n').filter((l) => l.includes(refusedId)).map((l) => JSON.parse(l) as { requestID?: string; errorCode?: string }).find((r) => r.requestID === refusedId)
    assert.equal(refusedRecord?.errorCode, 'InvalidSignatureException', 'the refused sign-in is audited too')
    for (const call of apiCalls) {
      const response = await call.response()
      const requestId = String(await response?.headerValue('x-amzn-requestid'))
      const record = byRequestId.get(requestId) as { eventName: string; userIdentity: { arn: string; accessKeyId: string } } | undefined
      const target = String(await call.headerValue('x-amz-target'))
      assert.ok(record, `no audit record for ${target} (${requestId})`)
      assert.equal(record.eventName, target.split('.').pop())
      assert.equal(record.userIdentity.arn, user.arn)
      assert.equal(record.userIdentity.accessKeyId, user.credentials.accessKeyId)
    }
    assert.deepEqual(browser.pageErrors.filter((m) => /Content Security Policy|Refused to/.test(m)), [])
  })

  it('signing out forgets the credentials', T, async () => {
    await page().getByRole('button', { name: 'Sign out' }).click()
    await page().getByRole('heading', { name: 'Sign in to Trent' }).waitFor()
    assert.equal(await page().evaluate('sessionStorage.length'), 0)
    await go('#/keys')
    await page().getByRole('heading', { name: 'Sign in to Trent' }).waitFor()
  })
})
