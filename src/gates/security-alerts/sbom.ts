/**
 * A software bill of materials that says something: CycloneDX JSON (`bomFormat: CycloneDX`,
 * components, nested ones counted) or SPDX JSON (2.x `packages`, or 3.0 JSON-LD `@graph`
 * elements of type `software_Package`). One that parses but lists no component is a problem:
 * "SBOM generated" means the release's parts are named.
 */

type Json = Record<string, unknown>
const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x)

export interface SbomRead {
  format: string
  components: number
  /** What it describes, when it says: the root component or the document's name. */
  subject?: string
}

export class SbomProblem extends Error {}

function countComponents(list: unknown): number {
  if (!Array.isArray(list)) return 0
  return list.reduce<number>((n, c) => n + (isObj(c) ? 1 + countComponents(c.components) : 0), 0)
}

export function readSbom(data: unknown): SbomRead {
  if (!isObj(data)) throw new SbomProblem('is not a JSON object')
  if (data.bomFormat === 'CycloneDX') {
    const version = typeof data.specVersion === 'string' ? data.specVersion : undefined
    if (!version) throw new SbomProblem('is CycloneDX without a `specVersion`')
    if (data.components !== undefined && !Array.isArray(data.components))
      throw new SbomProblem('is CycloneDX whose `components` is not a list')
    const components = countComponents(data.components)
    const root = isObj(data.metadata) && isObj(data.metadata.component) ? data.metadata.component : undefined
    const subject = typeof root?.name === 'string' ? `${root.name}${typeof root.version === 'string' ? `@${root.version}` : ''}` : undefined
    return { format: `CycloneDX ${version}`, components, ...(subject ? { subject } : {}) }
  }
  if (typeof data.spdxVersion === 'string') {
    if (!/^SPDX-2\.\d+$/.test(data.spdxVersion)) throw new SbomProblem(`is ${data.spdxVersion}, not an SPDX 2 JSON document`)
    if (data.packages !== undefined && !Array.isArray(data.packages)) throw new SbomProblem('is SPDX whose `packages` is not a list')
    const packages = Array.isArray(data.packages) ? data.packages.filter(isObj).length : 0
    return { format: data.spdxVersion, components: packages, ...(typeof data.name === 'string' ? { subject: data.name } : {}) }
  }
  if (Array.isArray(data['@graph']) && typeof data['@context'] === 'string' && /spdx\.org\/rdf\/3\./.test(data['@context'])) {
    const graph = data['@graph'].filter(isObj)
    const packages = graph.filter((e) => e.type === 'software_Package').length
    const doc = graph.find((e) => e.type === 'SpdxDocument')
    return { format: 'SPDX 3', components: packages, ...(typeof doc?.name === 'string' ? { subject: doc.name } : {}) }
  }
  throw new SbomProblem('is neither CycloneDX JSON (`bomFormat: "CycloneDX"`) nor SPDX JSON (`spdxVersion`)')
}
