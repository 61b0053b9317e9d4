// The KMS v2 key_id Trent's plugin reports: the key's ARN and its current key material id, so it changes
// exactly when the key rotates (kube-apiserver then makes a new DEK) or the configured alias moves to another key.

const SEPARATOR = '#material='

/** `<key ARN>#material=<CurrentKeyMaterialId>`; just the ARN if the server reports no material id. */
export function pluginKeyId(keyArn: string, currentMaterialId: string | undefined): string {
  return currentMaterialId ? `${keyArn}${SEPARATOR}${currentMaterialId}` : keyArn
}
