// Table-driven cases for every condition operator, its IfExists form and the ForAnyValue / ForAllValues
// qualifiers, with AWS's rules for missing keys, negation, case and policy variables.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { failingClause } from './conditions.js'
import { parsePolicy } from './parse.js'
import { contextOf, type ContextValue } from './request.js'

type Case = [description: string, condition: Record<string, Record<string, unknown>>, context: Record<string, ContextValue>, holds: boolean]

function holds(condition: Case[1], context: Case[2]): boolean {
  const doc = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*', Condition: condition } }), 'identity')
  return failingClause(doc.statements[0]!.conditions, contextOf(context), doc.allowsVariables) === undefined
}

const EC_APP = 'kms:EncryptionContext:AppName'
const ctx = (entries: Record<string, ContextValue>) => entries

const cases: Case[] = [
  // String operators
  ['StringEquals matches the exact value', { StringEquals: { [EC_APP]: 'ExampleApp' } }, ctx({ [EC_APP]: 'ExampleApp' }), true],
  ['StringEquals is case-sensitive in the value', { StringEquals: { [EC_APP]: 'ExampleApp' } }, ctx({ [EC_APP]: 'exampleapp' }), false],
  ['StringEquals fails when the key is absent', { StringEquals: { [EC_APP]: 'ExampleApp' } }, ctx({}), false],
  ['StringEquals with several values is an OR', { StringEquals: { 'kms:EncryptionContext:Stage': ['Restricted', 'Production'] } }, ctx({ 'kms:EncryptionContext:Stage': 'Production' }), true],
  ['StringEquals with several keys is an AND (one fails)', { StringEquals: { 'kms:EncryptionContext:Department': 'IT', 'kms:EncryptionContext:Project': 'Alpha' } }, ctx({ 'kms:EncryptionContext:Department': 'IT' }), false],
  ['StringEquals with several keys is an AND (both hold)', { StringEquals: { 'kms:EncryptionContext:Department': 'IT', 'kms:EncryptionContext:Project': 'Alpha' } }, ctx({ 'kms:EncryptionContext:Department': 'IT', 'kms:EncryptionContext:Project': 'Alpha' }), true],
  ['condition key names are case-insensitive', { StringEquals: { 'KMS:encryptioncontext:APPNAME': 'ExampleApp' } }, ctx({ [EC_APP]: 'ExampleApp' }), true],
  ['StringNotEquals holds for a different value', { StringNotEquals: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } }, ctx({ 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_256' }), true],
  ['StringNotEquals fails for the listed value', { StringNotEquals: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } }, ctx({ 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' }), false],
  ['StringNotEquals with several values means none of them', { StringNotEquals: { 'aws:PrincipalTag/role': ['audit', 'security'] } }, ctx({ 'aws:PrincipalTag/role': 'security' }), false],
  ['StringNotEquals holds when the key is absent', { StringNotEquals: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } }, ctx({}), true],
  ['StringEqualsIgnoreCase ignores case', { StringEqualsIgnoreCase: { [EC_APP]: 'EXAMPLEAPP' } }, ctx({ [EC_APP]: 'exampleApp' }), true],
  ['StringEqualsIgnoreCase still compares the text', { StringEqualsIgnoreCase: { [EC_APP]: 'ExampleApp' } }, ctx({ [EC_APP]: 'OtherApp' }), false],
  ['StringNotEqualsIgnoreCase fails for a case variant', { StringNotEqualsIgnoreCase: { [EC_APP]: 'exampleapp' } }, ctx({ [EC_APP]: 'ExampleApp' }), false],
  ['StringNotEqualsIgnoreCase holds for another value', { StringNotEqualsIgnoreCase: { [EC_APP]: 'exampleapp' } }, ctx({ [EC_APP]: 'Other' }), true],
  ['StringLike matches a * wildcard', { StringLike: { 'kms:DataKeyPairSpec': 'RSA*' } }, ctx({ 'kms:DataKeyPairSpec': 'RSA_4096' }), true],
  ['StringLike rejects a non-matching value', { StringLike: { 'kms:DataKeyPairSpec': 'RSA*' } }, ctx({ 'kms:DataKeyPairSpec': 'ECC_NIST_P256' }), false],
  ['StringLike ? matches exactly one character', { StringLike: { 'kms:RequestAlias': 'alias/app-?' } }, ctx({ 'kms:RequestAlias': 'alias/app-1' }), true],
  ['StringLike ? does not match two characters', { StringLike: { 'kms:RequestAlias': 'alias/app-?' } }, ctx({ 'kms:RequestAlias': 'alias/app-12' }), false],
  ['StringLike is case-sensitive', { StringLike: { 'kms:SigningAlgorithm': 'RSASSA_PSS*' } }, ctx({ 'kms:SigningAlgorithm': 'rsassa_pss_sha_256' }), false],
  ['StringLike treats regex characters literally', { StringLike: { 'kms:RequestAlias': 'alias/a.b' } }, ctx({ 'kms:RequestAlias': 'alias/aXb' }), false],
  ['StringNotLike holds when nothing matches', { StringNotLike: { 'kms:RequestAlias': 'alias/*test*' } }, ctx({ 'kms:RequestAlias': 'alias/prod' }), true],
  ['StringNotLike fails when a pattern matches', { StringNotLike: { 'kms:RequestAlias': 'alias/*test*' } }, ctx({ 'kms:RequestAlias': 'alias/my-test-key' }), false],
  ['StringNotLike holds when the key is absent', { StringNotLike: { 'kms:RequestAlias': 'alias/*' } }, ctx({}), true],
  // Numeric operators
  ['NumericEquals compares numbers, not text', { NumericEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': '30' } }, ctx({ 'kms:ScheduleKeyDeletionPendingWindowInDays': '30.0' }), true],
  ['NumericNotEquals holds for another number', { NumericNotEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 30 } }, ctx({ 'kms:ScheduleKeyDeletionPendingWindowInDays': '7' }), true],
  ['NumericNotEquals fails for the number', { NumericNotEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 30 } }, ctx({ 'kms:ScheduleKeyDeletionPendingWindowInDays': '30' }), false],
  ['NumericLessThan holds below', { NumericLessThan: { 'kms:RotationPeriodInDays': 365 } }, ctx({ 'kms:RotationPeriodInDays': '90' }), true],
  ['NumericLessThan fails at the bound', { NumericLessThan: { 'kms:RotationPeriodInDays': 365 } }, ctx({ 'kms:RotationPeriodInDays': '365' }), false],
  ['NumericLessThanEquals holds at the bound', { NumericLessThanEquals: { 'kms:ValidTo': '1546257599.0' } }, ctx({ 'kms:ValidTo': '1546257599' }), true],
  ['NumericLessThanEquals fails above', { NumericLessThanEquals: { 'kms:ValidTo': '1546257599.0' } }, ctx({ 'kms:ValidTo': '1546257600' }), false],
  ['NumericGreaterThan holds above', { NumericGreaterThan: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 14 } }, ctx({ 'kms:ScheduleKeyDeletionPendingWindowInDays': '30' }), true],
  ['NumericGreaterThan fails at the bound', { NumericGreaterThan: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 14 } }, ctx({ 'kms:ScheduleKeyDeletionPendingWindowInDays': '14' }), false],
  ['NumericGreaterThanEquals holds at the bound', { NumericGreaterThanEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 14 } }, ctx({ 'kms:ScheduleKeyDeletionPendingWindowInDays': '14' }), true],
  ['a request value that is not a number never matches', { NumericLessThan: { 'kms:RotationPeriodInDays': 365 } }, ctx({ 'kms:RotationPeriodInDays': 'soon' }), false],
  ['NumericLessThan fails when the key is absent', { NumericLessThan: { 'kms:RotationPeriodInDays': 365 } }, ctx({}), false],
  // Date operators
  ['DateLessThan holds before the date', { DateLessThan: { 'aws:CurrentTime': '2026-12-31T23:59:59Z' } }, ctx({ 'aws:CurrentTime': '2026-06-01T00:00:00Z' }), true],
  ['DateLessThan fails after the date', { DateLessThan: { 'aws:CurrentTime': '2026-12-31T23:59:59Z' } }, ctx({ 'aws:CurrentTime': '2027-01-01T00:00:00Z' }), false],
  ['DateGreaterThan holds after the date', { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }, ctx({ 'aws:CurrentTime': '2026-06-01T00:00:00Z' }), true],
  ['DateGreaterThanEquals holds at the instant', { DateGreaterThanEquals: { 'aws:CurrentTime': '2026-06-01T00:00:00Z' } }, ctx({ 'aws:CurrentTime': '2026-06-01T00:00:00Z' }), true],
  ['DateLessThanEquals holds at the instant', { DateLessThanEquals: { 'aws:CurrentTime': '2026-06-01T00:00:00Z' } }, ctx({ 'aws:CurrentTime': '2026-06-01T00:00:00Z' }), true],
  ['DateEquals compares instants across notations', { DateEquals: { 'aws:CurrentTime': '2026-06-01T02:00:00+02:00' } }, ctx({ 'aws:CurrentTime': '2026-06-01T00:00:00Z' }), true],
  ['DateNotEquals holds for another instant', { DateNotEquals: { 'aws:CurrentTime': '2026-06-01T00:00:00Z' } }, ctx({ 'aws:CurrentTime': '2026-06-02T00:00:00Z' }), true],
  ['dates may be epoch seconds', { DateLessThan: { 'aws:EpochTime': '1800000000' } }, ctx({ 'aws:EpochTime': '1700000000' }), true],
  ['an ISO policy date compares with an epoch request value', { DateGreaterThan: { 'aws:EpochTime': '2020-01-01T00:00:00Z' } }, ctx({ 'aws:EpochTime': '1700000000' }), true],
  // Bool
  ['Bool true matches "true"', { Bool: { 'kms:MultiRegion': true } }, ctx({ 'kms:MultiRegion': 'true' }), true],
  ['Bool false does not match "true"', { Bool: { 'kms:MultiRegion': false } }, ctx({ 'kms:MultiRegion': 'true' }), false],
  ['Bool values are case-insensitive', { Bool: { 'aws:SecureTransport': 'TRUE' } }, ctx({ 'aws:SecureTransport': 'true' }), true],
  ['Bool fails when the key is absent', { Bool: { 'aws:SecureTransport': 'false' } }, ctx({}), false],
  // Binary
  ['BinaryEquals compares base64 text', { BinaryEquals: { 'kms:RecipientAttestation:ImageSha384': 'QUJD' } }, ctx({ 'kms:RecipientAttestation:ImageSha384': 'QUJD' }), true],
  ['BinaryEquals rejects other bytes', { BinaryEquals: { 'kms:RecipientAttestation:ImageSha384': 'QUJD' } }, ctx({ 'kms:RecipientAttestation:ImageSha384': 'REVG' }), false],
  // IP addresses
  ['IpAddress matches inside an IPv4 CIDR', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, ctx({ 'aws:SourceIp': '203.0.113.77' }), true],
  ['IpAddress rejects outside the CIDR', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, ctx({ 'aws:SourceIp': '203.0.114.1' }), false],
  ['IpAddress accepts a bare address as /32', { IpAddress: { 'aws:SourceIp': '127.0.0.1' } }, ctx({ 'aws:SourceIp': '127.0.0.1' }), true],
  ['IpAddress matches an IPv4-mapped IPv6 peer as IPv4', { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } }, ctx({ 'aws:SourceIp': '::ffff:127.0.0.1' }), true],
  ['IpAddress matches inside an IPv6 CIDR', { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, ctx({ 'aws:SourceIp': '2001:db8:1234::5' }), true],
  ['IpAddress matches a link-local peer that carries a zone id', { IpAddress: { 'aws:SourceIp': 'fe80::/10' } }, ctx({ 'aws:SourceIp': 'fe80::1%eth0' }), true],
  ['IpAddress rejects outside an IPv6 CIDR', { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, ctx({ 'aws:SourceIp': '2001:db9::1' }), false],
  ['an IPv4 block never matches an IPv6 address', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, ctx({ 'aws:SourceIp': '2001:db8::1' }), false],
  ['IpAddress with several blocks is an OR', { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.168.0.0/16'] } }, ctx({ 'aws:SourceIp': '192.168.4.2' }), true],
  ['NotIpAddress holds outside every block', { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.168.0.0/16'] } }, ctx({ 'aws:SourceIp': '172.16.0.1' }), true],
  ['NotIpAddress fails inside a block', { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, ctx({ 'aws:SourceIp': '10.1.2.3' }), false],
  ['NotIpAddress holds when the key is absent', { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, ctx({}), true],
  // ARN operators
  ['ArnEquals matches the same ARN', { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/Admin' } }, ctx({ 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/Admin' }), true],
  ['ArnLike matches a wildcard in the resource part', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/*' } }, ctx({ 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/Admin' }), true],
  ['ArnLike matches a wildcard account', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Admin' } }, ctx({ 'aws:PrincipalArn': 'arn:aws:iam::444455556666:role/Admin' }), true],
  ['ArnLike wildcards never span a colon', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:*:role/Admin' } }, ctx({ 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/Admin' }), false],
  ['ArnLike rejects another service', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:sts::*:*' } }, ctx({ 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/Admin' }), false],
  ['ArnLike rejects a value that is not an ARN', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:*' } }, ctx({ 'aws:PrincipalArn': 'not-an-arn' }), false],
  ['ArnNotEquals holds for another ARN', { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/Admin' } }, ctx({ 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/Dev' }), true],
  ['ArnNotLike fails when the pattern matches', { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:*' } }, ctx({ 'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/bob' }), false],
  ['ArnNotLike holds when the key is absent', { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:*' } }, ctx({}), true],
  // Null
  ['Null true holds when the key is absent', { Null: { 'kms:EncryptionContextKeys': true } }, ctx({}), true],
  ['Null true fails when the key is present', { Null: { 'kms:EncryptionContextKeys': 'true' } }, ctx({ 'kms:EncryptionContextKeys': ['AppName'] }), false],
  ['Null false holds when the key is present', { Null: { 'kms:EncryptionContextKeys': false } }, ctx({ 'kms:EncryptionContextKeys': ['AppName'] }), true],
  ['Null false fails when the key is absent', { Null: { 'kms:EncryptionContextKeys': false } }, ctx({}), false],
  ['Null treats an empty multivalued key as absent', { Null: { 'kms:EncryptionContextKeys': true } }, ctx({ 'kms:EncryptionContextKeys': [] }), true],
  ['Null true holds for a BypassPolicyLockoutSafetyCheck that was not sent', { Null: { 'kms:BypassPolicyLockoutSafetyCheck': true } }, ctx({}), true],
  ['Null true fails for a BypassPolicyLockoutSafetyCheck sent as false', { Null: { 'kms:BypassPolicyLockoutSafetyCheck': true } }, ctx({ 'kms:BypassPolicyLockoutSafetyCheck': 'false' }), false],
  // Request tags (aws:RequestTag/<key> single-valued per key, aws:TagKeys multivalued)
  ['aws:RequestTag matches the requested tag value', { StringEquals: { 'aws:RequestTag/project': 'x' } }, ctx({ 'aws:RequestTag/project': 'x' }), true],
  ['aws:RequestTag fails for another value', { StringEquals: { 'aws:RequestTag/project': 'x' } }, ctx({ 'aws:RequestTag/project': 'y' }), false],
  ['aws:RequestTag fails when the request has no such tag', { StringEquals: { 'aws:RequestTag/project': 'x' } }, ctx({ 'aws:RequestTag/owner': 'x' }), false],
  ['aws:RequestTag tag key in the condition is case-insensitive', { StringEquals: { 'aws:RequestTag/PROJECT': 'x' } }, ctx({ 'aws:RequestTag/project': 'x' }), true],
  ['aws:RequestTag with two tag keys differing only in case fails closed', { StringEquals: { 'aws:RequestTag/project': 'x' } }, ctx({ 'aws:RequestTag/project': 'x', 'aws:RequestTag/Project': 'y' }), false],
  ['ForAllValues on aws:TagKeys holds when every key is listed', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['Project', 'Stage'] } }, ctx({ 'aws:TagKeys': ['Project'] }), true],
  ['ForAllValues on aws:TagKeys fails for an unlisted key', { 'ForAllValues:StringEquals': { 'aws:TagKeys': 'Project' } }, ctx({ 'aws:TagKeys': ['Project', 'Owner'] }), false],
  ['ForAllValues on aws:TagKeys compares tag keys case-sensitively', { 'ForAllValues:StringEquals': { 'aws:TagKeys': 'Project' } }, ctx({ 'aws:TagKeys': ['project'] }), false],
  ['ForAnyValue on aws:TagKeys holds when one key is listed', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'Project' } }, ctx({ 'aws:TagKeys': ['Owner', 'Project'] }), true],
  ['Bool on kms:ReEncryptOnSameKey holds for the same key', { Bool: { 'kms:ReEncryptOnSameKey': true } }, ctx({ 'kms:ReEncryptOnSameKey': 'true' }), true],
  ['Bool on kms:ReEncryptOnSameKey fails for another key', { Bool: { 'kms:ReEncryptOnSameKey': true } }, ctx({ 'kms:ReEncryptOnSameKey': 'false' }), false],
  // IfExists
  ['StringEqualsIfExists holds when the key is absent', { StringEqualsIfExists: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } }, ctx({}), true],
  ['StringEqualsIfExists checks a present key', { StringEqualsIfExists: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } }, ctx({ 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_1' }), false],
  ['NumericLessThanIfExists holds when absent', { NumericLessThanIfExists: { 'kms:RotationPeriodInDays': 100 } }, ctx({}), true],
  ['IpAddressIfExists checks a present address', { IpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' } }, ctx({ 'aws:SourceIp': '11.0.0.1' }), false],
  ['ArnLikeIfExists holds when absent', { ArnLikeIfExists: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*' } }, ctx({}), true],
  ['BoolIfExists checks a present key', { BoolIfExists: { 'aws:SecureTransport': 'true' } }, ctx({ 'aws:SecureTransport': 'false' }), false],
  ['DateLessThanIfExists holds when absent', { DateLessThanIfExists: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, ctx({}), true],
  ['StringNotEqualsIfExists fails for the listed present value', { StringNotEqualsIfExists: { 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_1' } }, ctx({ 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_1' }), false],
  // Set qualifiers over multivalued keys
  ['ForAnyValue holds when one request value matches', { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'AppName' } }, ctx({ 'kms:EncryptionContextKeys': ['AppName', 'Project'] }), true],
  ['ForAnyValue fails when none matches', { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'AppName' } }, ctx({ 'kms:EncryptionContextKeys': ['Project'] }), false],
  ['ForAnyValue fails when the key is absent', { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'AppName' } }, ctx({}), false],
  ['ForAnyValue compares values case-sensitively', { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'AppName' } }, ctx({ 'kms:EncryptionContextKeys': ['appname'] }), false],
  ['ForAllValues holds when every value is listed', { 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Encrypt', 'ReEncryptTo'] } }, ctx({ 'kms:GrantOperations': ['Encrypt'] }), true],
  ['ForAllValues fails when a value is not listed', { 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Encrypt', 'ReEncryptTo'] } }, ctx({ 'kms:GrantOperations': ['Encrypt', 'Decrypt'] }), false],
  ['ForAllValues holds vacuously when the key is absent', { 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Encrypt'] } }, ctx({}), true],
  ['ForAllValues:StringLike requires every alias to match', { 'ForAllValues:StringLike': { 'kms:ResourceAliases': 'alias/*Test*' } }, ctx({ 'kms:ResourceAliases': ['alias/Test1', 'alias/prod'] }), false],
  ['ForAnyValue:StringLike matches one alias', { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/*Test*' } }, ctx({ 'kms:ResourceAliases': ['alias/Test1', 'alias/prod'] }), true],
  ['ForAnyValue:StringNotEquals holds when some value is unlisted', { 'ForAnyValue:StringNotEquals': { 'kms:GrantOperations': 'Decrypt' } }, ctx({ 'kms:GrantOperations': ['Decrypt', 'Encrypt'] }), true],
  ['ForAllValues:StringNotEquals fails when some value is listed', { 'ForAllValues:StringNotEquals': { 'kms:GrantOperations': 'Decrypt' } }, ctx({ 'kms:GrantOperations': ['Decrypt', 'Encrypt'] }), false],
  ['ForAnyValue:StringEqualsIgnoreCase ignores case', { 'ForAnyValue:StringEqualsIgnoreCase': { 'kms:EncryptionContextKeys': 'APPNAME' } }, ctx({ 'kms:EncryptionContextKeys': ['appName'] }), true],
  ['an unqualified operator on a multivalued key holds when any value matches', { StringEquals: { 'kms:GrantOperations': 'Decrypt' } }, ctx({ 'kms:GrantOperations': ['Encrypt', 'Decrypt'] }), true],
  ['an unqualified negated operator on a multivalued key needs every value unlisted', { StringNotEquals: { 'kms:GrantOperations': 'Decrypt' } }, ctx({ 'kms:GrantOperations': ['Encrypt', 'Decrypt'] }), false],
  ['a qualifier over a single-valued key treats it as a one-element set', { 'ForAnyValue:StringEquals': { 'kms:CallerAccount': '111122223333' } }, ctx({ 'kms:CallerAccount': '111122223333' }), true],
  // Several operators: all must hold
  ['operators in one block are an AND (one fails)', { StringEquals: { [EC_APP]: 'ExampleApp' }, 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['AppName'] } }, ctx({ [EC_APP]: 'ExampleApp', 'kms:EncryptionContextKeys': ['AppName', 'Extra'] }), false],
  ['operators in one block are an AND (all hold)', { StringEquals: { [EC_APP]: 'ExampleApp' }, 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['AppName'] } }, ctx({ [EC_APP]: 'ExampleApp', 'kms:EncryptionContextKeys': ['AppName'] }), true],
  // Policy variables
  ['${aws:username} resolves to the caller name', { StringEquals: { 'kms:EncryptionContext:user': '${aws:username}' } }, ctx({ 'aws:username': 'bob', 'kms:EncryptionContext:user': 'bob' }), true],
  ['${aws:username} does not match another user', { StringEquals: { 'kms:EncryptionContext:user': '${aws:username}' } }, ctx({ 'aws:username': 'bob', 'kms:EncryptionContext:user': 'alice' }), false],
  ['a variable with no value matches nothing', { StringEquals: { 'kms:EncryptionContext:user': '${aws:username}' } }, ctx({ 'kms:EncryptionContext:user': '' }), false],
  ['a variable default applies when the key is absent', { StringEquals: { 'kms:EncryptionContext:team': "${aws:PrincipalTag/team, 'none'}" } }, ctx({ 'kms:EncryptionContext:team': 'none' }), true],
  ['${aws:PrincipalTag/...} compares tag values', { StringEquals: { 'aws:ResourceTag/project': '${aws:PrincipalTag/project}' } }, ctx({ 'aws:PrincipalTag/project': 'alpha', 'aws:ResourceTag/project': 'alpha' }), true],
  ['variables work inside StringLike patterns', { StringLike: { 'kms:RequestAlias': 'alias/${aws:username}-*' } }, ctx({ 'aws:username': 'bob', 'kms:RequestAlias': 'alias/bob-data' }), true],
]

describe('condition operators', () => {
  for (const [description, condition, context, expected] of cases) {
    it(`${description}`, () => assert.equal(holds(condition, context), expected))
  }

  it('covers every operator of the policy language', () => {
    const used = new Set(cases.flatMap(([, c]) => Object.keys(c).map((op) => op.replace(/^For(Any|All)Value[s]?:/, '').replace(/IfExists$/, ''))))
    for (const op of ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
      'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
      'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
      'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null']) {
      assert.ok(used.has(op), `no case uses ${op}`)
    }
  })
})
