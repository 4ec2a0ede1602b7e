/** What the SigV4 `Authorization` header tells about the caller. */
export type CredentialScope = {
  accessKeyId: string;
  region: string;
  service: string;
};

const CREDENTIAL =
  /Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request/;

/**
 * Reads the access key id, region and service from
 * `AWS4-HMAC-SHA256 Credential=AKID/20261126/eu-central-1/backup/aws4_request, ...`.
 * The signature is not verified: the emulator only tells accounts apart.
 */
export function parseCredentialScope(
  authorization: string | undefined,
): CredentialScope | undefined {
  if (!authorization?.startsWith('AWS4-HMAC-SHA256')) {
    return undefined;
  }
  const match = CREDENTIAL.exec(authorization);
  return match
    ? { accessKeyId: match[1], region: match[3], service: match[4] }
    : undefined;
}
