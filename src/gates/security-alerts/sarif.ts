/**
 * SARIF 2.1.0 from any scanner (Trivy, Grype, CodeQL, …): every result of every run, its rule
 * found by index or id in the driver or an extension, its severity read as GitHub reads it
 * (`security-severity` of the rule, else the result's `level`, else the rule's default level,
 * else `warning`, SARIF's default). Results that are not failures (`kind` other than `fail`),
 * that are suppressed, or that the baseline says are gone are not findings. A log that is not
 * SARIF 2.1.0, a run without its results list, or a run that says it did not finish is a problem.
 */
import { fromLevel, fromScore, type Finding, type Graded } from './severity.js'

type Json = Record<string, unknown>
const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x)
const text = (x: unknown) => (typeof x === 'string' ? x : undefined)

export interface SarifRead {
  tools: string[]
  findings: Finding[]
  /** Results left out as not findings, by why: `suppressed`, `kind pass`, `absent from the baseline`. */
  skipped: Record<string, number>
}

export class SarifProblem extends Error {}

function severityOf(rule: Json | undefined, result: Json): { severity: Graded; basis: string } {
  for (const props of [rule?.properties, result.properties]) {
    if (!isObj(props) || props['security-severity'] === undefined) continue
    const raw = props['security-severity']
    const score = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : NaN
    return { severity: fromScore(score), basis: `security-severity ${JSON.stringify(raw)}` }
  }
  const level = text(result.level) ?? text(isObj(rule?.defaultConfiguration) ? rule.defaultConfiguration.level : undefined)
  if (level !== undefined) return { severity: fromLevel(level), basis: `level ${level}` }
  return { severity: fromLevel('warning'), basis: 'level warning (the SARIF default)' }
}

function whereOf(result: Json): string {
  const loc = Array.isArray(result.locations) ? result.locations.find(isObj) : undefined
  const phys = isObj(loc?.physicalLocation) ? loc.physicalLocation : undefined
  const uri = isObj(phys?.artifactLocation) ? text(phys.artifactLocation.uri) : undefined
  const line = isObj(phys?.region) && typeof phys.region.startLine === 'number' ? phys.region.startLine : undefined
  if (uri) return `${uri}${line ? `:${line}` : ''}`
  const logical = Array.isArray(loc?.logicalLocations) ? loc.logicalLocations.find(isObj) : undefined
  const name = text(logical?.fullyQualifiedName) ?? text(logical?.name)
  return name ?? 'no location given'
}

function rulesOf(component: unknown): Json[] {
  return isObj(component) && Array.isArray(component.rules) ? component.rules.filter(isObj) : []
}

function ruleFor(run: Json, result: Json): Json | undefined {
  const tool = isObj(run.tool) ? run.tool : {}
  const extensions = Array.isArray(tool.extensions) ? tool.extensions : []
  const ref = isObj(result.rule) ? result.rule : {}
  const componentIndex = isObj(ref.toolComponent) && typeof ref.toolComponent.index === 'number' ? ref.toolComponent.index : undefined
  const rules = componentIndex === undefined ? rulesOf(tool.driver) : rulesOf(extensions[componentIndex])
  const index = typeof ref.index === 'number' ? ref.index : typeof result.ruleIndex === 'number' ? result.ruleIndex : undefined
  const id = text(ref.id) ?? text(result.ruleId)
  if (index !== undefined && rules[index] && (id === undefined || rules[index].id === id)) return rules[index]
  if (id === undefined) return undefined
  return [...rulesOf(tool.driver), ...extensions.flatMap(rulesOf)].find((r) => r.id === id)
}

export function readSarif(data: unknown): SarifRead {
  if (!isObj(data)) throw new SarifProblem('is not a JSON object')
  if (data.version !== '2.1.0') throw new SarifProblem(`is not SARIF 2.1.0 (version ${JSON.stringify(data.version ?? null)})`)
  if (!Array.isArray(data.runs)) throw new SarifProblem('has no `runs` list')
  if (data.runs.length === 0) throw new SarifProblem('holds no run: no scan is recorded in it')
  const tools: string[] = []
  const findings: Finding[] = []
  const skipped: Record<string, number> = {}
  const skip = (why: string) => (skipped[why] = (skipped[why] ?? 0) + 1)
  data.runs.forEach((run: unknown, i) => {
    if (!isObj(run)) throw new SarifProblem(`run ${i + 1} is not an object`)
    const driver = isObj(run.tool) && isObj(run.tool.driver) ? run.tool.driver : undefined
    const tool = text(driver?.name)
    if (!tool) throw new SarifProblem(`run ${i + 1} names no tool (\`tool.driver.name\`)`)
    tools.push(tool)
    const failed = (Array.isArray(run.invocations) ? run.invocations : []).find((inv) => isObj(inv) && inv.executionSuccessful === false)
    if (failed) throw new SarifProblem(`says the ${tool} scan did not finish (\`executionSuccessful: false\`)`)
    // SARIF: a run without `results` is one whose tool produced none because it could not; `[]` is a clean scan.
    if (!Array.isArray(run.results)) throw new SarifProblem(`has no results list for the ${tool} run: the scan did not report`)
    run.results.forEach((result: unknown, j) => {
      if (!isObj(result)) throw new SarifProblem(`result ${j + 1} of the ${tool} run is not an object`)
      const kind = text(result.kind) ?? 'fail'
      if (kind !== 'fail') return skip(`kind ${kind}`)
      if (result.baselineState === 'absent') return skip('absent from the baseline')
      const suppressions = Array.isArray(result.suppressions) ? result.suppressions : []
      if (suppressions.some((s) => isObj(s) && (s.status === undefined || s.status === 'accepted'))) return skip('suppressed')
      const rule = ruleFor(run, result)
      const id = text(isObj(result.rule) ? result.rule.id : undefined) ?? text(result.ruleId) ?? text(rule?.id) ?? 'a rule without an id'
      const message = isObj(result.message) ? text(result.message.text) : undefined
      const short = isObj(rule?.shortDescription) ? text(rule.shortDescription.text) : undefined
      const title = (short ?? message)?.split('\n')[0].slice(0, 120)
      findings.push({ id, ...severityOf(rule, result), where: `${whereOf(result)} (${tool})`, ...(title ? { title } : {}) })
    })
  })
  return { tools, findings, skipped }
}
