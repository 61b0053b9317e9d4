// `node dist/bench/authorizer-cost.js`: the server-side cost of policy evaluation without network noise.
// One Encrypt request is signed once (the harness clock is frozen, so it stays valid) and run through the
// real dispatch pipeline in process (audit off), alternating between the policy authorizer and the
// benchmark-only account authorizer, in alternating order; authorize() is also timed alone, for the
// account root (default key policy) and for an IAM user whose identity policy is read from SQLite.
// Flags: --requests <n> --rounds <n>
import { parseArgs } from 'node:util'
import { SignatureV4 } from '@smithy/signature-v4'
import { unauditedLog } from '../src/audit/audit-log.js'
import { accountAuthorizer, type Authorizer } from '../src/auth/authorizer.js'
import { createPolicyAuthorizer } from '../src/auth/policy-authorizer.js'
import type { Principal } from '../src/auth/principal.js'
import { dispatch, type RawRequest } from '../src/http/dispatch.js'
import { TEST_ACCOUNT, TEST_CREDENTIALS, TEST_REGION, b64, createHarness, type Harness } from '../test/support/harness.js'
import { addUser } from '../test/support/identities.js'
import { createKey } from '../test/support/kms-fixtures.js'
import { NodeSha256 } from '../test/support/node-sha256.js'
import { median } from './stats.js'

async function signedEncrypt(h: Harness, keyId: string): Promise<RawRequest> {
  const body = Buffer.from(JSON.stringify({ KeyId: keyId, Plaintext: b64(Buffer.alloc(4096, 1)) }))
  const signer = new SignatureV4({ service: 'kms', region: TEST_REGION, credentials: TEST_CREDENTIALS, sha256: NodeSha256 })
  const headers = { host: 'localhost', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.Encrypt' }
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: 'localhost', port: 80, path: '/', query: {}, headers, body }, { signingDate: h.clock.now() })
  return { method: 'POST', url: '/', headers: signed.headers as Record<string, string>, body, sourceIp: '127.0.0.1', requestId: 'bench' }
}

/** Mean microseconds per call of `n` sequential calls. */
async function microsPerCall(call: () => Promise<unknown>, n: number): Promise<number> {
  const start = process.hrtime.bigint()
  for (let i = 0; i < n; i++) await call()
  return Number(process.hrtime.bigint() - start) / 1000 / n
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { requests: { type: 'string', default: '3000' }, rounds: { type: 'string', default: '8' } }, strict: true })
  const n = Number(values.requests)
  const h = await createHarness()
  try {
    h.services.auditLog = unauditedLog
    const key = await createKey(h)
    const req = await signedEncrypt(h, key.keyId)
    const stored = (await h.services.store.getKey(key.keyId))!
    const alice = await addUser(h, 'alice', { use: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: `arn:aws:kms:*:${TEST_ACCOUNT}:key/*` }] })
    const root: Principal = { accountId: TEST_ACCOUNT, arn: `arn:aws:iam::${TEST_ACCOUNT}:root`, type: 'Root', principalId: TEST_ACCOUNT, accessKeyId: TEST_CREDENTIALS.accessKeyId }
    const user: Principal = { accountId: TEST_ACCOUNT, arn: alice.arn, type: 'IAMUser', principalId: 'AIDAEXAMPLE', accessKeyId: alice.credentials.accessKeyId, userName: 'alice' }
    const policy = createPolicyAuthorizer(h.services.store)
    const authorizers: [name: 'account' | 'policy', authorizer: Authorizer][] = [['account', accountAuthorizer], ['policy', policy]]
    const perRequest = { account: [] as number[], policy: [] as number[] }
    const conditions = { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' }
    const alone = { account: [] as number[], root: [] as number[], user: [] as number[] }
    for (let round = 0; round < Number(values.rounds); round++) {
      // Alternate the order: whichever runs second in a round pays for the garbage the first left.
      for (const [name, authorizer] of round % 2 === 0 ? authorizers : [...authorizers].reverse()) {
        h.services.authorizer = authorizer
        perRequest[name].push(await microsPerCall(() => dispatch(h.services, req), n))
      }
      alone.account.push(await microsPerCall(() => accountAuthorizer.authorize(root, stored, 'kms:Encrypt', conditions), n * 10))
      alone.root.push(await microsPerCall(() => policy.authorize(root, stored, 'kms:Encrypt', conditions), n * 10))
      alone.user.push(await microsPerCall(() => policy.authorize(user, stored, 'kms:Encrypt', conditions), n * 10))
    }
    const [a, p] = [median(perRequest.account), median(perRequest.policy)]
    process.stdout.write(`in-process Encrypt 4096 B through dispatch (audit off), median µs/request over ${values.rounds} rounds of ${n}: ` +
      `account authorizer ${a.toFixed(1)}, policy authorizer ${p.toFixed(1)} (policy throughput ${((a / p) * 100).toFixed(1)}% of account)\n`)
    process.stdout.write(`authorize() alone, median µs/call: account ${median(alone.account).toFixed(2)}; policy, root + default key policy ${median(alone.root).toFixed(2)}; ` +
      `policy, IAM user + identity policy from SQLite ${median(alone.user).toFixed(2)}\n`)
  } finally {
    await h.close()
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`authorizer-cost: ${e instanceof Error ? e.stack : String(e)}\n`)
  process.exit(1)
})
