// docs/attestation.md's recipe, run as written (bash, jq, base64, openssl) on envelopes decide
// wrote with keys openssl made: it verifies each, and refuses one whose payload changed.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { beforeEach, describe, expect, it } from 'vitest'
import { opensslKey, runDecide, tempDir, writeReports, type KeyKind } from './support.js'

const doc = readFileSync(path.resolve(import.meta.dirname, '../../../docs/attestation.md'), 'utf8')
const recipe = /<!-- recipe:start -->\s*```sh\n([\s\S]*?)```\s*<!-- recipe:end -->/.exec(doc)?.[1] ?? ''

let ws: string
beforeEach(async (t) => {
  const d = tempDir()
  ws = d.dir
  t.onTestFinished(d.cleanup)
  await writeReports(path.join(ws, 'cutover-reports'), [{ id: 'api' }])
})

function runRecipe(cwd: string) {
  return spawnSync('bash', ['-eo', 'pipefail', '-c', recipe], { cwd, encoding: 'utf8' })
}

describe('docs/attestation.md', () => {
  it('holds a recipe', () => expect(recipe).toMatch(/openssl pkeyutl -verify/))

  it.each(['ed25519', 'ec-p256', 'rsa'] as KeyKind[])(
    'the recipe verifies an envelope signed with %s, and refuses an edited one',
    async (kind) => {
      const key = opensslKey(ws, kind)
      const r = await runDecide(ws, { required: 'api', 'signing-key': key.priv })
      expect(r.outputs.decision).toBe('GO')
      const envelope = path.join(ws, 'cutover-reports', 'cutover-summary.intoto.json')
      copyFileSync(envelope, path.join(ws, 'cutover-summary.intoto.json'))
      copyFileSync(key.pub, path.join(ws, 'cutover-signing.pub.pem'))
      const ok = runRecipe(ws)
      expect(ok.stdout + ok.stderr).toMatch(/Signature Verified Successfully/)
      expect(ok.status).toBe(0)
      expect(ok.stdout).toMatch(/"decision": "GO"/)

      const e = JSON.parse(readFileSync(envelope, 'utf8'))
      const body = Buffer.from(e.payload, 'base64')
      body[body.indexOf('"GO"') + 1] = 'X'.charCodeAt(0)
      writeFileSync(path.join(ws, 'cutover-summary.intoto.json'), JSON.stringify({ ...e, payload: body.toString('base64') }))
      const bad = runRecipe(ws)
      expect(bad.status).not.toBe(0)
      expect(bad.stdout + bad.stderr).not.toMatch(/Signature Verified Successfully/)
    },
  )
})
