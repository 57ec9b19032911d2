/** The inputs of dr-drill, and the combinations of them that make no drill. */
import type { ActionMeta } from '../../core/gate.js'
import { input, type Settings, rules } from '../../core/inputs.js'
import { formatDuration } from '../../core/units.js'
import { POSITIVE_DURATION_FORM, RPO_FORM, formatRpo, parsePositiveDuration, parseRpo } from './budget.js'
import { PG_URL_FORM, parsePostgresUrl, postgresSecrets } from './postgres.js'

export const drDrillInputs = {
  'restore-command': input.string(
    'A bash script that restores from the backup (run with `bash -eo pipefail`); its duration is the measured RTO.',
  ),
  'verify-command': input.string('A bash script run after `restore-command` succeeds; it must exit 0 for the restore to count.'),
  rto: input.custom(
    'string',
    POSITIVE_DURATION_FORM,
    parsePositiveDuration,
  )('Recovery time objective: the longest the restore may take.', {
    default: '15m',
  }),
  rpo: input.custom(
    'string',
    RPO_FORM,
    parseRpo,
  )(
    'Recovery point objective: `N files` (files lost from `source-manifest`, or WAL segments not yet archived), a duration (age of the newest backup in `backup-path`, or of the last archived WAL segment when WAL is waiting), or one of each, such as `1 file, 24h`.',
    { default: '1 file' },
  ),
  timeout: input.custom(
    'string',
    POSITIVE_DURATION_FORM,
    parsePositiveDuration,
  )(
    'Each step (restore, verify, pg_restore, verify-sql) is killed with its whole process group when it runs this long; twice `rto` when not set.',
  ),
  'source-manifest': input.string(
    'A SHA256SUMS file (written by `sha256sum`) of the data as it was; files missing or different under `restored-path` are the files lost.',
  ),
  'restored-path': input.string('The folder the restore wrote, compared against `source-manifest`.'),
  'backup-path': input.string('A backup folder (or file): the age of its newest file is compared against `rpo` as a duration.'),
  'postgres-url': input.custom(
    'string',
    PG_URL_FORM,
    parsePostgresUrl,
  )(
    'A postgresql:// URL. Alone: the primary, whose WAL segments not yet archived give the RPO. With `postgres-dump`: the server the dump is restored into (not the primary: measure its WAL in a separate drill). Treated as a secret.',
    { secret: postgresSecrets },
  ),
  'postgres-dump': input.string(
    'A `pg_dump -Fc` (or `-Ft`) file, restored with `pg_restore` into a scratch database that is always dropped; the restore time is the RTO.',
  ),
  'verify-sql': input.string(
    'SQL run in the restored scratch database; its last statement must return a row whose first value is true (or not false/NULL), such as `SELECT count(*) = 1000 FROM orders`.',
  ),
}

export type DrSettings = Settings<typeof drDrillInputs>

/** Inputs that are each valid but do not make a drill together, one sentence each. */
export function inputProblems(s: DrSettings): string[] {
  const out: string[] = []
  const given = (k: keyof DrSettings) => s[k] !== undefined
  if (!['restore-command', 'postgres-dump', 'source-manifest', 'backup-path', 'postgres-url'].some((k) => given(k as keyof DrSettings))) {
    out.push(
      'nothing to drill: give at least one of `restore-command`, `postgres-dump` (with `postgres-url`), `source-manifest` (with `restored-path`), `backup-path` or `postgres-url`',
    )
    return out
  }
  if (given('verify-command') && !given('restore-command'))
    out.push('`verify-command` runs after `restore-command`; give `restore-command` too')
  if (given('source-manifest') !== given('restored-path'))
    out.push('`source-manifest` and `restored-path` go together: the manifest says what the restored folder must hold')
  if (given('postgres-dump') && !given('postgres-url'))
    out.push('`postgres-dump` needs `postgres-url`: the server the dump is restored into')
  if (given('verify-sql') && !given('postgres-dump')) out.push('`verify-sql` checks a restored `postgres-dump`; give `postgres-dump` too')
  if (given('source-manifest') && s.rpo.files === undefined)
    out.push(
      `\`source-manifest\` measures the RPO in files lost, but \`rpo\` is ${formatRpo(s.rpo)}; write it as files, such as \`rpo: 1 file\` (or \`1 file, ${formatRpo(s.rpo)}\`)`,
    )
  if (given('backup-path') && s.rpo.ms === undefined)
    out.push(
      `\`backup-path\` measures the RPO as the age of the newest backup, but \`rpo\` is ${formatRpo(s.rpo)}; add a duration, such as \`rpo: ${formatRpo(s.rpo)}, 24h\``,
    )
  if (s.timeout !== undefined && s.timeout < s.rto)
    out.push(
      `\`timeout\` (${formatDuration(s.timeout)}) is shorter than \`rto\` (${formatDuration(s.rto)}): a restore would be killed before it could miss the RTO; raise \`timeout\``,
    )
  return out
}

const r = rules(drDrillInputs)

/** What the action says of itself: its action.yml, docs page and README row are written from this and the inputs. */
export const drDrillAction = {
  title: 'Disaster-recovery drill',
  description:
    'Run a disaster-recovery drill and measure it: restore time against the RTO, files lost, backup age and unarchived PostgreSQL WAL against the RPO, and a timed pg_restore into a scratch database.',
  branding: { icon: 'life-buoy', color: 'orange' },
  rules: [
    r.atLeastOne('restore-command', 'postgres-dump', 'source-manifest', 'backup-path', 'postgres-url'),
    r.needs('verify-command', 'restore-command'),
    r.together('source-manifest', 'restored-path'),
    r.needs('postgres-dump', 'postgres-url'),
    r.needs('verify-sql', 'postgres-dump'),
  ],
  example: {
    'restore-command': './scripts/restore.sh /restore',
    'verify-command': 'test -s /restore/SHA256SUMS',
    rto: '15m',
    'source-manifest': 'backup/SHA256SUMS',
    'restored-path': '/restore',
    rpo: '1 file',
  },
} satisfies ActionMeta
