// The one behavioural test suite every Store driver runs (SQLite now, PostgreSQL later), so the
// drivers cannot drift apart. Each test opens a fresh, empty store and closes it afterwards.
import { describe } from 'node:test'
import type { Store } from './store.js'
import { describeAliasListing, describeAliases } from './contract/aliases.js'
import { describeAudit } from './contract/audit.js'
import { describeAuditChain } from './contract/audit-chain.js'
import { describeAuditCrossAccount } from './contract/audit-cross-account.js'
import { describeChanges } from './contract/changes.js'
import { describeCustody } from './contract/custody.js'
import { describeGrants } from './contract/grants.js'
import { describeImportedMaterial } from './contract/imported-material.js'
import { describeKeyLifecycle } from './contract/lifecycle.js'
import { describeKeyListing, describeKeys } from './contract/keys.js'
import { describeKeyUsage } from './contract/key-usage.js'
import { describeLeases } from './contract/leases.js'
import { describeMultiRegion } from './contract/multi-region.js'
import { describePeerOutbox } from './contract/peer-outbox.js'
import { describePeerSync } from './contract/peer-sync.js'
import { describePrincipals } from './contract/principals.js'
import { describeRotation } from './contract/rotation.js'
import { describeSettingsAndAccounts } from './contract/settings-accounts.js'
import { describeTags } from './contract/tags.js'

/** Registers the contract suite under `name`; `open` must return a new empty store on every call. */
export function runStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`${name} store contract`, () => {
    describeSettingsAndAccounts(open)
    describeKeys(open)
    describeKeyListing(open)
    describeKeyLifecycle(open)
    describeImportedMaterial(open)
    describeRotation(open)
    describeMultiRegion(open)
    describePeerOutbox(open)
    describePeerSync(open)
    describeAliases(open)
    describeAliasListing(open)
    describeTags(open)
    describeAudit(open)
    describeAuditChain(open)
    describeAuditCrossAccount(open)
    describePrincipals(open)
    describeGrants(open)
    describeChanges(open)
    describeLeases(open)
    describeKeyUsage(open)
    describeCustody(open)
  })
}
