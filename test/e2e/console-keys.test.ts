// The rest of the web console in headless chromium: asymmetric (Multi-Region) and HMAC keys through the wizard
// and the playground, the PEM download, an edited policy at creation, grants, list and audit pagination, the
// browser's SigV4 against @smithy/signature-v4, and the console's chain-link and metrics readers.
import assert from 'node:assert/strict'
import { createHash, createPublicKey, verify as cryptoVerify } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import type { KMS } from '@aws-sdk/client-kms'
import { SignatureV4 } from '@smithy/signature-v4'
import { NodeSha256 } from '../support/node-sha256.js'
import { chromiumAvailable, type ConsoleBrowser } from './support/browser.js'
import { assertConsoleCallsAudited, createThroughWizard, startConsoleSession, type ConsoleSession } from './support/console-session.js'
import { E2E_ACCOUNT_ID, type TrentProcess } from './support/server.js'
import { trentCli, type CreatedUser } from './support/trent-cli.js'

const T = { timeout: 120_000 }
const hasChromium = chromiumAvailable()

describe('web console in chromium: key types, grants, pagination', { skip: hasChromium ? false : 'chromium is not installed (apt-get install chromium)' }, () => {
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

  it('signs in', T, async () => {
    await s.signIn()
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

  it('creates a Multi-Region ECC signing key, downloads its public key as PEM, and signs and verifies in the playground', T, async () => {
    const signingKey = await createThroughWizard(s, 'asymmetric', 'ECC_NIST_P256', { usage: 'SIGN_VERIFY', multiRegion: true })
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
    await page().waitForFunction('document.querySelectorAll(\'section[data-operation="Sign"] select[name=algorithm] option\').length === 1')
    assert.deepEqual(await signForm.locator('select[name=algorithm] option').allTextContents(), ['ECDSA_SHA_256'], 'the choices follow the key')
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
    const macKey = await createThroughWizard(s, 'hmac', 'HMAC_256', { editPolicy: async (editor) => {
      const start = JSON.parse(await editor.inputValue()) as { Statement: { Principal: { AWS: string } }[] }
      assert.equal(start.Statement[0]!.Principal.AWS, `arn:aws:iam::${E2E_ACCOUNT_ID}:root`, 'the default policy names the signed-in account')
      policy = JSON.stringify({ ...start, Id: 'console-edited' })
      await editor.fill(policy)
    } })
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
    await dataKey.getByRole('button', { name: 'Generate data key' }).click()
    await dataKey.getByRole('alert').waitFor()
    assert.equal(await dataKey.locator('.error-type').textContent(), 'InvalidKeyUsageException', 'an HMAC key makes no data keys')
    await browser.screenshot('10-playground-mac')
  })

  it('disables and enables a key, creates and revokes a grant on it, and generates a data key under it', T, async () => {
    const keyId = (await admin.createKey({ Description: 'grants' })).KeyMetadata!.KeyId!
    await go(`#/key/${keyId}`)
    await section('Metadata').getByRole('button', { name: 'Disable key' }).click()
    await section('Metadata').getByRole('button', { name: 'Enable key' }).waitFor()
    assert.equal((await admin.describeKey({ KeyId: keyId })).KeyMetadata?.KeyState, 'Disabled')
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

    await go(`#/playground/${keyId}`)
    const dataKey = page().locator('section[data-operation="Generate data key"]')
    await dataKey.getByRole('button', { name: 'Generate data key' }).click()
    const plaintext = Buffer.from(await dataKey.getByLabel('Plaintext data key (base64)').inputValue(), 'base64')
    assert.equal(plaintext.length, 32)
    const blob = Buffer.from(await dataKey.getByLabel('Encrypted data key (base64)').inputValue(), 'base64')
    assert.deepEqual(Buffer.from((await admin.decrypt({ CiphertextBlob: blob })).Plaintext!), plaintext, 'the encrypted data key decrypts to the shown one')
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
    assert.ok((await assertConsoleCallsAudited(s, browser.requests)) > 50)
  })

  it('signs in with a role session\'s temporary credentials (session token signed) and acts as the assumed role', T, async () => {
    await trentCli(server.dataDir, 'role', 'create', '--name', 'ConsoleViewer')
    await trentCli(server.dataDir, 'identity-policy', 'put', '--role', 'ConsoleViewer', '--name', 'view', '--document',
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:ListKeys', 'kms:ListAliases', 'kms:DescribeKey'], Resource: '*' }] }))
    const minted = await trentCli(server.dataDir, 'role-session', 'create', '--role', 'ConsoleViewer', '--session-name', 'console', '--duration-seconds', '900')
    const c = minted.Credentials as Record<string, string>
    await page().getByRole('button', { name: 'Sign out' }).click()
    const before = browser.requests.length
    await page().getByLabel('Access key ID').fill(c.AccessKeyId!)
    await page().getByLabel('Secret access key').fill(c.SecretAccessKey!)
    await page().getByLabel('Session token (optional)').fill(c.SessionToken!)
    await page().getByRole('button', { name: 'Sign in' }).click()
    await page().getByRole('heading', { name: 'Overview' }).waitFor() // where signing out left the address
    await go('#/keys')
    await page().locator('.key-results[aria-busy="false"]').waitFor()
    assert.ok((await page().locator('table.keys tbody tr').count()) > 10, 'the role lists the keys')
    const calls = browser.requests.slice(before)
    assert.ok(calls.every((r) => r.method() !== 'POST' || r.headers()['x-amz-security-token'] === c.SessionToken), 'every call carries the session token')
    const arn = `arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/ConsoleViewer/console`
    assert.ok((await assertConsoleCallsAudited(s, calls, { arn, accessKeyId: c.AccessKeyId! })) > 10)
    await go('#/create-key')
    await page().getByRole('button', { name: 'Next' }).click()
    await page().getByRole('button', { name: 'Next' }).click()
    await page().getByRole('button', { name: 'Next' }).click()
    await page().getByRole('button', { name: 'Create key' }).click()
    const refused = page().getByRole('alert')
    await refused.waitFor()
    assert.equal(await refused.locator('.error-type').textContent(), 'AccessDeniedException')
    assert.match(String(await refused.textContent()), new RegExp(`User: ${arn} is not authorized to perform: kms:CreateKey`))
  })
})
