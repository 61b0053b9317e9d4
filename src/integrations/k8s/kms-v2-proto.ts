// Loads the KMS v2 plugin API from proto/k8s-kms-v2.proto (shipped beside dist/, not compiled into it):
// the same definition serves the plugin and the tests' client.
import { fileURLToPath } from 'node:url'
import { loadPackageDefinition, type GrpcObject, type ServiceClientConstructor } from '@grpc/grpc-js'
import { loadSync } from '@grpc/proto-loader'

/** From dist/src/integrations/k8s/ back to the package root. */
export const KMS_V2_PROTO_PATH = fileURLToPath(new URL('../../../../proto/k8s-kms-v2.proto', import.meta.url))

/** The fully qualified service name kube-apiserver calls. */
export const KMS_V2_SERVICE = 'v2.KeyManagementService'

/** The service constructor (its `.service` is the definition a server adds; `new` gives a client). */
export function loadKmsV2Service(): ServiceClientConstructor {
  // keepCase: the wire names (key_id) stay as they are; bytes arrive as Buffers.
  const definition = loadSync(KMS_V2_PROTO_PATH, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true })
  const v2 = loadPackageDefinition(definition).v2 as GrpcObject
  return v2.KeyManagementService as ServiceClientConstructor
}

export interface StatusResponse { version: string; healthz: string; key_id: string }
export interface EncryptRequest { plaintext: Buffer; uid: string }
export interface EncryptResponse { ciphertext: Buffer; key_id: string; annotations: Record<string, Buffer> }
export interface DecryptRequest { ciphertext: Buffer; uid: string; key_id: string; annotations: Record<string, Buffer> }
export interface DecryptResponse { plaintext: Buffer }
