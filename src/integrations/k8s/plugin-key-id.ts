// The KMS v2 key_id Trent's plugin reports: the key's ARN and its current key material id, so it changes
// exactly when the key rotates (kube-apiserver then makes a new DEK) or the configured alias moves to another key.

const SEPARATOR = '#material='

/** `<key ARN>#material=<CurrentKeyMaterialId>`; just the ARN if the server reports no material id. */
export function pluginKeyId(keyArn: string, currentMaterialId: string | undefined): string {
  return currentMaterialId ? `${keyArn}${SEPARATOR}${currentMaterialId}` : keyArn
}

/** The key ARN a key_id of ours names, or undefined for a key_id in any other form. */
export function keyArnOf(keyId: string): string | undefined {
  const arn = keyId.split(SEPARATOR, 1)[0]!
  return /^arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(arn) ? arn : undefined
}
