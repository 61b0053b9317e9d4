// Builds the evaluator's request from what the pipeline knows: the caller, the key, the operation's
// condition facts and the request's own facts. Key-derived keys (KeySpec, tags, aliases …) come from the
// key; global keys (aws:PrincipalArn, aws:SourceIp …) from the principal and the request. Names built from
// request data (context keys, tag keys) are folded with addFoldedValue, so two names that differ only in
// case both stay visible to the evaluator instead of the last one silently winning.
import { keyArn, type KeyRecord, type Tag } from '../keys/key.js'
import type { AuthorizationContext } from '../operations/operation.js'
import { addFoldedValue, type CallerFacts, type ContextValue, type PolicyRequest } from '../policy/request.js'
import type { RequestFacts } from './authorizer.js'
import type { Principal } from './principal.js'
import { isReplica } from '../keys/regional-key.js'

export interface LoadedFacts {
  keyTags?: readonly Tag[]
  keyAliases?: readonly string[]
  principalTags?: readonly Tag[]
}

const PRINCIPAL_TYPES: Record<Principal['type'], string> = { Root: 'Account', IAMUser: 'User', AssumedRole: 'AssumedRole' }

export function callerOf(principal: Principal): CallerFacts {
  const caller: CallerFacts = { arn: principal.arn, accountId: principal.accountId, isAccountRoot: principal.type === 'Root' }
  if (principal.roleArn !== undefined) caller.roleArn = principal.roleArn
  // A session's principalId is `<roleId>:<sessionName>`; stored policies bind role ARNs to the role's id.
  if (principal.type === 'IAMUser') caller.uniqueId = principal.principalId
  else if (principal.type === 'AssumedRole') caller.uniqueId = principal.principalId.split(':', 1)[0]!
  return caller
}

/** Renders an operation's condition value as policy text: booleans and numbers become strings, as in AWS. */
function asContextValue(value: unknown): ContextValue | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'boolean' || typeof value === 'number') return String(value)
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map((v) => String(v))
  return undefined
}

function setGlobals(map: Map<string, ContextValue>, principal: Principal, facts: RequestFacts): void {
  const now = facts.now ?? new Date()
  map.set('aws:principalarn', principal.roleArn ?? principal.arn)
  map.set('aws:principalaccount', principal.accountId)
  map.set('aws:principaltype', PRINCIPAL_TYPES[principal.type])
  map.set('aws:userid', principal.principalId)
  if (principal.type === 'IAMUser' && principal.userName !== undefined) map.set('aws:username', principal.userName)
  map.set('kms:calleraccount', principal.accountId)
  map.set('aws:currenttime', now.toISOString().replace(/\.\d{3}Z$/, 'Z'))
  map.set('aws:epochtime', String(Math.floor(now.getTime() / 1000)))
  map.set('aws:securetransport', String(facts.secureTransport ?? false))
  if (facts.sourceIp) map.set('aws:sourceip', facts.sourceIp)
  if (facts.region) map.set('aws:requestedregion', facts.region)
}

function setKeyFacts(map: Map<string, ContextValue>, key: KeyRecord, loaded: LoadedFacts): void {
  map.set('kms:keyspec', key.keySpec)
  map.set('kms:customermasterkeyspec', key.keySpec)
  map.set('kms:keyusage', key.keyUsage)
  map.set('kms:customermasterkeyusage', key.keyUsage)
  map.set('kms:keyorigin', key.origin)
  map.set('kms:multiregion', String(key.multiRegion))
  if (key.multiRegion) map.set('kms:multiregionkeytype', isReplica(key) ? 'REPLICA' : 'PRIMARY')
  for (const t of loaded.keyTags ?? []) addFoldedValue(map, `aws:resourcetag/${t.tagKey.toLowerCase()}`, t.tagValue)
  if (loaded.keyAliases) map.set('kms:resourcealiases', loaded.keyAliases)
}

function setRequestConditions(map: Map<string, ContextValue>, conditions: AuthorizationContext): void {
  for (const [name, value] of Object.entries(conditions)) {
    if (!name.includes(':')) continue
    const rendered = asContextValue(value)
    if (rendered !== undefined) map.set(name.toLowerCase(), rendered)
  }
  const context = conditions.encryptionContext
  if (context && Object.keys(context).length > 0) {
    for (const [k, v] of Object.entries(context)) addFoldedValue(map, `kms:encryptioncontext:${k.toLowerCase()}`, v)
    map.set('kms:encryptioncontextkeys', Object.keys(context))
  }
  setRequestTags(map, conditions)
}

/**
 * aws:RequestTag/<key> and aws:TagKeys for the tags a request adds (CreateKey, TagResource) or removes
 * (UntagResource: keys only). Tag keys are case-sensitive in KMS but condition key names are not, so
 * `Project` and `project` in one request both reach aws:RequestTag/project, which becomes ambiguous and
 * fails closed; aws:TagKeys keeps every key as written.
 */
function setRequestTags(map: Map<string, ContextValue>, conditions: AuthorizationContext): void {
  const tags = conditions.requestTags
  if (tags && tags.length > 0) {
    for (const t of tags) addFoldedValue(map, `aws:requesttag/${t.tagKey.toLowerCase()}`, t.tagValue)
    map.set('aws:tagkeys', tags.map((t) => t.tagKey))
  }
  const removed = conditions.requestTagKeys
  if (removed && removed.length > 0) map.set('aws:tagkeys', [...removed])
}

/** The evaluator's view of one authorization question. */
export function buildPolicyRequest(
  principal: Principal, key: KeyRecord | null, action: string, conditions: AuthorizationContext, facts: RequestFacts, loaded: LoadedFacts,
): PolicyRequest {
  // Most decisions read no condition key at all (the default key policy has none), so the context is
  // built on the first lookup rather than for every request.
  let context: Map<string, ContextValue> | undefined
  const build = (): Map<string, ContextValue> => {
    const map = new Map<string, ContextValue>()
    setGlobals(map, principal, facts)
    for (const t of loaded.principalTags ?? []) addFoldedValue(map, `aws:principaltag/${t.tagKey.toLowerCase()}`, t.tagValue)
    if (key) setKeyFacts(map, key, loaded)
    setRequestConditions(map, conditions)
    return map
  }
  return { caller: callerOf(principal), action, resource: resourceOf(key, conditions), context: { get: (name) => (context ??= build()).get(name) } }
}

/** The resource a decision is about: the key ARN, the alias ARN of an alias-side check, or `*`. */
export function resourceOf(key: KeyRecord | null, conditions: AuthorizationContext): string {
  if (key) return keyArn(key)
  return typeof conditions.resourceArn === 'string' ? conditions.resourceArn : '*'
}
