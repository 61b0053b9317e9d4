// The only list of operations Trent serves. An operation in the model but not here is answered
// with UnsupportedOperationException by the pipeline.
import type { OperationName } from '../wire/types.generated.js'
import { cancelKeyDeletion } from './cancel-key-deletion.js'
import { createAlias } from './create-alias.js'
import { createGrant } from './create-grant.js'
import { createKey } from './create-key.js'
import { decrypt } from './decrypt.js'
import { deleteAlias } from './delete-alias.js'
import { deleteImportedKeyMaterial } from './delete-imported-key-material.js'
import { deriveSharedSecret } from './derive-shared-secret.js'
import { describeKey } from './describe-key.js'
import { disableKey } from './disable-key.js'
import { disableKeyRotation } from './disable-key-rotation.js'
import { enableKey } from './enable-key.js'
import { enableKeyRotation } from './enable-key-rotation.js'
import { encrypt } from './encrypt.js'
import { generateDataKeyOp } from './generate-data-key.js'
import { generateDataKeyPairOp } from './generate-data-key-pair.js'
import { generateDataKeyPairWithoutPlaintext } from './generate-data-key-pair-without-plaintext.js'
import { generateDataKeyWithoutPlaintext } from './generate-data-key-without-plaintext.js'
import { generateMac } from './generate-mac.js'
import { generateRandom } from './generate-random.js'
import { getKeyLastUsage } from './get-key-last-usage.js'
import { getKeyPolicy } from './get-key-policy.js'
import { getParametersForImport } from './get-parameters-for-import.js'
import { getKeyRotationStatus } from './get-key-rotation-status.js'
import { getPublicKey } from './get-public-key.js'
import { importKeyMaterial } from './import-key-material.js'
import { listAliases } from './list-aliases.js'
import { listGrants } from './list-grants.js'
import { listKeyPolicies } from './list-key-policies.js'
import { listKeyRotations } from './list-key-rotations.js'
import { listKeys } from './list-keys.js'
import { listResourceTags } from './list-resource-tags.js'
import { listRetirableGrants } from './list-retirable-grants.js'
import type { Operation } from './operation.js'
import { putKeyPolicy } from './put-key-policy.js'
import { reEncrypt } from './re-encrypt.js'
import { retireGrant } from './retire-grant.js'
import { rotateKeyOnDemand } from './rotate-key-on-demand.js'
import { revokeGrant } from './revoke-grant.js'
import { scheduleKeyDeletion } from './schedule-key-deletion.js'
import { sign } from './sign.js'
import { tagResource } from './tag-resource.js'
import { untagResource } from './untag-resource.js'
import { updateAlias } from './update-alias.js'
import { updateKeyDescription } from './update-key-description.js'
import { verify } from './verify.js'
import { verifyMac } from './verify-mac.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOperation = Operation<any>
export type Registry = ReadonlyMap<OperationName, AnyOperation>

const operations: AnyOperation[] = [
  cancelKeyDeletion, createAlias, createKey, decrypt, deleteAlias, deriveSharedSecret, describeKey, disableKey, enableKey, encrypt,
  generateDataKeyOp, generateDataKeyPairOp, generateDataKeyPairWithoutPlaintext, generateDataKeyWithoutPlaintext, generateMac,
  generateRandom, getKeyLastUsage, getKeyPolicy, getPublicKey, listAliases, listKeyPolicies, listKeys, listResourceTags, putKeyPolicy, reEncrypt,
  scheduleKeyDeletion, sign, tagResource, untagResource, updateAlias, updateKeyDescription, verify, verifyMac,
  createGrant, listGrants, listRetirableGrants, retireGrant, revokeGrant,
  getParametersForImport, importKeyMaterial, deleteImportedKeyMaterial,
  enableKeyRotation, disableKeyRotation, getKeyRotationStatus, rotateKeyOnDemand, listKeyRotations,
]

export const registry: Registry = new Map(operations.map((op) => [op.name as OperationName, op]))
