// `trent policy simulate`: answers offline whether a principal may perform an action on a key (with a
// given encryption context, source IP or other condition facts), and why — the statement, policy or
// grant that decided it. Exit code 0 when allowed, 3 when denied.
import { evaluateAccess } from '../../auth/access-evaluation.js'
import { accessDenied } from '../../auth/authorizer.js'
import { AdminError } from '../../auth/principal-admin.js'
import { resourceOf } from '../../auth/policy-request.js'
import { simulatedPrincipal } from '../../auth/simulated-principal.js'
import type { KeyRecord } from '../../keys/key.js'
import { resolveKey } from '../../keys/resolve.js'
import type { AuthorizationContext } from '../../operations/operation.js'
import { sharedPolicyCache } from '../../policy/policy-cache.js'
import { denialTail, renderVerdict } from '../../policy/reason.js'
import { KmsError } from '../../wire/kms-error.js'
import { keyValues, optional, parseOptions, printJson, required, UsageError, verbWithSubcommands } from '../admin-args.js'
import { withDataDir, type OpenDataDir } from '../data-dir.js'

const USAGE = `usage:
  trent policy simulate --data-dir D --principal ARN --action kms:Decrypt [--key KEY_ID|KEY_ARN]
                        [--context k=v ...] [--condition kms:Key=value ...] [--source-ip IP] [--region R]
`

const OPTIONS = {
  principal: { type: 'string' }, action: { type: 'string' }, key: { type: 'string' }, region: { type: 'string' },
  context: { type: 'string', multiple: true }, condition: { type: 'string', multiple: true }, 'source-ip': { type: 'string' },
} as const

async function keyOf(dd: OpenDataDir, accountId: string, keyParam: string | undefined): Promise<KeyRecord | null> {
  if (keyParam === undefined) return null
  try {
    return (await resolveKey({ store: dd.store, accountId, region: dd.region }, keyParam, true)).key
  } catch (e) {
    if (e instanceof KmsError) throw new AdminError(e.message)
    throw e
  }
}

export const policyCommand = verbWithSubcommands('policy', 'simulate a policy decision offline', USAGE, {
  async simulate(args, io) {
    const { values, dataDir } = parseOptions(args, OPTIONS, io.env)
    const action = required(values, 'action')
    if (!/^kms:[A-Za-z]+$/.test(action)) throw new UsageError('--action must be a KMS action such as kms:Decrypt')
    const context = keyValues(values.context as string[] | undefined, '--context')
    const conditions: AuthorizationContext = { ...keyValues(values.condition as string[] | undefined, '--condition') }
    if (Object.keys(context).length > 0) conditions.encryptionContext = context
    const result = await withDataDir(dataDir, io.env, async (dd) => {
      const principal = await simulatedPrincipal(dd.store, required(values, 'principal'))
      const key = await keyOf(dd, principal.accountId, optional(values, 'key'))
      const facts = { now: new Date(), region: dd.region, ...(optional(values, 'source-ip') ? { sourceIp: optional(values, 'source-ip') } : {}) }
      const verdict = await evaluateAccess(dd.store, sharedPolicyCache, { principal, key, action, conditions, facts })
      const message = verdict.allowed ? undefined : accessDenied(principal, action, resourceOf(key, conditions), denialTail(verdict.denial, action)).message
      return { verdict, message }
    }, optional(values, 'region'))
    printJson(io, {
      Decision: result.verdict.allowed ? 'ALLOW' : 'DENY', Reason: renderVerdict(result.verdict),
      ...(result.message ? { AccessDeniedMessage: result.message } : {}),
    })
    return result.verdict.allowed ? 0 : 3
  },
})
