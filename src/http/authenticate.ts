// SigV4 authentication of one request for a signing service ('kms', or 'cloudtrail' for LookupEvents).
import { requireValidSessionToken } from '../auth/credentials.js'
import type { Principal } from '../auth/principal.js'
import type { RawRequest } from './dispatch.js'
import type { Services } from './services.js'
import { verifySigV4 } from './sigv4/verify.js'

export interface Authenticated {
  principal: Principal
  /** The region the request was signed for: the namespace of keys it works in. */
  region: string
}

/** Returns the caller's principal and region. Throws the AWS authentication exception (ExpiredTokenException included) as a KmsError. */
export async function authenticate(services: Services, req: RawRequest, signingService: 'kms' | 'cloudtrail' = 'kms'): Promise<Authenticated> {
  const verified = await verifySigV4(
    { method: req.method, url: req.url, headers: req.headers, body: req.body },
    {
      regions: services.regions,
      services: [signingService],
      now: services.clock.now(),
      lookup: (id, scope) => services.credentials.lookup(id, scope),
      allowUnsignedTarget: services.allowUnsignedTarget,
    },
  )
  // Role-session keys need their own unexpired token; long-term keys must not present one.
  requireValidSessionToken(verified.credential, verified.sessionToken, services.clock.now())
  return { principal: verified.credential.principal, region: verified.region }
}
