// `trent identity-policy put|get|delete|list`: inline identity policies on users and roles. `put` attaches
// a new policy or replaces the one of the same name; the document is checked against the policy grammar.
import { readFileSync } from 'node:fs'
import { AdminError, putIdentityPolicy } from '../../auth/principal-admin.js'
import { optional, parseOptions, printJson, required, UsageError, verbWithSubcommands } from '../admin-args.js'
import { IDENTITY_OPTIONS, withIdentity } from './identity-target.js'

const USAGE = `usage:
  trent identity-policy put    --data-dir D [--account A] (--user U | --role R) --name P (--document JSON | --document-file F)
  trent identity-policy get    --data-dir D [--account A] (--user U | --role R) --name P
  trent identity-policy delete --data-dir D [--account A] (--user U | --role R) --name P
  trent identity-policy list   --data-dir D [--account A] (--user U | --role R)
`

const TARGET = { ...IDENTITY_OPTIONS, name: { type: 'string' } } as const

function documentOf(values: Record<string, unknown>): string {
  const inline = optional(values, 'document')
  const file = optional(values, 'document-file')
  if ((inline === undefined) === (file === undefined)) throw new UsageError('give exactly one of --document or --document-file')
  return inline ?? readFileSync(file!, 'utf8')
}

export const identityPolicyCommand = verbWithSubcommands('identity-policy', 'attach, replace, show, delete or list inline identity policies', USAGE, {
  async put(args, io) {
    const { values, dataDir } = parseOptions(args, { ...TARGET, document: { type: 'string' }, 'document-file': { type: 'string' } }, io.env)
    const document = documentOf(values)
    const name = required(values, 'name')
    await withIdentity(values, dataDir, io, (dd, identity) => putIdentityPolicy(dd.store, identity.arn, name, document, new Date()))
    return 0
  },
  async get(args, io) {
    const { values, dataDir } = parseOptions(args, TARGET, io.env)
    const name = required(values, 'name')
    const policies = await withIdentity(values, dataDir, io, (dd, identity) => dd.store.listIdentityPolicies(identity.arn))
    const policy = policies.find((p) => p.policyName === name)
    if (!policy) throw new AdminError(`no identity policy named ${name}`)
    io.out.write(`${policy.document}\n`)
    return 0
  },
  async delete(args, io) {
    const { values, dataDir } = parseOptions(args, TARGET, io.env)
    const name = required(values, 'name')
    const deleted = await withIdentity(values, dataDir, io, (dd, identity) => dd.store.deleteIdentityPolicy(identity.arn, name))
    if (!deleted) throw new AdminError(`no identity policy named ${name}`)
    return 0
  },
  async list(args, io) {
    const { values, dataDir } = parseOptions(args, TARGET, io.env)
    const policies = await withIdentity(values, dataDir, io, (dd, identity) => dd.store.listIdentityPolicies(identity.arn))
    printJson(io, { PolicyNames: policies.map((p) => p.policyName) })
    return 0
  },
})
