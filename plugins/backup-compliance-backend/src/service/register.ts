import type {
  BackupRegister,
  BackupRegisterEntry,
  CheckDefinition,
} from '@backup-compliance/backstage-plugin-common';
import type { EntityComplianceSnapshot } from '../compliance/evaluateEntity';
import type { EntityCatalogInfo } from '../database/BackupStore';
import { csvCell } from './scorecard';

/** An article as a reader writes it: DORA's by number (`Art. 12(3)`), others by law (`GDPR Art. 17`). */
export function articleLabel(article: string): string {
  if (/^\d/.test(article)) return `Art. ${article}`;
  const [law, ...rest] = article.split(' ');
  return rest.length ? `${law} Art. ${rest.join(' ')}` : article;
}

/** Worst first: an article's status is the worst of its checks'. */
const WORST_FIRST = ['fail', 'unknown', 'warn', 'waived', 'pass'];

/** DORA articles in the regulation's order: 9(2) before 11(6)(a) before 12(1)(a). */
export function compareArticles(a: string, b: string): number {
  const parts = (s: string) =>
    s
      .split(/[()\s]+/)
      .filter(Boolean)
      .map(p => (/^\d+$/.test(p) ? Number(p) : p));
  const [pa, pb] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const [x, y] = [pa[i], pb[i]];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

/** One service's register entry from its verdict of the day. */
export function registerEntryOf(
  snapshot: EntityComplianceSnapshot,
  catalog: EntityCatalogInfo | undefined,
  checks: CheckDefinition[],
): BackupRegisterEntry {
  const titleOf = (id: string) => checks.find(c => c.id === id)?.title ?? id;
  const byArticle = new Map<
    string,
    BackupRegisterEntry['articles'][number]['checks']
  >();
  for (const result of snapshot.checks) {
    if (result.informational) continue;
    const status = result.notApplicable ? 'n/a' : result.status;
    for (const article of result.dora) {
      const list = byArticle.get(article) ?? [];
      list.push({
        checkId: result.checkId,
        title: titleOf(result.checkId),
        status,
      });
      byArticle.set(article, list);
    }
  }
  const articles = [...byArticle.entries()]
    .sort(([a], [b]) => compareArticles(a, b))
    .map(([article, list]) => {
      const judged = list.map(c => c.status).filter(s => s !== 'n/a');
      const status =
        judged.length === 0
          ? 'n/a'
          : WORST_FIRST.find(s => judged.includes(s)) ?? judged[0];
      return { article, status, checks: list };
    });
  return {
    entityRef: snapshot.entityRef,
    ...(catalog?.title ? { title: catalog.title } : {}),
    ...(catalog?.owner ? { owner: catalog.owner } : {}),
    policies: snapshot.policies,
    level: snapshot.level,
    score: snapshot.score,
    evaluatedAt: snapshot.evaluatedAt,
    articles,
    waivers: snapshot.checks.flatMap(c =>
      c.waiver
        ? [
            {
              check: c.checkId,
              approvedBy: c.waiver.approvedBy,
              reason: c.waiver.reason,
              expires: c.waiver.expires,
            },
          ]
        : [],
    ),
    staleAccountRegions: snapshot.staleAccountRegions,
  };
}

/** The register as CSV: one line per service, one column per DORA article. */
export function registerCsv(register: BackupRegister): string {
  const articles = [
    ...new Set(register.services.flatMap(s => s.articles.map(a => a.article))),
  ].sort(compareArticles);
  const header = [
    'entityRef',
    'title',
    'owner',
    'policies',
    'level',
    'score',
    'evaluatedAt',
    ...articles.map(a => (/^\d/.test(a) ? `DORA ${a}` : a)),
    'waivers',
    'staleAccountRegions',
  ];
  const lines = register.services.map(s =>
    [
      s.entityRef,
      s.title,
      s.owner,
      s.policies,
      s.level,
      s.score,
      s.evaluatedAt,
      ...articles.map(a => s.articles.find(x => x.article === a)?.status ?? ''),
      s.waivers
        .map(w => `${w.check}: ${w.approvedBy} until ${w.expires}`)
        .join('; '),
      s.staleAccountRegions,
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[header.map(csvCell).join(','), ...lines].join('\r\n')}\r\n`;
}

const escapeHtml = (value: unknown) =>
  String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/**
 * The register as a self-contained HTML document that prints cleanly to PDF: A4, one
 * service never split across pages where it fits on one, table headers repeated.
 */
export function registerHtml(register: BackupRegister): string {
  const counts = new Map<string, number>();
  for (const s of register.services) {
    counts.set(s.level, (counts.get(s.level) ?? 0) + 1);
  }
  const summary = [...counts.entries()]
    .map(([level, n]) => `${n} ${escapeHtml(level)}`)
    .join(', ');
  const services = register.services
    .map(
      s => `
  <section class="service">
    <h2>${escapeHtml(s.title ?? s.entityRef)} <span class="level ${escapeHtml(
        s.level,
      )}">${escapeHtml(s.level)}</span></h2>
    <p class="meta">${escapeHtml(s.entityRef)}${
        s.owner ? ` · owner ${escapeHtml(s.owner)}` : ''
      } · policy ${escapeHtml(
        s.policies.join(', ') || 'none',
      )} · score ${escapeHtml(s.score ?? 'n/a')} · judged ${escapeHtml(
        s.evaluatedAt,
      )}${
        s.staleAccountRegions.length
          ? ` · older data from ${escapeHtml(s.staleAccountRegions.join(', '))}`
          : ''
      }</p>
    <table>
      <colgroup><col style="width: 18%"><col style="width: 12%"><col></colgroup>
      <thead><tr><th>Article</th><th>Status</th><th>Checks</th></tr></thead>
      <tbody>${s.articles
        .map(
          a => `
        <tr><td>${escapeHtml(
          articleLabel(a.article),
        )}</td><td class="status ${escapeHtml(a.status)}">${escapeHtml(
            a.status,
          )}</td><td>${a.checks
            .map(c => `${escapeHtml(c.title)}: ${escapeHtml(c.status)}`)
            .join('<br>')}</td></tr>`,
        )
        .join('')}
      </tbody>
    </table>${
      s.waivers.length
        ? `
    <p class="waivers"><strong>Waivers in force:</strong> ${s.waivers
      .map(
        w =>
          `${escapeHtml(w.check)}, approved by ${escapeHtml(
            w.approvedBy,
          )} until ${escapeHtml(w.expires)} (“${escapeHtml(w.reason)}”)`,
      )
      .join('; ')}</p>`
        : ''
    }
  </section>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Backup compliance register, ${escapeHtml(register.asOf)}</title>
<style>
  body { font: 11pt/1.4 system-ui, sans-serif; color: #111; margin: 2em; }
  h1 { font-size: 18pt; margin: 0 0 0.2em; }
  h2 { font-size: 13pt; margin: 0 0 0.2em; }
  .meta, .intro { color: #333; font-size: 9.5pt; margin: 0 0 0.5em; }
  table { border-collapse: collapse; width: calc(100% - 2px); table-layout: fixed; margin-bottom: 0.4em; }
  th, td { border: 1px solid #999; padding: 3px 6px; text-align: left; vertical-align: top; font-size: 9.5pt; overflow-wrap: anywhere; }
  thead { display: table-header-group; }
  .service { margin: 0 0 1.2em; }
  .level, .status { font-weight: 600; }
  .fail, .non-compliant, .misconfigured { color: #a00; }
  .warn, .unknown, .at-risk, .waived { color: #8a5a00; }
  .pass, .compliant { color: #060; }
  code { font-size: 8.5pt; word-break: break-all; }
  @page { size: A4; margin: 15mm 12mm; }
  @media print {
    body { margin: 0; }
    .service { break-inside: avoid; }
    tr { break-inside: avoid; }
  }
</style>
</head>
<body>
  <h1>Backup compliance register</h1>
  <p class="intro">As of ${escapeHtml(register.asOf)}${
    register.day && register.day !== register.asOf
      ? ` (last evaluation on ${escapeHtml(register.day)})`
      : ''
  } · generated ${escapeHtml(register.generatedAt)} · ${
    register.services.length
  } services${
    summary ? `: ${summary}` : ''
  } · DORA (Regulation (EU) 2022/2554) Art. 9, 11 and 12</p>
  <p class="intro">History head${
    register.historyHead
      ? ` of ${escapeHtml(register.historyHead.day)}: <code>${escapeHtml(
          register.historyHead.hash,
        )}</code> (GET /api/backup-compliance/v1/history/verify recomputes it)`
      : ': none yet'
  }</p>${
    register.services.length === 0
      ? '\n  <p>No verdicts were stored on or before this day.</p>'
      : services
  }
</body>
</html>
`;
}
