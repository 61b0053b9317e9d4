// SigV4 authentication of a peer deployment's call: the same verification as every service on the port
// (http/sigv4/verify.ts), but the credential is a peer LINK's (Config.peers), never a store access key, and the
// signing service is `trent-peer`. The scope's Region must be one this deployment serves; the caller is the
// peer that the link's Region names. An ordinary access key is unknown here, so it meets the error AWS gives an
// unknown key (UnrecognizedClientException); a link credential is unknown to the KMS and CloudTrail services
// for the same reason (they look keys up in the store only).
import type { PeerLink } from '../config/peer-config.js'
import type { RawRequest } from '../http/dispatch.js'
import type { Services } from '../http/services.js'
import { unrecognizedClient } from '../http/sigv4/errors.js'
import { verifySigV4 } from '../http/sigv4/verify.js'
import { PEER_SIGNING_SERVICE } from './wire.js'

export interface AuthenticatedPeer {
  link: PeerLink
  /** The Region this deployment serves that the call was signed for (the receiving Region). */
  region: string
}

export async function authenticatePeer(services: Pick<Services, 'peers' | 'regions' | 'clock' | 'allowUnsignedTarget'>, req: RawRequest): Promise<AuthenticatedPeer> {
  const verified = await verifySigV4(
    { method: req.method, url: req.url, headers: req.headers, body: req.body },
    {
      regions: services.regions,
      services: [PEER_SIGNING_SERVICE],
      now: services.clock.now(),
      // The access key id is not secret; the secret is used only inside the verifier's HMAC and compared there
      // in constant time (sigv4/signature.ts isSameSignature).
      lookup: async (id) => {
        const link = services.peers.find((p) => p.accessKeyId === id)
        return link && { link, secretAccessKey: link.secretAccessKey }
      },
      allowUnsignedTarget: services.allowUnsignedTarget,
    },
  )
  // A link credential is long-term: a session token with it is not one Trent issued for it.
  if (verified.sessionToken !== undefined) throw unrecognizedClient()
  return { link: verified.credential.link, region: verified.region }
}
