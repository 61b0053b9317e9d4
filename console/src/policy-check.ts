// What a key policy says, as written (its statements in a table), and what the API decides for the signed-in
// principal (operations sent with DryRun). Trent serves no policy simulator API: `trent policy simulate` runs
// offline on the server's data folder. DryRun asks the server's real evaluator, for this caller only.
import { ApiError, kms } from './api.js'
import type { KeyMetadata } from './kms-types.js'

export interface StatementRow {
  sid: string
  effect: string
  principal: string
  actions: string
  conditions: string
}

function list(value: unknown): string {
  if (value === undefined) return ''
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return value.map(list).join(', ')
  if (value && typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k}: ${list(v)}`).join('; ')
  return String(value)
}

/** The statements of `doc` as rows; throws an Error when the document has no Statement list of objects. */
export function statementRows(doc: unknown): StatementRow[] {
  const statements = (doc as { Statement?: unknown })?.Statement
  const all = Array.isArray(statements) ? statements : statements && typeof statements === 'object' ? [statements] : undefined
  if (!all || all.some((s) => !s || typeof s !== 'object')) throw new Error('The policy needs a Statement: an object or a list of objects.')
  return (all as Record<string, unknown>[]).map((s, i) => ({
    sid: typeof s.Sid === 'string' ? s.Sid : `#${i + 1}`,
    effect: list(s.Effect),
    principal: s.NotPrincipal !== undefined ? `everyone except ${list(s.NotPrincipal)}` : list(s.Principal),
    actions: s.NotAction !== undefined ? `all except ${list(s.NotAction)}` : list(s.Action),
    conditions: s.Condition === undefined ? '' : JSON.stringify(s.Condition),
  }))
}

/** Local checks before the server's own: JSON syntax, then the statement shape. Returns problems, empty when none. */
export function policyProblems(text: string): string[] {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (e) {
    return [`Not valid JSON: ${e instanceof Error ? e.message : String(e)}`]
  }
  const problems: string[] = []
  try {
    for (const row of statementRows(doc)) {
      if (row.effect !== 'Allow' && row.effect !== 'Deny') problems.push(`Statement ${row.sid}: Effect must be Allow or Deny.`)
      if (!row.actions) problems.push(`Statement ${row.sid}: needs Action or NotAction.`)
      if (!row.principal) problems.push(`Statement ${row.sid}: a key policy statement needs Principal or NotPrincipal.`)
    }
  } catch (e) {
    problems.push(e instanceof Error ? e.message : String(e))
  }
  return problems
}

export interface AccessProbe {
  action: string
  /** 'allowed' (DryRunOperationException), 'denied' (AccessDeniedException), or 'other' with the API's error. */
  outcome: 'allowed' | 'denied' | 'other'
  detail: string
}

const ONE_BYTE = 'AA=='

function probesFor(m: KeyMetadata, accountId: string | undefined): [string, Record<string, unknown>][] {
  const k = { KeyId: m.KeyId, DryRun: true }
  const probes: [string, Record<string, unknown>][] = []
  if (m.KeyUsage === 'ENCRYPT_DECRYPT') {
    probes.push(['Encrypt', { ...k, Plaintext: ONE_BYTE, EncryptionAlgorithm: m.EncryptionAlgorithms?.[0] ?? 'SYMMETRIC_DEFAULT' }])
    if (m.KeySpec === 'SYMMETRIC_DEFAULT') probes.push(['GenerateDataKey', { ...k, KeySpec: 'AES_256' }], ['GenerateDataKeyWithoutPlaintext', { ...k, KeySpec: 'AES_256' }])
  }
  if (m.KeyUsage === 'SIGN_VERIFY') {
    const alg = m.SigningAlgorithms?.[0]
    probes.push(['Sign', { ...k, Message: ONE_BYTE, MessageType: 'RAW', SigningAlgorithm: alg }], ['Verify', { ...k, Message: ONE_BYTE, MessageType: 'RAW', SigningAlgorithm: alg, Signature: ONE_BYTE }])
  }
  if (m.KeyUsage === 'GENERATE_VERIFY_MAC') {
    const alg = m.MacAlgorithms?.[0]
    probes.push(['GenerateMac', { ...k, Message: ONE_BYTE, MacAlgorithm: alg }], ['VerifyMac', { ...k, Message: ONE_BYTE, MacAlgorithm: alg, Mac: ONE_BYTE }])
  }
  if (accountId) probes.push(['CreateGrant', { ...k, GranteePrincipal: `arn:aws:iam::${accountId}:root`, Operations: ['DescribeKey'] }])
  return probes
}

/** Sends each DryRun probe for `m` and reports what the server decided. Each probe is a real, audited request. */
export async function probeAccess(m: KeyMetadata, accountId: string | undefined): Promise<AccessProbe[]> {
  return Promise.all(probesFor(m, accountId).map(async ([action, input]): Promise<AccessProbe> => {
    try {
      await kms(action, input)
      return { action, outcome: 'other', detail: 'succeeded without DryRun being honoured' }
    } catch (e) {
      if (!(e instanceof ApiError)) throw e
      if (e.type === 'DryRunOperationException') return { action, outcome: 'allowed', detail: e.apiMessage ?? '' }
      if (e.type === 'AccessDeniedException') return { action, outcome: 'denied', detail: e.apiMessage ?? '' }
      return { action, outcome: 'other', detail: e.message }
    }
  }))
}
