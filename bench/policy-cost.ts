// `node dist/bench/policy-cost.js`: Encrypt throughput with policy evaluation (the default authorizer) vs
// without it (TRENT_AUTHORIZER=account, a benchmark-only switch), measured in alternation on side-by-side
// Trents. A third Trent evaluates a larger key policy (the console's default plus denials and conditions,
// the matching statement last) to show the cost does not grow with a realistic document.
// Load: wrk replaying presigned requests, as in `npm run bench`.
// Flags: --duration <s> --concurrency <n> --repeats <n>
import { parseArgs } from 'node:util'
import { drive } from './drive.js'
import { createKmsApi } from './kms-api.js'
import { allScenarios, type BenchRequest } from './scenarios.js'
import { median } from './stats.js'
import { startTrent, type TrentProcess } from './trent-process.js'
import { ensureWrk } from './wrk-install.js'
import type { WrkResult } from './wrk-run.js'

function richPolicy(account: string): string {
  // Principals that need not exist in the bench's store: everyone, narrowed by the caller's ARN.
  const role = (name: string) => ({ Principal: { AWS: '*' }, Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${account}:role/${name}` } } })
  return JSON.stringify({ Version: '2012-10-17', Statement: [
    { Sid: 'Admins', Effect: 'Allow', ...role('KMSAdminRole'), Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'], Resource: '*' },
    { Sid: 'Users', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*', Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${account}:role/ExampleRole` }, StringEquals: { 'kms:EncryptionContext:app': 'bench' } } },
    { Sid: 'NoInsecure', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } },
    { Sid: 'NoForeignAlgorithms', Effect: 'Deny', Principal: '*', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*', Condition: { StringNotEquals: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } } },
    { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': account } } },
  ] })
}

function measure(wrk: string, trent: TrentProcess, pool: BenchRequest[], opts: { concurrency: number; seconds: number }): Promise<WrkResult> {
  return drive(wrk, { url: trent.server.url, region: trent.region, credentials: trent.credentials }, pool, { seconds: opts.seconds, connections: opts.concurrency, threads: 2 })
}

async function prepare(trent: TrentProcess, rich: boolean): Promise<BenchRequest[]> {
  const api = createKmsApi(trent.server.url, trent.region, trent.credentials)
  try {
    const prepared = (await allScenarios({ workers: 1 }).find((s) => s.name === 'encrypt')!.prepare(api)).pool
    if (rich) {
      const keyId = (JSON.parse(Buffer.from((prepared[0] as BenchRequest).body).toString('utf8')) as { KeyId: string }).KeyId
      const account = String(((await api.call('DescribeKey', { KeyId: keyId })).KeyMetadata as { AWSAccountId: string }).AWSAccountId)
      await api.call('PutKeyPolicy', { KeyId: keyId, PolicyName: 'default', Policy: richPolicy(account), BypassPolicyLockoutSafetyCheck: true })
    }
    return prepared
  } finally {
    api.close()
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { duration: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '16' }, repeats: { type: 'string', default: '3' } }, strict: true })
  const opts = { seconds: Math.max(1, Math.round(Number(values.duration))), concurrency: Number(values.concurrency) }
  const wrk = ensureWrk((line) => process.stderr.write(`${line}\n`))
  const servers = { account: await startTrent({ env: { TRENT_AUTHORIZER: 'account' } }), policy: await startTrent(), rich: await startTrent() }
  try {
    const prepared = { account: await prepare(servers.account, false), policy: await prepare(servers.policy, false), rich: await prepare(servers.rich, true) }
    for (const name of ['account', 'policy', 'rich'] as const) await measure(wrk, servers[name], prepared[name], { ...opts, seconds: 1 })
    const rps = { account: [] as number[], policy: [] as number[], rich: [] as number[] }
    for (let round = 1; round <= Number(values.repeats); round++) {
      const line: string[] = []
      for (const name of ['account', 'policy', 'rich'] as const) {
        const r = await measure(wrk, servers[name], prepared[name], opts)
        if (r.statusErrors + r.socketErrors > 0) throw new Error(`${name}: ${r.statusErrors + r.socketErrors} requests failed`)
        rps[name].push(r.rps)
        line.push(`${name} ${r.rps.toFixed(0)} req/s (p99 ${r.p99Ms.toFixed(2)} ms)`)
      }
      process.stderr.write(`round ${round}: ${line.join(', ')}\n`)
    }
    const base = median(rps.account)
    const pct = (v: number) => `${((v / base) * 100).toFixed(1)}%`
    process.stdout.write(`Encrypt 4096 B, concurrency ${opts.concurrency}, medians of ${values.repeats}: ` +
      `no policy evaluation (TRENT_AUTHORIZER=account) ${base.toFixed(0)} req/s; default key policy ${median(rps.policy).toFixed(0)} req/s (${pct(median(rps.policy))}); ` +
      `5-statement key policy ${median(rps.rich).toFixed(0)} req/s (${pct(median(rps.rich))}) (goal ≥ 90%)\n`)
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.stop()))
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`policy-cost: ${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
})
