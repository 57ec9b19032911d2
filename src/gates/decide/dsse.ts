/**
 * DSSE's two fixed pieces (github.com/secure-systems-lab/dsse, protocol.md), apart from the
 * statement they carry, so the report reader can tell an envelope from a report without the
 * bundle's types.
 */

/** The payload type of an in-toto statement in a DSSE envelope. */
export const PAYLOAD_TYPE = 'application/vnd.in-toto+json'

/** The Pre-Authentication Encoding a DSSE signature covers: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body. */
export function pae(payloadType: string, body: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8')
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${body.length} `), body])
}
