// How the envelope code reaches KMS: the AWS SDK's own configuration (default credential chain, region from
// AWS_REGION or the profile) with the endpoint from an explicit URL or the SDK's endpoint variables.
import { KMS } from '@aws-sdk/client-kms'
import { cacheClients, getClient } from '@aws-crypto/client-node'

type ClientConfig = NonNullable<ConstructorParameters<typeof KMS>[0]>

export interface KmsConnection {
  /** The KMS endpoint (e.g. `http://127.0.0.1:8080`); defaults to AWS_ENDPOINT_URL_KMS, then AWS_ENDPOINT_URL, then the SDK's own. */
  endpoint?: string
  /** Defaults to the SDK's region chain (AWS_REGION, the profile's region). Keys named by ARN use the ARN's region. */
  region?: string
  /** Defaults to the SDK's default credential provider chain (environment, AWS_PROFILE, SSO, …). */
  credentials?: ClientConfig['credentials']
  /** Attempts per KMS call, retries included (the SDK's default is 3). */
  maxAttempts?: number
}

/** The endpoint KMS calls go to: the explicit one, else the SDK's service-specific then global variable. */
export function kmsEndpoint(explicit: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const endpoint = explicit ?? nonEmpty(env.AWS_ENDPOINT_URL_KMS) ?? nonEmpty(env.AWS_ENDPOINT_URL)
  if (endpoint !== undefined && !URL.canParse(endpoint)) throw new TypeError(`the KMS endpoint is not a URL: ${endpoint}`)
  return endpoint
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}

/** The client supplier the ESDK keyrings call with a key's region; one client per region, reused. */
export function kmsClientSupplier(connection: KmsConnection, env: NodeJS.ProcessEnv = process.env) {
  const config: ClientConfig = {}
  const endpoint = kmsEndpoint(connection.endpoint, env)
  if (endpoint !== undefined) config.endpoint = endpoint
  if (connection.region !== undefined) config.region = connection.region
  if (connection.credentials !== undefined) config.credentials = connection.credentials
  if (connection.maxAttempts !== undefined) config.maxAttempts = connection.maxAttempts
  return cacheClients(getClient(KMS, config))
}
