import { DataDirBusyError } from '../db/data-dir-lock'
import type { ArchiveSummary } from '../db/pglite-archive'

/**
 * What `pnpm backup` / `pnpm restore` say for PostgreSQL: its own tools do it properly (a
 * consistent snapshot while the app runs), so the CLI prints them rather than half-doing it.
 */
export function postgresInstructions(what: 'backup' | 'restore'): string {
  const lines = [
    `DATABASE_URL is set: the database is PostgreSQL, and \`pnpm ${what}\` is for the embedded PGlite only.`,
    "Use PostgreSQL's own tools (pg_dump/pg_restore at least as new as the server; see the README's \"Backups\"):",
    '',
    '  # back up, while the app runs (pg_dump reads one consistent snapshot):',
    '  pg_dump --format=custom --file=portal-$(date +%Y%m%d-%H%M%S).dump "$DATABASE_URL"',
    '',
    '  # restore: stop every app instance first, then',
    '  pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$DATABASE_URL" portal-YYYYMMDD-HHMMSS.dump',
  ]
  return lines.join('\n')
}

/** The refusal for a data directory the server (or another CLI) holds. */
export function busyMessage(e: DataDirBusyError, what: 'backup' | 'restore'): string {
  return [
    `Cannot ${what}: ${e.message}.`,
    'A second process must not open PGlite while the server runs (it would read a stale copy, and can damage the directory).',
    `Stop the server (systemctl stop portal · docker compose stop app · Ctrl-C), run \`pnpm ${what}\` again, then start it.`,
    'For backups without stopping, run the portal on PostgreSQL (DATABASE_URL) and use pg_dump.',
  ].join('\n')
}

export function describeSummary(s: ArchiveSummary): string {
  const rows = Object.entries(s.counts).map(([table, n]) => `${table} ${n}`).join(' · ')
  return `schema ${s.migrations.at(-1) ?? '(none)'} · ${rows}`
}
