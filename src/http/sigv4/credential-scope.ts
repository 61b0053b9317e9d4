// The credential scope "AKID/yyyyMMdd/region/service/aws4_request": parsed, then checked against the server.
import { incompleteSignature, invalidSignature } from './errors.js'

export interface CredentialScope {
  accessKeyId: string
  date: string
  region: string
  service: string
  terminator: string
}

/** The five parts of the Credential value. Throws IncompleteSignatureException unless there are exactly five. */
export function parseCredential(credential: string): CredentialScope {
  const parts = credential.split('/')
  const [accessKeyId, date, region, service, terminator] = parts
  if (parts.length !== 5 || !accessKeyId || !date || !region || !service || !terminator) {
    throw incompleteSignature(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    )
  }
  return { accessKeyId, date, region, service, terminator }
}

/** date/region/service/terminator, as it appears in the string to sign. */
export function scopeString(scope: CredentialScope): string {
  return [scope.date, scope.region, scope.service, scope.terminator].join('/')
}

export interface ScopeExpectations {
  regions: ReadonlySet<string>
  services: readonly string[]
  /** The request's yyyyMMddTHHmmssZ signing time. */
  amzDate: string
}

/** Throws InvalidSignatureException when the scope's terminator, region, service or date is not the expected one. */
export function checkScope(scope: CredentialScope, expected: ScopeExpectations): void {
  if (scope.terminator !== 'aws4_request') {
    throw invalidSignature(`Credential should be scoped with a valid terminator: 'aws4_request', not '${scope.terminator}'. `)
  }
  if (!expected.regions.has(scope.region)) {
    throw invalidSignature('Credential should be scoped to a valid region. ')
  }
  if (!expected.services.includes(scope.service)) {
    throw invalidSignature(`Credential should be scoped to correct service: '${expected.services[0] ?? ''}'. `)
  }
  const requestDay = expected.amzDate.slice(0, 8)
  if (scope.date !== requestDay) {
    throw invalidSignature(
      'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ' +
        `'${scope.date}' != '${requestDay}', from '${expected.amzDate}'.`,
    )
  }
}
